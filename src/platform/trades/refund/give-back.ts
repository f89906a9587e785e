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
