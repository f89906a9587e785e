import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request signing between the platform and an external HIS (docs/his-api.md).
 * The MAC covers the timestamp as well as the body, so a captured request
 * cannot be re-dated to slip past the window; replays inside the window are
 * harmless because every operation is idempotent on its trace number.
 */
export const SIGNATURE_HEADER = 'x-onepay-signature';
export const TIMESTAMP_HEADER = 'x-onepay-timestamp';
const SIGNATURE_WINDOW_S = 300;

/** Lowercase hex HMAC-SHA256(key, `${timestampS}.${body}`). */
export function signBody(key: string, timestampS: number, body: string): string {
  return createHmac('sha256', key).update(`${timestampS}.${body}`, 'utf8').digest('hex');
}

type SignatureCheck = 'ok' | 'missing' | 'bad' | 'stale';

/**
 * What an answer's MAC covers besides its body: the signature of the request
 * it answers, so an answer cannot be replayed as the answer to another call.
 */
export function answerMacInput(requestSignature: string, body: string): string {
  return `${requestSignature}.${body}`;
}

export function verifySignature(input: {
  readonly key: string;
  readonly body: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly nowS: number;
  readonly windowS?: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return 'missing';
  // Digits only: Number() would accept " 12", "1e3" and "0x10", each a second spelling of one MAC input.
  if (!/^[0-9]{1,12}$/.test(timestamp)) return 'bad';
  const expected = Buffer.from(signBody(input.key, Number(timestamp), input.body), 'utf8');
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  // timingSafeEqual throws on unequal lengths; the length of a hex MAC is no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad';
  // Checked after the MAC so an attacker learns nothing about the window from unsigned probes.
  if (Math.abs(input.nowS - Number(timestamp)) > (input.windowS ?? SIGNATURE_WINDOW_S)) return 'stale';
  return 'ok';
}
