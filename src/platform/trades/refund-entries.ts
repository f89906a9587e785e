import type { Answer } from '../../protocol/codes.js';
import { depositLedgerAccount } from '../ledger/accounts.js';
import { clearingAccount, refundingAccount, type TransferInput } from '../ledger/journal.js';
import type { OrderTable } from '../store/index.js';
import { refundAnswer } from './refund-answer.js';

/**
 * The journal entries and the answer of a refund, whichever way it is
 * written (the transaction in refund.ts, or one call on PostgreSQL in
 * refund-one-call.ts): one place for what a refund records.
 */

/** The refund leaves the patient's deposit and is on its way back. */
export function depositToRefunding(row: OrderTable, accountNo: string): TransferInput {
  return {
    traceNo: row.trace_no,
    appid: row.appid,
    debit: depositLedgerAccount(accountNo),
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

/** The answer of a refund completed offline, at once. */
export function paidOutAnswer(row: OrderTable): Answer {
  return refundAnswer({
    refundTraceNo: row.trace_no,
    outRefundNo: row.out_no,
    channel: row.channel,
    succFen: row.amount_fen,
    at: row.created_at,
  });
}
