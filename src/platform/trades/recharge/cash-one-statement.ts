import type { Answer } from '../../../protocol/codes.js';
import type { App } from '../../apps/registry.js';
import type { Platform } from '../../platform.js';
import type { AccountTable, OrderTable } from '../../store/index.js';
import { settleCashInTurn } from '../../store/postgres/cash-recharge.js';
import type { RechargeDetail } from '../pay/detail.js';
import { type Paid, paidRechargeAnswer, rechargeEntry } from './credit-deposit.js';

/** What became of a one-statement cash recharge. */
type OneStatementOutcome =
  | { readonly kind: 'settled'; readonly answer: Answer }
  /** Another trade moved this balance after it was read: nothing was written. */
  | { readonly kind: 'balanceMoved' }
  /** An identical concurrent request holds the merchant number: nothing was written. */
  | { readonly kind: 'numberTaken' };

/**
 * A cash recharge to an account already open, settled in one PostgreSQL
 * statement with the other cash recharges of its turn. `finalOrder` gives the
 * order row as stored once paid (the same function the transaction path
 * uses). A caller seeing `balanceMoved` takes the transaction path, which
 * reads the balance under its own lock.
 */
export async function settleCashInOneStatement(
  platform: Platform,
  app: App,
  order: OrderTable,
  detail: RechargeDetail,
  account: AccountTable,
  finalOrder: (answer: Answer, accountNo: string) => OrderTable,
): Promise<OneStatementOutcome> {
  const paid: Paid = { channel: order.channel, paidAt: order.created_at, now: order.created_at };
  const entry = rechargeEntry(order, account.account_no, paid);
  const balanceNowFen = account.balance_fen + order.amount_fen;
  const answer = paidRechargeAnswer(app, order, detail, paid, balanceNowFen);
  const result = await settleCashInTurn(platform.store).submit({
    ...finalOrder(answer, account.account_no),
    balance_read_fen: account.balance_fen,
    balance_now_fen: balanceNowFen,
    debit: entry.debit,
    credit: entry.credit,
    memo: entry.memo,
  });
  return result === 'settled' ? { kind: 'settled', answer } : { kind: result };
}
