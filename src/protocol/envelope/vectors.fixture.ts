/**
 * Builds docs/test-vectors.json from fixed inputs. Every intermediate value is
 * computed here step by step with raw node:crypto calls, apart from the
 * library, so the vectors test compares two implementations and a HIS vendor
 * can check each stage (keys, kcv, header, ciphertext, tag, mac) on its own.
 */
import { createCipheriv, createHmac, hkdfSync } from 'node:crypto';
import { deriveKeys } from './keys.js';
import { sealRequest, sealResponse } from './seal.js';
import type { Envelope, Suite } from './types.js';

export const VECTOR_INPUTS = {
  secret: 'K7gNU3sdo-OL0wNhqoVWhr3g6s1xYv72ol_pe_Unols',
  appid: 'op0123456789abcdef',
  request: {
    ts: '1700000000',
    nonce: '000102030405060708090a0b0c0d0e0f',
    ivHex: { SM: '101112131415161718191a1b1c1d1e1f', AES: '202122232425262728292a2b' },
    plaintext:
      '{"transType":"hop.trade.recharge","param":{"operatorId":"001","termNo":"T01","operatorName":"张三",' +
      '"cardType":"01","cardNo":"D12345678","accountType":"01","amount":"100.00",' +
      '"outChargeNo":"20161125000000001","notes":"门诊支付","extra":""}}',
  },
  response: {
    ts: '1700000001',
    nonce: 'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff',
    ivHex: { SM: '303132333435363738393a3b3c3d3e3f', AES: '404142434445464748494a4b' },
    plaintext: '{"respCode":"000000","respMsg":"处理成功"}',
  },
} as const;

const DIGEST = { SM: 'sm3', AES: 'sha256' } as const;

function hkdf(suite: Suite, info: string, length: number): Buffer {
  return Buffer.from(
    hkdfSync(
      DIGEST[suite],
      Buffer.from(VECTOR_INPUTS.secret, 'utf8'),
      Buffer.from('onepay/v1'),
      info,
      length,
    ),
  );
}

function step(suite: Suite, direction: 'req' | 'resp', keys: Record<string, Buffer>) {
  const m = direction === 'req' ? VECTOR_INPUTS.request : VECTOR_INPUTS.response;
  const reqNonce = direction === 'req' ? '' : VECTOR_INPUTS.request.nonce;
  const header = ['onepay/v1', direction, VECTOR_INPUTS.appid, suite, m.ts, m.nonce, reqNonce].join('\n');
  const iv = Buffer.from(m.ivHex[suite], 'hex');
  const plain = Buffer.from(m.plaintext, 'utf8');
  let body: Buffer;
  let tag: Buffer;
  if (suite === 'SM') {
    const c = createCipheriv('sm4-cbc', keys['enc']!, iv);
    body = Buffer.concat([c.update(plain), c.final()]);
    tag = createHmac('sm3', keys['auth']!)
      .update(Buffer.concat([Buffer.from(header, 'utf8'), iv, body]))
      .digest()
      .subarray(0, 16);
  } else {
    const c = createCipheriv('aes-256-gcm', keys['enc']!, iv, { authTagLength: 16 });
    c.setAAD(Buffer.from(header, 'utf8'));
    body = Buffer.concat([c.update(plain), c.final()]);
    tag = c.getAuthTag();
  }
  const mac = createHmac(DIGEST[suite], keys['mac']!)
    .update(Buffer.concat([Buffer.from(header, 'utf8'), Buffer.from('\n'), plain]))
    .digest('hex');
  const envelope: Envelope = {
    v: 1,
    appid: VECTOR_INPUTS.appid,
    suite,
    ts: m.ts,
    nonce: m.nonce,
    kcv: keys['kcv']!.toString('hex'),
    iv: iv.toString('base64'),
    ct: Buffer.concat([body, tag]).toString('base64'),
    mac,
  };
  return {
    direction,
    ts: m.ts,
    nonce: m.nonce,
    reqNonce,
    ivHex: m.ivHex[suite],
    plaintext: m.plaintext,
    plaintextUtf8Hex: plain.toString('hex'),
    header,
    headerUtf8Hex: Buffer.from(header, 'utf8').toString('hex'),
    ciphertextHex: body.toString('hex'),
    tagHex: tag.toString('hex'),
    mac,
    envelope,
    body: JSON.stringify(envelope),
  };
}

/** The vectors as computed independently, step by step. */
export function computeVectors() {
  const suites = {} as Record<Suite, unknown>;
  for (const suite of ['SM', 'AES'] as const) {
    const kcvKey = hkdf(suite, 'kcv', 32);
    const keys: Record<string, Buffer> = {
      enc: hkdf(suite, 'enc', suite === 'SM' ? 16 : 32),
      mac: hkdf(suite, 'mac', 32),
      kcv: createHmac(DIGEST[suite], kcvKey).update('kcv').digest().subarray(0, 8),
    };
    if (suite === 'SM') keys['auth'] = hkdf(suite, 'auth', 32);
    suites[suite] = {
      digest: DIGEST[suite],
      cipher: suite === 'SM' ? 'SM4-CBC PKCS#7 + HMAC-SM3 tag (16 bytes)' : 'AES-256-GCM (16-byte tag)',
      keys: {
        encKeyHex: keys['enc']!.toString('hex'),
        ...(suite === 'SM' ? { authKeyHex: keys['auth']!.toString('hex') } : {}),
        macKeyHex: keys['mac']!.toString('hex'),
        kcvKeyHex: kcvKey.toString('hex'),
        kcv: keys['kcv']!.toString('hex'),
      },
      request: step(suite, 'req', keys),
      response: step(suite, 'resp', keys),
    };
  }
  return {
    about:
      'Test vectors of the onepay envelope v1 (docs/wire-format.md). Inputs are fixed; every other value ' +
      'follows from them. Strings are UTF-8; "…Hex" values are lowercase hex of bytes; header lines are ' +
      'joined by a single LF (0x0a) with no trailing LF.',
    secret: VECTOR_INPUTS.secret,
    secretUtf8Hex: Buffer.from(VECTOR_INPUTS.secret, 'utf8').toString('hex'),
    appid: VECTOR_INPUTS.appid,
    hkdfSalt: 'onepay/v1',
    suites,
  };
}

/** The same envelopes through the library's public API with injected time, nonce and iv. */
export function libraryEnvelopes(): Record<Suite, { request: Envelope; response: Envelope }> {
  const out = {} as Record<Suite, { request: Envelope; response: Envelope }>;
  for (const suite of ['SM', 'AES'] as const) {
    const keys = deriveKeys(VECTOR_INPUTS.secret, suite);
    const q = VECTOR_INPUTS.request;
    const r = VECTOR_INPUTS.response;
    out[suite] = {
      request: sealRequest({
        appid: VECTOR_INPUTS.appid,
        suite,
        keys,
        plaintext: q.plaintext,
        now: Number(q.ts),
        nonce: q.nonce,
        iv: Buffer.from(q.ivHex[suite], 'hex'),
      }),
      response: sealResponse({
        appid: VECTOR_INPUTS.appid,
        suite,
        keys,
        plaintext: r.plaintext,
        reqNonce: q.nonce,
        now: Number(r.ts),
        nonce: r.nonce,
        iv: Buffer.from(r.ivHex[suite], 'hex'),
      }),
    };
  }
  return out;
}
