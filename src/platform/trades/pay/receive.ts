import type { Transaction } from 'kysely';
import type { Answer } from '../../../protocol/codes.js';
import { clearingAccount, transfer } from '../../ledger/journal.js';
import type { OrderState, OrderTable, Schema } from '../../store/index.js';
import { type OrderUpdate, updateOrder } from '../orders.js';

/** The answer an order already settled gave, to give again; undefined when it has none. */
export function settledAnswer(order: OrderTable): Answer | undefined {
  return order.answer ? (JSON.parse(order.answer) as Answer) : undefined;
}

/**
 * Money a channel took, booked once: the order leaves the states it was in
 * (guarded, so the inline answer, the channel's notification and the sweep
 * settle it once) and, in the same transaction, the amount moves from the
 * channel's clearing account to whoever holds it now (an external HIS, the
 * hospital's revenue). False when another path moved the order first.
 */
export async function receivePayment(
  trx: Transaction<Schema>,
  order: OrderTable,
  paid: {
    readonly from: readonly OrderState[];
    readonly channel: string;
    readonly move: OrderUpdate;
    readonly to: string;
    readonly memo: string;
    readonly now: number;
  },
): Promise<boolean> {
  const moved = await updateOrder(trx, order.trace_no, paid.from, paid.move, paid.now);
  if (!moved) return false;
  await transfer(trx, {
    traceNo: order.trace_no,
    appid: order.appid,
    debit: clearingAccount(paid.channel, order.term_no),
    credit: paid.to,
    amountFen: order.amount_fen,
    memo: paid.memo,
    now: paid.now,
  });
  return true;
}
