import { isUtf8 } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import { type Answer, fail } from '../codes.js';
import { decrypt } from './cipher.js';
import { canonicalHeader } from './header.js';
import { checkEnvelope, HEX32 } from './parse.js';
import { signature } from './seal.js';
import {
  assertUnixSeconds,
  DEFAULT_WINDOW_SECONDS,
  type Direction,
  type Envelope,
  IV_BYTES,
  MAC_BYTES,
  maxPlaintextChars,
  type SuiteKeys,
  TAG_BYTES,
} from './types.js';

interface OpenCommon {
  /** Unix time in seconds (fractions dropped); default the system clock. */
  now?: number;
  /** Largest accepted |now − ts|, seconds. */
  windowSeconds?: number;
}
export interface OpenRequestOptions extends OpenCommon {
  direction: 'req';
}
export interface OpenResponseOptions extends OpenCommon {
  direction: 'resp';
  /** The nonce of the request we sent: an answer sealed for any other request fails. */
  reqNonce: string;
}
export type OpenOptions = OpenRequestOptions | OpenResponseOptions;

export type OpenResult = { ok: true; plaintext: string } | { ok: false; answer: Answer };

/**
 * Canonical base64 (RFC 4648 §4, padded, standard alphabet) of at most
 * `maxBytes` bytes, or null. Node's decoder skips junk and accepts the URL
 * alphabet, so the decoded bytes must re-encode to exactly the text: that
 * rejects whitespace, bad characters, missing padding and non-zero pad bits
 * in one comparison, cheaper than a regex over the whole string.
 */
function strictBase64(text: string, maxBytes: number): Buffer | null {
  if (text.length % 4 !== 0 || text.length > Math.ceil(maxBytes / 3) * 4) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length <= maxBytes && bytes.toString('base64') === text ? bytes : null;
}

function equalAscii(a: string, b: string): boolean {
  // Length is public (fixed by the grammar); only the content must not leak through timing.
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}

function staleAnswer(direction: Direction, windowSeconds: number, nowSeconds: number): Answer {
  // The spec's text for 010006 says "empty"; a stale stamp needs its own words,
  // and the allowed window plus our clock let the peer see its own skew.
  const who = direction === 'req' ? '请求' : '应答';
  return {
    respCode: '010006',
    respMsg: `${who}时间戳超出有效期: 须在当前时间 ±${windowSeconds} 秒内 (当前 ${nowSeconds})`,
  };
}

const PEER_NOW = /\(当前 (\d{1,12})\)/;

/**
 * The unix seconds a 010006 answer says its sender's clock read (the
 * `(当前 <seconds>)` of staleAnswer), or undefined: how a client with a wrong
 * clock learns by how much.
 */
export function peerTimeOf(answer: Answer): number | undefined {
  if (answer.respCode !== '010006') return undefined;
  const m = PEER_NOW.exec(answer.respMsg);
  return m ? Number(m[1]) : undefined;
}

/**
 * Verifies and decrypts an envelope. Check order (the first failure answers):
 * shape → kcv 010005 → time window 010006 → iv/ct/tag 000001 → mac 000002.
 * Never throws for any envelope value; throws TypeError only for a wrong call
 * (bad options), which is our bug rather than the peer's.
 */
export function openEnvelope(env: Envelope, keys: SuiteKeys, opts: OpenOptions): OpenResult {
  const windowSeconds = opts.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  if (!Number.isSafeInteger(windowSeconds) || windowSeconds < 0) {
    throw new TypeError(`windowSeconds must be a non-negative integer, got ${windowSeconds}`);
  }
  const now = opts.now ?? Date.now() / 1000;
  assertUnixSeconds(now);
  const reqNonce = opts.direction === 'resp' ? opts.reqNonce : '';
  if (opts.direction === 'resp' && !HEX32.test(reqNonce)) {
    throw new TypeError('reqNonce must be the 32 lowercase hex nonce of the request');
  }
  try {
    return openChecked(env, keys, opts.direction, reqNonce, now, windowSeconds);
  } catch {
    // Defence in depth: every path above is length-checked, but a peer must
    // never turn a library exception into a 500.
    return { ok: false, answer: fail('000001') };
  }
}

function openChecked(
  value: Envelope,
  keys: SuiteKeys,
  direction: Direction,
  reqNonce: string,
  now: number,
  windowSeconds: number,
): OpenResult {
  // Callers may hand over anything typed as Envelope; re-checking the grammar costs microseconds.
  const shape = checkEnvelope(value);
  if (!shape.ok) return shape;
  const env = shape.env;
  if (env.suite !== keys.suite) return { ok: false, answer: fail('000001', '密钥与加密套件不符') };
  if (!equalAscii(env.kcv, keys.kcv)) return { ok: false, answer: fail('010005') };

  const nowSeconds = Math.floor(now);
  if (Math.abs(nowSeconds - Number(env.ts)) > windowSeconds) {
    return { ok: false, answer: staleAnswer(direction, windowSeconds, nowSeconds) };
  }

  const maxChars = maxPlaintextChars(direction);
  // Three UTF-8 bytes per UTF-16 unit at most, one padding block, one tag.
  const iv = strictBase64(env.iv, IV_BYTES[env.suite]);
  const sealed = strictBase64(env.ct, maxChars * 3 + 16 + TAG_BYTES);
  if (iv === null || sealed === null) return { ok: false, answer: fail('000001', 'iv 或 ct 编码或长度非法') };
  const header = canonicalHeader({
    direction,
    appid: env.appid,
    suite: env.suite,
    ts: env.ts,
    nonce: env.nonce,
    reqNonce,
  });
  const plain = decrypt(keys, header, iv, sealed);
  if (plain === null) return { ok: false, answer: fail('000001') };

  const expected = signature(keys, header, plain);
  const given = Buffer.from(env.mac, 'hex');
  if (given.length !== MAC_BYTES || expected.length !== MAC_BYTES || !timingSafeEqual(expected, given)) {
    return { ok: false, answer: fail('000002') };
  }

  // Authentic bytes that are not UTF-8 are still a message we cannot read.
  if (!isUtf8(plain)) return { ok: false, answer: fail('000001', '明文不是合法 UTF-8') };
  const plaintext = plain.toString('utf8');
  if (plaintext.length > maxChars) return { ok: false, answer: fail('000004', `报文超过 ${maxChars} 字符`) };
  return { ok: true, plaintext };
}
