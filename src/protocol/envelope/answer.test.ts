import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAnswer, UNSEALED_ANSWER_CODES } from './answer.js';
import { deriveKeys } from './keys.js';
import { sealRequest, sealResponse } from './seal.js';

const NOW = 1_700_000_000;
const keys = deriveKeys('answer-secret', 'AES');
const req = sealRequest({ appid: 'op1', suite: 'AES', keys, plaintext: '{}', now: NOW });
const opts = { appid: 'op1', reqNonce: req.nonce, now: NOW };

test('a sealed answer to our request is read', () => {
  const resp = sealResponse({
    appid: 'op1',
    suite: 'AES',
    keys,
    plaintext: '{"respCode":"000000"}',
    reqNonce: req.nonce,
    now: NOW,
  });
  assert.deepEqual(readAnswer(JSON.stringify(resp), keys, opts), {
    kind: 'sealed',
    plaintext: '{"respCode":"000000"}',
  });
  assert.equal(readAnswer(resp, keys, { ...opts, reqNonce: 'b'.repeat(32) }).kind, 'invalid');
  assert.equal(readAnswer(resp, keys, { ...opts, appid: 'op2' }).kind, 'invalid');
  assert.equal(readAnswer(resp, keys, { ...opts, now: NOW + 301 }).kind, 'invalid');
});

test('plain answers are believed only for the pre-authentication codes, and only respCode/respMsg', () => {
  assert.equal(UNSEALED_ANSWER_CODES.size, 9);
  for (const code of UNSEALED_ANSWER_CODES) {
    const r = readAnswer(
      JSON.stringify({ respCode: code, respMsg: 'x', param: { forged: true } }),
      keys,
      opts,
    );
    assert.deepEqual(r, { kind: 'unsealed', answer: { respCode: code, respMsg: 'x' } });
  }
  for (const respCode of ['000000', '999999', '033001', '030001', 1, '-3']) {
    assert.equal(readAnswer({ respCode, respMsg: 'ok' }, keys, opts).kind, 'invalid', String(respCode));
  }
  const noMsg = readAnswer({ respCode: '010005' }, keys, opts);
  assert.deepEqual(noMsg, { kind: 'unsealed', answer: { respCode: '010005', respMsg: '应用密钥非法' } });
});

test('anything else is invalid, never thrown', () => {
  for (const body of ['', 'nope', '[]', 'null', 5, null, {}, { ...req, ct: 'AAAA' }]) {
    assert.equal(readAnswer(body, keys, opts).kind, 'invalid', JSON.stringify(body));
  }
});
