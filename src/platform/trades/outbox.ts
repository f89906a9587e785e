import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../store/index.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** Topics of trade events; the notification worker delivers "callback" rows to their URL. */
export const TRADE_TOPICS = {
  /** POST of `body` to `url` (recpay's notifyUrl), bounded retries, stable event id. */
  callback: 'callback',
  /** Exam bill details for the HIS once the self-paid part is in (or at once when all is insurance). */
  hisRecpay: 'his.recpay',
  /** Insurance reversal details for the HIS. */
  hisCancel: 'his.cancel',
} as const;

/** Written in the caller's transaction: the event exists exactly when the trade does. */
export async function enqueue(
  db: Db,
  row: { appid: string; topic: string; payload: unknown; eventId?: string; now: number },
): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      event_id: row.eventId ?? `evt_${randomBytes(12).toString('hex')}`,
      appid: row.appid,
      topic: row.topic,
      payload: JSON.stringify(row.payload),
      state: 'ing',
      attempts: 0,
      next_at: row.now,
      last_error: null,
      created_at: row.now,
      updated_at: row.now,
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute();
}
