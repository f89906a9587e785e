import { sql, type Transaction } from 'kysely';
import { refundingAccount, transfer } from '../../ledger/journal.js';
import type { OrderTable, Schema } from '../../store/index.js';

/** A refund that did not happen: its money leaves "refunding" for the ledger account it was held in. */
export async function giveBackTo(
  trx: Transaction<Schema>,
  row: OrderTable,
  account: string,
  memo: string,
  now: number,
): Promise<void> {
  await transfer(trx, {
    traceNo: row.trace_no,
    appid: row.appid,
    debit: refundingAccount(row.trace_no),
    credit: account,
    amountFen: row.amount_fen,
    memo,
    now,
  });
}

/** A refund that did not happen no longer counts against what its original order may still refund. */
export async function uncountRefund(trx: Transaction<Schema>, row: OrderTable, now: number): Promise<void> {
  await trx
    .updateTable('orders')
    .set({ refunded_fen: sql`refunded_fen - ${row.amount_fen}`, updated_at: now })
    .where('trace_no', '=', row.orig_trace_no ?? '')
    .execute();
}

/**
 * A refund that did not happen, undone in the caller's transaction: its money
 * back to whoever held it, and the payment refundable again. The two go
 * together; one without the other leaves the ledger or the payment wrong.
 */
export async function undoRefund(
  trx: Transaction<Schema>,
  row: OrderTable,
  holder: { giveBack(trx: Transaction<Schema>, row: OrderTable, memo: string, now: number): Promise<void> },
  memo: string,
  now: number,
): Promise<void> {
  await holder.giveBack(trx, row, memo, now);
  await uncountRefund(trx, row, now);
}
