import { type Answer, fail } from '../codes.js';
import { isSuite } from './keys.js';
import { type Envelope, MAX_APPID_CHARS, MAX_TS_DIGITS } from './types.js';

export type ParseResult = { ok: true; env: Envelope } | { ok: false; answer: Answer };

/**
 * Largest body worth reading: the biggest legal response envelope is about
 * 33 000 characters (8192 chars × 3 UTF-8 bytes, base64), so twice that is
 * certainly not an envelope.
 */
export const MAX_BODY_CHARS = 65_536;

const TS_PATTERN = new RegExp(`^(0|[1-9][0-9]{0,${MAX_TS_DIGITS - 1}})$`);
export const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const HEX64 = /^[0-9a-f]{64}$/;
// Control characters would let an appid forge extra header lines; lone
// surrogates have no agreed UTF-8 form across the peers' languages.
const BAD_APPID = /[\p{Cc}\uD800-\uDFFF]/u;

function own(o: object, key: string): unknown {
  // Only own members count: a body must not borrow fields from a prototype.
  return Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

function isEmptyBody(body: unknown): boolean {
  if (body === undefined || body === null) return true;
  if (typeof body === 'string') return body.trim() === '';
  if (body instanceof Uint8Array) return body.length === 0;
  if (typeof body === 'object' && !Array.isArray(body)) return Object.keys(body).length === 0;
  return false;
}

/** Why `appid` cannot head an envelope (010003 empty, 000004 not text, 010004 malformed), or null. */
export function checkAppid(appid: unknown): Answer | null {
  if (appid === undefined || appid === null || appid === '') return fail('010003');
  if (typeof appid !== 'string') return fail('000004', 'appid 须为字符串');
  if (appid.length > MAX_APPID_CHARS || BAD_APPID.test(appid)) {
    return fail('010004', `appid 须为不含控制字符的 1-${MAX_APPID_CHARS} 个字符`);
  }
  return null;
}

/** Checks an already decoded value field by field; the order is the documented precedence. */
export function checkEnvelope(o: unknown): ParseResult {
  if (isEmptyBody(o)) return { ok: false, answer: fail('000003') };
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    return { ok: false, answer: fail('000004', '报文须为 JSON 对象') };
  }
  // Version first: a later version may change every other field.
  if (own(o, 'v') !== 1) return { ok: false, answer: fail('000004', '不支持的报文版本 v') };

  const appid = own(o, 'appid');
  const appidProblem = checkAppid(appid);
  if (appidProblem) return { ok: false, answer: appidProblem };

  const ts = own(o, 'ts');
  if (ts === undefined || ts === null || ts === '') return { ok: false, answer: fail('010006') };
  if (typeof ts !== 'string' || !TS_PATTERN.test(ts)) {
    return { ok: false, answer: fail('000004', 'ts 须为十进制 unix 秒字符串, 无前导零') };
  }

  const suite = own(o, 'suite');
  if (typeof suite !== 'string') return { ok: false, answer: fail('000004', 'suite 须为字符串') };
  if (!isSuite(suite)) return { ok: false, answer: fail('000001', `未知加密套件 ${suite.slice(0, 16)}`) };

  const nonce = own(o, 'nonce');
  if (typeof nonce !== 'string' || !HEX32.test(nonce)) {
    return { ok: false, answer: fail('000004', 'nonce 须为 32 位小写十六进制') };
  }
  const kcv = own(o, 'kcv');
  if (typeof kcv !== 'string' || !HEX16.test(kcv)) {
    return { ok: false, answer: fail('000004', 'kcv 须为 16 位小写十六进制') };
  }
  const iv = own(o, 'iv');
  if (typeof iv !== 'string') return { ok: false, answer: fail('000004', 'iv 须为 base64 字符串') };
  const ct = own(o, 'ct');
  if (typeof ct !== 'string') return { ok: false, answer: fail('000004', 'ct 须为 base64 字符串') };
  const mac = own(o, 'mac');
  if (typeof mac !== 'string' || !HEX64.test(mac)) {
    return { ok: false, answer: fail('000004', 'mac 须为 64 位小写十六进制') };
  }
  // A fresh object: unknown members are dropped, never carried along unauthenticated.
  return { ok: true, env: { v: 1, appid: appid as string, suite, ts, nonce, kcv, iv, ct, mac } };
}

/**
 * Reads an HTTP body (raw string or bytes, or the JSON value a framework
 * already parsed) into an envelope, or the spec answer for why it is not one.
 * Pure shape checks: no key is needed, so it runs before the app is looked up.
 */
export function parseEnvelope(body: unknown): ParseResult {
  let value = body;
  if (value instanceof Uint8Array)
    value = Buffer.from(value.buffer, value.byteOffset, value.length).toString('utf8');
  if (typeof value === 'string') {
    if (value.trim() === '') return { ok: false, answer: fail('000003') };
    if (value.length > MAX_BODY_CHARS) return { ok: false, answer: fail('000004', '报文过长') };
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: false, answer: fail('000004', '报文不是合法 JSON') };
    }
  }
  return checkEnvelope(value);
}
