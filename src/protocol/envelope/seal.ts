import { createHmac } from 'node:crypto';
import { SpecError } from '../codes.js';
import { freshBytes } from '../random.js';
import { encrypt } from './cipher.js';
import { canonicalHeader, type HeaderFields } from './header.js';
import { SUITE_DIGEST } from './keys.js';
import { checkAppid, HEX32 } from './parse.js';
import {
  assertUnixSeconds,
  type Direction,
  type Envelope,
  IV_BYTES,
  isWellFormedText,
  maxPlaintextChars,
  NONCE_BYTES,
  type Suite,
  type SuiteKeys,
} from './types.js';

export interface SealOptions {
  appid: string;
  suite: Suite;
  keys: SuiteKeys;
  plaintext: string;
  /** Unix time in seconds (fractions dropped); default the system clock. */
  now?: number;
  /** For test vectors only: a repeated nonce is a replay to the receiver. */
  nonce?: string;
  /** For test vectors only: a repeated AES-GCM iv under one key gives away plaintext XORs and the tag key. */
  iv?: Uint8Array;
}

export interface SealResponseOptions extends SealOptions {
  /** The nonce of the request this answers; binds the answer to it. */
  reqNonce: string;
}

/** The mac: HMAC(macKey, header "\n" plaintext), hex. Shared with open so both hash the same bytes. */
export function signature(keys: SuiteKeys, header: string, plaintext: Buffer): Buffer {
  return createHmac(SUITE_DIGEST[keys.suite], keys.macKey)
    .update(header, 'utf8')
    .update('\n', 'utf8')
    .update(plaintext)
    .digest();
}

function seal(direction: Direction, o: SealOptions, reqNonce: string): Envelope {
  // Caller mistakes throw: sealing runs on our own side with input already
  // validated, so a wrong call is a bug, not a peer to answer.
  if (o.keys.suite !== o.suite)
    throw new SpecError('000001', `密钥属于 ${o.keys.suite} 套件, 不能用于 ${o.suite}`);
  // The receiver's own grammar, checked before any crypto: an envelope the
  // peer would refuse on shape must never be built.
  const appidProblem = checkAppid(o.appid);
  if (appidProblem)
    throw new SpecError(appidProblem.respCode, `appid ${JSON.stringify(o.appid).slice(0, 64)}`);
  const limit = maxPlaintextChars(direction);
  if (typeof o.plaintext !== 'string' || o.plaintext.length > limit) {
    throw new SpecError('020002', `报文超过 ${limit} 字符`);
  }
  // Lone surrogates would be replaced while encoding, so the peer would read other text than was signed.
  if (!isWellFormedText(o.plaintext)) throw new SpecError('000004', '报文含无效 Unicode 字符');
  if (direction === 'resp' && !HEX32.test(reqNonce)) {
    throw new SpecError('000004', 'reqNonce 须为 32 位小写十六进制');
  }
  const now = o.now ?? Date.now() / 1000;
  assertUnixSeconds(now);
  const ivBytes = IV_BYTES[o.suite];
  let nonce = o.nonce;
  let iv = o.iv === undefined ? undefined : Buffer.from(o.iv.buffer, o.iv.byteOffset, o.iv.length);
  if (nonce === undefined || iv === undefined) {
    const fresh = freshBytes(NONCE_BYTES + ivBytes);
    nonce ??= fresh.toString('hex', 0, NONCE_BYTES);
    iv ??= fresh.subarray(NONCE_BYTES);
  }
  if (!HEX32.test(nonce)) throw new SpecError('000004', 'nonce 须为 32 位小写十六进制');
  if (iv.length !== ivBytes) throw new SpecError('000001', `${o.suite} 套件的 iv 须为 ${ivBytes} 字节`);

  const ts = String(Math.floor(now));
  const fields: HeaderFields = {
    direction,
    appid: o.appid,
    suite: o.suite,
    ts,
    nonce,
    reqNonce,
  };
  const header = canonicalHeader(fields);
  const plain = Buffer.from(o.plaintext, 'utf8');
  const env: Envelope = {
    v: 1,
    appid: o.appid,
    suite: o.suite,
    ts: fields.ts,
    nonce,
    kcv: o.keys.kcv,
    iv: iv.toString('base64'),
    ct: encrypt(o.keys, header, iv, plain).toString('base64'),
    mac: signature(o.keys, header, plain).toString('hex'),
  };
  return env;
}

/** Seals a payTrans request (pindata) for the platform. */
export function sealRequest(o: SealOptions): Envelope {
  return seal('req', o, '');
}

/** Seals the platform's answer to the request whose nonce is `reqNonce`, with its own fresh nonce and ts. */
export function sealResponse(o: SealResponseOptions): Envelope {
  return seal('resp', o, o.reqNonce);
}
