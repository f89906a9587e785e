import type { Answer } from '../../protocol/codes.js';
import type { App } from '../apps/registry.js';
import { depositLedgerAccount } from '../ledger/accounts.js';
import { clearingAccount, moveDepositBalance, transfer } from '../ledger/journal.js';
import type { Platform } from '../platform.js';
import { groupCommit } from '../store/group-commit.js';
import type { OrderTable } from '../store/index.js';
import { ensureAccount } from './accounts-open.js';
import { rechargeAnswer } from './answers.js';
import { insertOrder } from './orders.js';
import type { RechargeDetail } from './settle.js';

/**
 * Cash is counted by the operator at the desk, so the platform is its system
 * of record: order, journal, balance and answer commit in ONE transaction and
 * a crash leaves either all of it or none. Returns undefined when an
 * identical concurrent request claimed the number first. The transaction is
 * grouped with concurrent ones (store/group-commit.ts): one fsync serves many
 * desks, and this still returns only once its own commit is durable.
 */
export async function settleCash(
  platform: Platform,
  app: App,
  order: OrderTable,
  detail: RechargeDetail,
): Promise<Answer | undefined> {
  const now = order.created_at;
  return groupCommit(platform.store).run(async (trx) => {
    // Claim the number first, so a concurrent duplicate stops before touching the account.
    const claimed = await insertOrder(trx, {
      ...order,
      state: 'succ',
      finished_at: now,
      detail: JSON.stringify({ ...detail, paidChannel: order.channel, resultDesc: '交易成功' }),
    });
    if (!claimed) return undefined;
    const account = await ensureAccount(trx, detail.patient, now);
    await transfer(trx, {
      traceNo: order.trace_no,
      appid: order.appid,
      debit: clearingAccount(order.channel, order.term_no),
      credit: depositLedgerAccount(account.account_no),
      amountFen: order.amount_fen,
      memo: `recharge ${order.out_no}`,
      now,
    });
    const balanceFen = await moveDepositBalance(trx, account.account_no, order.amount_fen, now);
    const answer = rechargeAnswer(app.config, {
      traceNo: order.trace_no,
      balanceFen,
      channel: order.channel,
      paidAt: now,
      resNote: '充值成功',
      tradeState: '0',
    });
    await trx
      .updateTable('orders')
      .set({ account_no: account.account_no, answer: JSON.stringify(answer) })
      .where('trace_no', '=', order.trace_no)
      .execute();
    return answer;
  });
}
