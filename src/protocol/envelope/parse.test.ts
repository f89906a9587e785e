import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveKeys } from './keys.js';
import { parseEnvelope } from './parse.js';
import { sealRequest } from './seal.js';

const keys = deriveKeys('parse-test-secret', 'SM');
const good = sealRequest({ appid: 'op1', suite: 'SM', keys, plaintext: '{"a":"中"}', now: 1_700_000_000 });

function codeOf(body: unknown): string {
  const r = parseEnvelope(body);
  return r.ok ? 'ok' : r.answer.respCode;
}

test('a sealed envelope parses from an object, a string and bytes', () => {
  assert.equal(codeOf(good), 'ok');
  assert.equal(codeOf(JSON.stringify(good)), 'ok');
  assert.equal(codeOf(Buffer.from(JSON.stringify(good))), 'ok');
  assert.equal(codeOf(new TextEncoder().encode(JSON.stringify(good))), 'ok');
});

test('an empty body is 000003', () => {
  for (const body of [undefined, null, '', '   \n', 'null', '{}', {}, Buffer.alloc(0)]) {
    assert.equal(codeOf(body), '000003', JSON.stringify(body));
  }
});

test('not an object, bad JSON, an unknown version or a wrongly typed field is 000004', () => {
  const cases: unknown[] = [
    '[1]',
    [],
    42,
    'true',
    '"text"',
    '{not json',
    'x'.repeat(70_000),
    { ...good, v: 2 },
    { ...good, v: '1' },
    { ...good, v: undefined },
    { ...good, appid: 7 },
    { ...good, ts: 1_700_000_000 },
    { ...good, ts: '01700000000' },
    { ...good, ts: '-1' },
    { ...good, ts: '1.5' },
    { ...good, ts: '1234567890123' },
    { ...good, suite: 1 },
    { ...good, suite: undefined },
    { ...good, nonce: good.nonce.toUpperCase().replace(/[0-9]/g, 'A') },
    { ...good, nonce: good.nonce.slice(1) },
    { ...good, nonce: undefined },
    { ...good, kcv: 'zz'.repeat(8) },
    { ...good, kcv: good.kcv.slice(2) },
    { ...good, iv: 5 },
    { ...good, ct: null },
    { ...good, ct: undefined },
    { ...good, mac: good.mac.slice(2) },
    { ...good, mac: `${good.mac.slice(0, 62)}ZZ` },
  ];
  for (const body of cases) assert.equal(codeOf(body), '000004', JSON.stringify(body).slice(0, 120));
});

test('appid empty is 010003; malformed appid is 010004', () => {
  assert.equal(codeOf({ ...good, appid: '' }), '010003');
  assert.equal(codeOf({ ...good, appid: undefined }), '010003');
  assert.equal(codeOf({ ...good, appid: null }), '010003');
  for (const appid of ['a\nb', 'a\u0000', 'x'.repeat(257), '\uD800']) {
    assert.equal(codeOf({ ...good, appid }), '010004', JSON.stringify(appid));
  }
  assert.equal(codeOf({ ...good, appid: '医院-01 😀' }), 'ok');
});

test('ts empty is 010006', () => {
  assert.equal(codeOf({ ...good, ts: '' }), '010006');
  assert.equal(codeOf({ ...good, ts: undefined }), '010006');
  assert.equal(codeOf({ ...good, ts: '0' }), 'ok');
});

test('an unknown suite is 000001', () => {
  for (const suite of ['sm', 'DES', '', 'AES-128']) assert.equal(codeOf({ ...good, suite }), '000001', suite);
});

test('precedence: empty > not an object > version > appid > ts > suite > other fields', () => {
  assert.equal(codeOf({ ...good, v: 2, appid: '' }), '000004');
  assert.equal(codeOf({ ...good, appid: '', ts: '' }), '010003');
  assert.equal(codeOf({ ...good, ts: '', suite: 'X' }), '010006');
  assert.equal(codeOf({ ...good, suite: 'X', nonce: 'bad' }), '000001');
});

test('unknown members are dropped and inherited ones ignored', () => {
  const r = parseEnvelope({ ...good, respCode: '000000', extra: { x: 1 } });
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.env).sort(), Object.keys(good).sort());
  const inherited = Object.create(good) as object;
  assert.equal(codeOf(inherited), '000003');
  const polluted = JSON.parse(`{"__proto__":{"appid":"x"},"v":1}`) as unknown;
  assert.equal(codeOf(polluted), '010003');
});
