import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookConfig } from './config.js';
import type { DeliveryResult } from './delivery-result.js';

export const EVENT_ID_HEADER = 'x-onepay-event-id';
const TIMESTAMP_HEADER = 'x-onepay-timestamp';
const SIGNATURE_HEADER = 'x-onepay-signature';
/** A receiver refuses signatures older than this (Stripe's tolerance). */
const WEBHOOK_TOLERANCE_S = 300;

/** v1=hex(HMAC-SHA256(secret, "<timestamp>.<body>")): the timestamp is signed too, so an old body cannot be replayed with a new time. */
function signWebhook(secret: string, timestampS: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex')}`;
}

/** For receivers (and tests): true when the signature is the sender's and fresh. */
export function verifyWebhook(
  secret: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string,
  nowS: number,
): boolean {
  const ts = Number(headers[TIMESTAMP_HEADER]);
  const got = headers[SIGNATURE_HEADER];
  if (!Number.isSafeInteger(ts) || typeof got !== 'string') return false;
  if (Math.abs(nowS - ts) > WEBHOOK_TOLERANCE_S) return false;
  const want = Buffer.from(signWebhook(secret, ts, body));
  const have = Buffer.from(got);
  return want.length === have.length && timingSafeEqual(want, have);
}

export async function sendWebhook(
  config: WebhookConfig,
  eventId: string,
  body: string,
  nowMs: number,
  timeoutMs: number,
): Promise<DeliveryResult> {
  const ts = Math.floor(nowMs / 1000);
  try {
    const res = await fetch(config.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        [EVENT_ID_HEADER]: eventId,
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: signWebhook(config.secret, ts, body),
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await res.body?.cancel();
    if (res.status >= 200 && res.status < 300) return { ok: true };
    return { ok: false, error: `webhook answered HTTP ${res.status}` };
  } catch (error) {
    return { ok: false, error: `webhook unreachable: ${(error as Error).message}`.slice(0, 300) };
  }
}
