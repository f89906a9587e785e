import { sql } from 'kysely';
import { isSpecCode, SpecError } from '../../../protocol/codes.js';
import type { Store } from '../index.js';
import type { OrderTable, TransferTable } from '../schema.js';

/** What the function of migration 0011 raises when a guard fails; its DETAIL is the spec's code. */
const GUARD_FAILED = 'OP001';

/** A journal entry as the function inserts it. */
type EntryRow = Omit<TransferTable, 'id'>;

/**
 * PostgreSQL: a refund paid out offline in one call of `onepay_offline_refund`
 * (migrations 0007 and 0011) — claim the refund number with the final order
 * row, pass the order's refund gate, count the amount against the original,
 * move the balance, write the entries — the locks held for one round trip
 * instead of eight. 'lost' when an identical concurrent request holds the
 * number (nothing written); a failed guard throws the spec's SpecError and the
 * whole call is undone. The caller builds the rows (trades/refund/one-call.ts).
 */
export async function offlineRefundInOneCall(
  store: Store,
  call: {
    readonly final: OrderTable;
    readonly entries: readonly EntryRow[];
    readonly accountNo: string;
    /** The minimum interval between refunds of the order (044003); 0 turns it off. */
    readonly intervalMs: number;
  },
): Promise<'settled' | 'lost'> {
  try {
    const result = await sql<{ outcome: string }>`select onepay_offline_refund(
        ${JSON.stringify(call.final)}::json, ${JSON.stringify(call.entries)}::json,
        ${call.final.orig_trace_no}, ${call.accountNo}, ${call.intervalMs}
      ) as outcome`.execute(store.db);
    const outcome = result.rows[0]?.outcome;
    if (outcome === 'lost' || outcome === 'settled') return outcome;
    throw new Error(`onepay_offline_refund answered ${String(outcome)}`);
  } catch (error) {
    const e = error as { code?: string; detail?: string; message?: string };
    if (e.code === GUARD_FAILED && e.detail && isSpecCode(e.detail)) throw new SpecError(e.detail, e.message);
    throw error;
  }
}
