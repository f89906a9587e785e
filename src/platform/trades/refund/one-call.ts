import { sql } from 'kysely';
import { type Answer, isSpecCode, SpecError } from '../../../protocol/codes.js';
import { depositLedgerAccount } from '../../ledger/accounts.js';
import { checkedTransfer } from '../../ledger/journal.js';
import type { OrderTable, Store } from '../../store/index.js';
import { paidOut, refundLeaves, refundPaidOut } from './entries.js';

/** What the function of migration 0007 raises when a guard fails; its DETAIL is the spec's code. */
const GUARD_FAILED = 'OP001';

/**
 * On PostgreSQL, a refund from the deposit paid out offline, in one call of
 * `onepay_offline_refund` (migrations 0007 and 0011): the same rows as the transaction
 * in refund.ts would write, the locks held for one round trip instead of
 * eight. Returns the answer, or 'lost' when an identical concurrent request
 * holds the refund number (nothing was written); a failed guard throws the
 * SpecError the transaction would have.
 */
export async function refundOfflineInOneCall(
  store: Store,
  row: OrderTable,
  accountNo: string,
  /** The minimum interval between refunds of the order (044003); 0 turns it off. */
  intervalMs: number,
): Promise<Answer | 'lost'> {
  const { answer, done } = paidOut(row);
  const final: OrderTable = { ...row, ...done };
  const entries = [refundLeaves(row, depositLedgerAccount(accountNo)), refundPaidOut(row)]
    .map(checkedTransfer)
    .map((t) => ({
      trace_no: t.traceNo,
      appid: t.appid,
      debit: t.debit,
      credit: t.credit,
      amount_fen: t.amountFen,
      memo: t.memo,
      created_at: t.now,
    }));
  try {
    const result = await sql<{ outcome: string }>`select onepay_offline_refund(
        ${JSON.stringify(final)}::json, ${JSON.stringify(entries)}::json, ${row.orig_trace_no}, ${accountNo},
        ${intervalMs}
      ) as outcome`.execute(store.db);
    const outcome = result.rows[0]?.outcome;
    if (outcome === 'lost') return 'lost';
    if (outcome !== 'settled') throw new Error(`onepay_offline_refund answered ${String(outcome)}`);
    return answer;
  } catch (error) {
    const e = error as { code?: string; detail?: string; message?: string };
    if (e.code === GUARD_FAILED && e.detail && isSpecCode(e.detail)) throw new SpecError(e.detail, e.message);
    throw error;
  }
}
