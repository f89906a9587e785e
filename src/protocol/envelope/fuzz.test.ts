import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isSpecCode } from '../codes.js';
import { readAnswer } from './answer.js';
import { deriveKeys } from './keys.js';
import { openEnvelope } from './open.js';
import { parseEnvelope } from './parse.js';
import { sealRequest } from './seal.js';
import type { Envelope } from './types.js';

const NOW = 1_700_000_000;
const REQUEST_CODES = new Set([
  '000001',
  '000002',
  '000003',
  '000004',
  '010003',
  '010004',
  '010005',
  '010006',
]);

for (const suite of ['SM', 'AES'] as const) {
  const keys = deriveKeys('fuzz-secret', suite);
  const good = sealRequest({ appid: 'op1', suite, keys, plaintext: '{"x":"中文"}', now: NOW });

  const openAny = (value: unknown): void => {
    const r = openEnvelope(value as Envelope, keys, { direction: 'req', now: NOW });
    if (!r.ok) {
      assert.ok(isSpecCode(r.answer.respCode) && REQUEST_CODES.has(r.answer.respCode), r.answer.respCode);
    }
    const p = parseEnvelope(value);
    if (!p.ok) assert.ok(REQUEST_CODES.has(p.answer.respCode));
    readAnswer(value, keys, { appid: 'op1', reqNonce: good.nonce, now: NOW });
  };

  test(`${suite}: openEnvelope, parseEnvelope and readAnswer never throw on arbitrary JSON`, () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => openAny(value)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        openAny(text);
        parseEnvelope(text);
      }),
      { numRuns: 500 },
    );
  });

  test(`${suite}: any change to one field of a good envelope never throws and never passes unless it is a no-op`, () => {
    const fields = ['v', 'appid', 'suite', 'ts', 'nonce', 'kcv', 'iv', 'ct', 'mac'] as const;
    const value = fc.oneof(
      fc.jsonValue(),
      fc.string(),
      fc.base64String(),
      fc.stringMatching(/^[0-9a-f]{16,64}$/),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
    );
    fc.assert(
      fc.property(fc.constantFrom(...fields), value, (field, replacement) => {
        const env = { ...good, [field]: replacement };
        const r = openEnvelope(env as Envelope, keys, { direction: 'req', now: NOW });
        if (r.ok) assert.deepEqual(replacement, good[field]);
      }),
      { numRuns: 3000 },
    );
  });

  test(`${suite}: random bit flips anywhere in the sealed bytes are caught`, () => {
    const ct = Buffer.from(good.ct, 'base64');
    fc.assert(
      fc.property(fc.nat({ max: ct.length * 8 - 1 }), (bit) => {
        const bytes = Buffer.from(ct);
        bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        const r = openEnvelope({ ...good, ct: bytes.toString('base64') }, keys, {
          direction: 'req',
          now: NOW,
        });
        assert.equal(r.ok ? 'ok' : r.answer.respCode, '000001');
      }),
      { numRuns: 1000 },
    );
  });
}
