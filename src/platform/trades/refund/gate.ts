import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../store/index.js';

/**
 * The minimum interval between refunds of one order (044003), claimed inside
 * the refund's transaction with one guarded upsert: concurrent refunds take
 * the gate one at a time, from any number of platform processes, so two
 * inside the interval cannot both pass. PostgreSQL's one-call refund
 * (migration 0011) claims the same gate. 0 turns the limit off.
 */
export async function passRefundGate(
  db: Kysely<Schema> | Transaction<Schema>,
  origTraceNo: string,
  now: number,
  intervalMs: number,
): Promise<boolean> {
  if (intervalMs <= 0) return true;
  const result = await db
    .insertInto('refund_gates')
    .values({ orig_trace_no: origTraceNo, last_at: now })
    .onConflict((oc) =>
      oc
        .column('orig_trace_no')
        .doUpdateSet({ last_at: now })
        .where('refund_gates.last_at', '<=', now - intervalMs),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}
