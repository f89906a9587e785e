import { allowsInsecureHttp, plainHttpRefusal } from '../apps/url-policy.js';
import type { Platform } from '../platform.js';
import { TRADE_TOPICS } from '../trades/outbox.js';
import type { DeliveryResult } from './delivery-result.js';
import { sendWebhook } from './webhook.js';

/** Outbox topics written by the money flows (recpay notifyUrl, exam bill details for the HIS). */
export const TRADE_EVENT_TOPICS: readonly string[] = Object.values(TRADE_TOPICS);

export function isTradeEvent(topic: string): boolean {
  return TRADE_EVENT_TOPICS.includes(topic);
}

/**
 * One attempt at a trade event. A callback goes to the caller's notifyUrl,
 * signed with the app's secret (the HIS holds it already) the same way as
 * the notification webhooks. Details for the HIS go to `<HIS>/events`, signed
 * with the HIS key, when the app's deposits are held by an external HIS;
 * with the platform's own ledger there is no other party, and the event is
 * the record.
 */
export async function deliverTradeEvent(
  platform: Platform,
  row: { topic: string; appid: string; event_id: string; payload: string },
  now: number,
  timeoutMs: number,
): Promise<DeliveryResult> {
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(row.payload) as Record<string, unknown>;
  } catch {
    return { ok: false, error: 'outbox payload is not JSON', permanent: true };
  }
  const app = await platform.apps.find(row.appid);
  if (!app) return { ok: false, error: `app ${row.appid} no longer exists`, permanent: true };
  if (row.topic === TRADE_TOPICS.callback) {
    const url = typeof payload['url'] === 'string' ? payload['url'] : '';
    const refused = plainHttpRefusal('notifyUrl', url, allowsInsecureHttp(app.config));
    if (refused) return { ok: false, error: refused, permanent: true };
    const body = JSON.stringify({ eventId: row.event_id, ...(payload['body'] as object) });
    return sendWebhook({ url, secret: app.secret }, row.event_id, body, now, timeoutMs);
  }
  const his = app.config.depositProvider;
  if (!his) return { ok: true };
  const refused = plainHttpRefusal('外部 HIS', his.baseUrl, allowsInsecureHttp(app.config));
  if (refused) return { ok: false, error: refused, permanent: true };
  const body = JSON.stringify({ eventId: row.event_id, topic: row.topic, ...payload });
  return sendWebhook(
    { url: `${his.baseUrl.replace(/\/$/, '')}/events`, secret: his.key },
    row.event_id,
    body,
    now,
    timeoutMs,
  );
}
