import type { Answer } from '../../protocol/codes.js';
import type { ChannelResult } from '../channels/types.js';
import type { Platform } from '../platform.js';
import type { OrderTable } from '../store/index.js';
import { settledAnswer } from './pay/receive.js';
import { settleRecharge } from './recharge/settle.js';
import { settleRecpay } from './recpay/settle.js';

/**
 * The channel took the money: a recharge credits a deposit, an exam bill
 * becomes revenue. An order already settled answers as it did.
 */
export async function settleOrder(
  platform: Platform,
  order: OrderTable,
  result: ChannelResult,
): Promise<Answer | undefined> {
  if (order.state === 'succ') return settledAnswer(order);
  return order.kind === 'recpay'
    ? settleRecpay(platform, order, result)
    : settleRecharge(platform, order, result);
}
