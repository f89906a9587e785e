import type { Answer } from '../../../protocol/codes.js';
import { depositLedgerAccount } from '../../ledger/accounts.js';
import { checkedTransfer } from '../../ledger/journal.js';
import type { OrderTable, Store } from '../../store/index.js';
import { offlineRefundInOneCall } from '../../store/postgres/offline-refund.js';
import { paidOut, refundLeaves, refundPaidOut } from './entries.js';

/**
 * On PostgreSQL, a refund from the deposit paid out offline: the same rows as
 * the transaction in from-order.ts would write (built by the same functions,
 * entries.ts), handed to the engine's one-call form. Returns the answer, or
 * 'lost' when an identical concurrent request holds the refund number; a
 * failed guard throws the SpecError the transaction would have.
 */
export async function refundOfflineInOneCall(
  store: Store,
  row: OrderTable,
  accountNo: string,
  /** The minimum interval between refunds of the order (044003); 0 turns it off. */
  intervalMs: number,
): Promise<Answer | 'lost'> {
  const { answer, done } = paidOut(row);
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
  const outcome = await offlineRefundInOneCall(store, {
    final: { ...row, ...done },
    entries,
    accountNo,
    intervalMs,
  });
  return outcome === 'lost' ? 'lost' : answer;
}
