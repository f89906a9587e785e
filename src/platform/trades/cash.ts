import type { Answer } from '../../protocol/codes.js';
import type { App } from '../apps/registry.js';
import type { Platform } from '../platform.js';
import { groupCommit } from '../store/group-commit.js';
import type { AccountTable, OrderTable } from '../store/index.js';
import { creditDeposit } from './credit-deposit.js';
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
  account?: AccountTable,
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
    return creditDeposit(trx, app, order, detail, { channel: order.channel, paidAt: now, now }, account);
  });
}
