import type { Answer } from '../../../protocol/codes.js';
import { clearingAccount, refundingAccount, type TransferInput } from '../../ledger/journal.js';
import type { OrderTable } from '../../store/index.js';
import { refundAnswer } from './answer.js';

/**
 * The journal entries and the final state of a refund, whichever way it is
 * written (the transaction in refund.ts, or one call on PostgreSQL in
 * refund/one-call.ts): one place for what a refund records.
 */

/** The refund leaves `from` (the patient's deposit, or what the HIS was passed) and is on its way back. */
export function refundLeaves(row: OrderTable, from: string): TransferInput {
  return {
    traceNo: row.trace_no,
    appid: row.appid,
    debit: from,
    credit: refundingAccount(row.trace_no),
    amountFen: row.amount_fen,
    memo: `refund ${row.out_no}`,
    now: row.created_at,
  };
}

/** Paid out by people (cash from the drawer, a bank transfer…): the money has left through that route. */
export function refundPaidOut(row: OrderTable): TransferInput {
  return {
    traceNo: row.trace_no,
    appid: row.appid,
    debit: refundingAccount(row.trace_no),
    credit: clearingAccount(row.channel, row.term_no),
    amountFen: row.amount_fen,
    memo: `refund paid out as ${row.channel}`,
    now: row.created_at,
  };
}

/** A refund completed offline, at once: its answer, and what its order row becomes. */
export function paidOut(row: OrderTable): {
  readonly answer: Answer;
  readonly done: Pick<OrderTable, 'state' | 'answer' | 'finished_at'>;
} {
  const answer = refundAnswer({
    refundTraceNo: row.trace_no,
    outRefundNo: row.out_no,
    channel: row.channel,
    succFen: row.amount_fen,
    at: row.created_at,
  });
  return { answer, done: { state: 'succ', answer: JSON.stringify(answer), finished_at: row.created_at } };
}
