import { type Answer, isSpecCode, SPEC_CODES, type SpecCode } from '../codes.js';
import { openEnvelope } from './open.js';
import { parseEnvelope } from './parse.js';
import type { SuiteKeys } from './types.js';

/**
 * Codes the platform answers in plain JSON, because it answers them before it
 * knows the request came from the app (so it cannot seal for it). Each one
 * means "rejected before anything was done", which is all a forged plain
 * answer could claim; any other plain code is not believed.
 */
export const UNSEALED_ANSWER_CODES: ReadonlySet<SpecCode> = new Set<SpecCode>([
  '000001',
  '000002',
  '000003',
  '000004',
  '010003',
  '010004',
  '010005',
  '010006',
  // The HTTP layer refuses an over-long body before reading it, so before it knows the app.
  '020002',
]);

/** respMsg is Char(256) in the spec. */
const MAX_RESP_MSG_CHARS = 256;

export interface ReadAnswerOptions {
  /** Our appid: a sealed answer for another app is not ours. */
  appid: string;
  /** The nonce of the request we sent. */
  reqNonce: string;
  /** Unix seconds; default the system clock. */
  now?: number;
  windowSeconds?: number;
}

export type ReadAnswerResult =
  /** Authentic answer to our request; plaintext is the platform's poutdata JSON. */
  | { kind: 'sealed'; plaintext: string }
  /** A plain pre-authentication rejection: the request was not processed. */
  | { kind: 'unsealed'; answer: Answer }
  /** Nothing that can be believed: the outcome of the request is unknown. */
  | { kind: 'invalid'; reason: string };

function hasOwn(o: object, key: string): boolean {
  return Object.hasOwn(o, key);
}

/**
 * How a client reads the platform's HTTP answer body (string or parsed JSON).
 * A plain answer keeps only respCode and respMsg, so nothing else can ride
 * in unauthenticated.
 */
export function readAnswer(body: unknown, keys: SuiteKeys, opts: ReadAnswerOptions): ReadAnswerResult {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { kind: 'invalid', reason: '应答不是 JSON' };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', reason: '应答不是 JSON 对象' };
  }
  if (hasOwn(value, 'respCode') && !hasOwn(value, 'ct')) {
    const { respCode, respMsg } = value as { respCode: unknown; respMsg: unknown };
    if (typeof respCode !== 'string' || !isSpecCode(respCode) || !UNSEALED_ANSWER_CODES.has(respCode)) {
      return { kind: 'invalid', reason: `未加密的应答不可信 (respCode ${String(respCode).slice(0, 8)})` };
    }
    const msg =
      typeof respMsg === 'string' && respMsg.length > 0
        ? respMsg.slice(0, MAX_RESP_MSG_CHARS)
        : SPEC_CODES[respCode];
    return { kind: 'unsealed', answer: { respCode, respMsg: msg } };
  }
  const parsed = parseEnvelope(value);
  if (!parsed.ok) return { kind: 'invalid', reason: `应答报文格式非法: ${parsed.answer.respMsg}` };
  if (parsed.env.appid !== opts.appid) return { kind: 'invalid', reason: '应答的应用编号与本应用不符' };
  const open = openEnvelope(parsed.env, keys, {
    direction: 'resp',
    reqNonce: opts.reqNonce,
    ...(opts.now === undefined ? {} : { now: opts.now }),
    ...(opts.windowSeconds === undefined ? {} : { windowSeconds: opts.windowSeconds }),
  });
  if (!open.ok) return { kind: 'invalid', reason: `应答校验失败: ${open.answer.respMsg}` };
  return { kind: 'sealed', plaintext: open.plaintext };
}
