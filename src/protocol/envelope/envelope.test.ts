import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deriveKeys, keysFromSecret } from './keys.js';
import { type OpenResult, openEnvelope } from './open.js';
import { parseEnvelope } from './parse.js';
import { sealRequest, sealResponse } from './seal.js';
import { type Envelope, MAX_REQUEST_PLAINTEXT_CHARS, type Suite } from './types.js';

const SECRET = 'test-secret-应用密码-0123456789';
const APPID = 'op-test-01';
const NOW = 1_700_000_000;
const CHINESE =
  '{"transType":"hop.trade.recharge","param":{"operatorName":"蔡*辉","notes":"门诊预交金充值 😀"}}';

function codeOf(r: OpenResult): string {
  return r.ok ? 'ok' : r.answer.respCode;
}

function flipBase64Byte(b64: string, index: number, mask = 0x01): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[index] = (bytes[index] ?? 0) ^ mask;
  return bytes.toString('base64');
}

/** The same bytes spelled with non-zero unused bits before the padding, or null when unpadded. */
function nonCanonical(b64: string): string | null {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  if (pad === 0) return null;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const at = b64.length - pad - 1;
  const value = alphabet.indexOf(b64.charAt(at));
  return b64.slice(0, at) + alphabet.charAt(value | 1) + b64.slice(at + 1);
}

/** A 2048-character plaintext whose characters are 3 UTF-8 bytes each: the largest request. */
function longChinese(): string {
  const head = '{"notes":"';
  const tail = '"}';
  return head + '院'.repeat(MAX_REQUEST_PLAINTEXT_CHARS - head.length - tail.length) + tail;
}

for (const suite of ['SM', 'AES'] as const satisfies readonly Suite[]) {
  describe(`${suite} suite`, () => {
    const keys = deriveKeys(SECRET, suite);
    const seal = (plaintext = CHINESE, now = NOW): Envelope =>
      sealRequest({ appid: APPID, suite, keys, plaintext, now });
    const open = (env: Envelope, now = NOW): OpenResult => openEnvelope(env, keys, { direction: 'req', now });

    test('round trip: Chinese, astral, empty and 2048-character plaintexts', () => {
      for (const text of [CHINESE, '', 'a', 'x'.repeat(2048), longChinese()]) {
        const env = seal(text);
        const parsed = parseEnvelope(JSON.stringify(env));
        assert.ok(parsed.ok);
        assert.deepEqual(open(parsed.env), { ok: true, plaintext: text });
      }
    });

    test('every seal has a fresh nonce and iv, and ts is the given second', () => {
      const a = seal();
      const b = seal();
      assert.notEqual(a.nonce, b.nonce);
      assert.notEqual(a.iv, b.iv);
      assert.notEqual(a.ct, b.ct);
      assert.equal(a.ts, String(NOW));
      assert.equal(
        sealRequest({ appid: APPID, suite, keys, plaintext: '', now: NOW + 0.999 }).ts,
        String(NOW),
      );
      assert.match(a.nonce, /^[0-9a-f]{32}$/);
      assert.equal(a.kcv, keys.kcv);
    });

    test('a flipped ciphertext byte fails with 000001 at every position, every time', () => {
      const env = seal(longChinese());
      const length = Buffer.from(env.ct, 'base64').length;
      for (let i = 0; i < length; i += 7) {
        for (const mask of [0x01, 0x80]) {
          assert.equal(codeOf(open({ ...env, ct: flipBase64Byte(env.ct, i, mask) })), '000001', `byte ${i}`);
        }
      }
      // The last byte is always part of the tag; the first is always ciphertext.
      assert.equal(codeOf(open({ ...env, ct: flipBase64Byte(env.ct, length - 1) })), '000001');
      assert.equal(codeOf(open({ ...env, ct: flipBase64Byte(env.ct, 0) })), '000001');
    });

    test('a flipped iv byte or tag byte fails with 000001', () => {
      const env = seal();
      const ivLength = Buffer.from(env.iv, 'base64').length;
      for (let i = 0; i < ivLength; i++) {
        assert.equal(codeOf(open({ ...env, iv: flipBase64Byte(env.iv, i) })), '000001', `iv byte ${i}`);
      }
      const ct = Buffer.from(env.ct, 'base64');
      for (let i = ct.length - 16; i < ct.length; i++) {
        assert.equal(codeOf(open({ ...env, ct: flipBase64Byte(env.ct, i) })), '000001', `tag byte ${i}`);
      }
    });

    test('truncated, extended, empty or non-canonical base64 fails with 000001', () => {
      const env = seal();
      const ct = Buffer.from(env.ct, 'base64');
      const iv = Buffer.from(env.iv, 'base64');
      const cases: Array<Partial<Envelope>> = [
        { ct: '' },
        { ct: ct.subarray(0, 15).toString('base64') },
        { ct: ct.subarray(0, ct.length - 1).toString('base64') },
        { ct: ct.subarray(0, ct.length - 16).toString('base64') },
        { ct: Buffer.concat([ct, Buffer.alloc(16)]).toString('base64') },
        { ct: `${env.ct}=` },
        { ct: env.ct.replace(/.$/, '!') },
        { ct: ` ${env.ct}` },
        { iv: '' },
        { iv: iv.subarray(1).toString('base64') },
        { iv: Buffer.concat([iv, Buffer.alloc(1)]).toString('base64') },
        { ct: 'A'.repeat(40_000) },
      ];
      for (const change of cases)
        assert.equal(codeOf(open({ ...env, ...change })), '000001', JSON.stringify(change));
      // Same bytes, other spelling: non-zero pad bits decode alike in lenient decoders but are refused.
      for (const text of [CHINESE, `${CHINESE}x`, `${CHINESE}xy`]) {
        const e = seal(text);
        for (const field of ['iv', 'ct'] as const) {
          const variant = nonCanonical(e[field]);
          if (variant === null) continue;
          assert.deepEqual(Buffer.from(variant, 'base64'), Buffer.from(e[field], 'base64'));
          assert.equal(codeOf(open({ ...e, [field]: variant })), '000001', `${field} ${variant}`);
        }
      }
    });

    test('a wrong mac with an intact ciphertext fails with 000002', () => {
      const env = seal();
      const mac = Buffer.from(env.mac, 'hex');
      for (const i of [0, 15, 31]) {
        mac[i] = (mac[i] ?? 0) ^ 0x01;
        assert.equal(codeOf(open({ ...env, mac: mac.toString('hex') })), '000002');
        mac[i] = (mac[i] ?? 0) ^ 0x01;
      }
      // A mac from another message of the same app does not transfer either.
      assert.equal(codeOf(open({ ...env, mac: seal('{"other":1}').mac })), '000002');
    });

    test('tampered header fields never pass: ts, nonce and appid are in the tag input, so 000001', () => {
      const env = seal();
      // Within the window the tag catches a changed ts (AAD / HMAC input), before the mac is looked at.
      assert.equal(codeOf(open({ ...env, ts: String(NOW + 1) })), '000001');
      assert.equal(codeOf(open({ ...env, ts: String(NOW - 299) })), '000001');
      // Beyond the window the time check answers first.
      assert.equal(codeOf(open({ ...env, ts: String(NOW + 301) })), '010006');
      const nonce = `${env.nonce.slice(0, 31)}${env.nonce.endsWith('0') ? '1' : '0'}`;
      assert.equal(codeOf(open({ ...env, nonce })), '000001');
      // Same keys under another appid (the platform would look up that app's keys and stop at 010004/010005).
      assert.equal(codeOf(open({ ...env, appid: 'op-test-02' })), '000001');
      // A request replayed as a response (reflection): direction is in the header.
      assert.equal(
        codeOf(openEnvelope(env, keys, { direction: 'resp', reqNonce: env.nonce, now: NOW })),
        '000001',
      );
    });

    test('a wrong secret is told apart by the kcv: 010005, before anything else', () => {
      const env = seal();
      const other = deriveKeys(`${SECRET}x`, suite);
      assert.equal(codeOf(openEnvelope(env, other, { direction: 'req', now: NOW })), '010005');
      // Even when the timestamp is stale as well: kcv comes first.
      assert.equal(codeOf(openEnvelope(env, other, { direction: 'req', now: NOW + 10_000 })), '010005');
      assert.equal(codeOf(open({ ...env, kcv: '0'.repeat(16) })), '010005');
    });

    test('timestamps beyond ±300 s fail with 010006 saying so and giving the window', () => {
      const env = seal();
      assert.equal(codeOf(open(env, NOW + 300)), 'ok');
      assert.equal(codeOf(open(env, NOW - 300)), 'ok');
      for (const now of [NOW + 301, NOW - 301, NOW + 86_400, 0]) {
        const r = open(env, now);
        assert.equal(codeOf(r), '010006');
        assert.ok(
          !r.ok && r.answer.respMsg.includes('请求时间戳超出有效期') && r.answer.respMsg.includes('±300'),
        );
      }
      // A stale message with a tampered ciphertext still answers 010006: time is checked first.
      assert.equal(codeOf(open({ ...env, ct: flipBase64Byte(env.ct, 0) }, NOW + 1000)), '010006');
      const narrow = openEnvelope(env, keys, { direction: 'req', now: NOW + 31, windowSeconds: 30 });
      assert.ok(!narrow.ok && narrow.answer.respMsg.includes('±30 秒'));
    });

    test('a response opens only for the request whose nonce it binds', () => {
      const req = seal();
      const other = seal();
      const resp = sealResponse({
        appid: APPID,
        suite,
        keys,
        plaintext: '{"respCode":"000000"}',
        reqNonce: req.nonce,
        now: NOW,
      });
      assert.notEqual(resp.nonce, req.nonce);
      const mine = openEnvelope(resp, keys, { direction: 'resp', reqNonce: req.nonce, now: NOW });
      assert.deepEqual(mine, { ok: true, plaintext: '{"respCode":"000000"}' });
      const swapped = openEnvelope(resp, keys, { direction: 'resp', reqNonce: other.nonce, now: NOW });
      assert.equal(codeOf(swapped), '000001');
      // Nor can a response be fed back to the platform as a request.
      assert.equal(codeOf(open(resp)), '000001');
      const late = openEnvelope(resp, keys, { direction: 'resp', reqNonce: req.nonce, now: NOW + 400 });
      assert.ok(!late.ok && late.answer.respMsg.startsWith('应答时间戳超出有效期'));
    });

    test('keys of the other suite are refused, not misused', () => {
      const env = seal();
      const otherSuite = deriveKeys(SECRET, suite === 'SM' ? 'AES' : 'SM');
      assert.equal(codeOf(openEnvelope(env, otherSuite, { direction: 'req', now: NOW })), '000001');
      assert.throws(
        () => sealRequest({ appid: APPID, suite, keys: otherSuite, plaintext: '' }),
        /000001|套件/,
      );
    });

    test('sealing refuses what the peer would refuse', () => {
      const base = { appid: APPID, suite, keys, now: NOW };
      assert.throws(() => sealRequest({ ...base, plaintext: 'x'.repeat(2049) }), { code: '020002' });
      assert.throws(() => sealRequest({ ...base, plaintext: 'bad \uD800 half' }), { code: '000004' });
      assert.throws(() => sealRequest({ ...base, appid: '', plaintext: '' }), { code: '010003' });
      assert.throws(() => sealRequest({ ...base, appid: 'a\nb', plaintext: '' }), { code: '010004' });
      assert.throws(() => sealRequest({ ...base, plaintext: '', nonce: 'ABC' }), { code: '000004' });
      assert.throws(() => sealRequest({ ...base, plaintext: '', iv: Buffer.alloc(3) }), { code: '000001' });
      assert.throws(() => sealRequest({ ...base, plaintext: '', now: Date.now() }), TypeError);
      assert.throws(() => sealResponse({ ...base, plaintext: '', reqNonce: '' }), { code: '000004' });
      // Responses get head-room beyond 2048 characters.
      const big = sealResponse({ ...base, plaintext: 'y'.repeat(5000), reqNonce: 'a'.repeat(32) });
      assert.equal(
        codeOf(openEnvelope(big, keys, { direction: 'resp', reqNonce: 'a'.repeat(32), now: NOW })),
        'ok',
      );
    });

    test('bad options are our bug and throw; bad envelopes never do', () => {
      const env = seal();
      assert.throws(() => openEnvelope(env, keys, { direction: 'req', now: NOW * 1000 }), TypeError);
      assert.throws(() => openEnvelope(env, keys, { direction: 'req', windowSeconds: -1 }), TypeError);
      assert.throws(() => openEnvelope(env, keys, { direction: 'resp', reqNonce: 'x', now: NOW }), TypeError);
      assert.equal(codeOf(openEnvelope({} as Envelope, keys, { direction: 'req', now: NOW })), '000003');
      assert.equal(codeOf(openEnvelope(null as unknown as Envelope, keys, { direction: 'req' })), '000003');
    });
  });
}

test('keysFromSecret returns the same cached keys and matches deriveKeys', () => {
  const a = keysFromSecret(SECRET, 'SM');
  assert.equal(keysFromSecret(SECRET, 'SM'), a);
  assert.deepEqual(a, deriveKeys(SECRET, 'SM'));
  assert.notEqual(keysFromSecret(SECRET, 'AES').kcv, a.kcv);
});

test('authentic but non-UTF-8 plaintext is refused with 000001, not decoded with replacements', async () => {
  const { encrypt } = await import('./cipher.js');
  const { canonicalHeader } = await import('./header.js');
  const { signature } = await import('./seal.js');
  for (const suite of ['SM', 'AES'] as const) {
    const keys = deriveKeys(SECRET, suite);
    const iv = Buffer.alloc(suite === 'SM' ? 16 : 12, 7);
    const nonce = 'ab'.repeat(16);
    const header = canonicalHeader({
      direction: 'req',
      appid: APPID,
      suite,
      ts: String(NOW),
      nonce,
      reqNonce: '',
    });
    const plain = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const env: Envelope = {
      v: 1,
      appid: APPID,
      suite,
      ts: String(NOW),
      nonce,
      kcv: keys.kcv,
      iv: iv.toString('base64'),
      ct: encrypt(keys, header, iv, plain).toString('base64'),
      mac: signature(keys, header, plain).toString('hex'),
    };
    assert.equal(codeOf(openEnvelope(env, keys, { direction: 'req', now: NOW })), '000001');
  }
});
