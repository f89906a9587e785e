import { type Answer, fail } from '../../protocol/codes.js';
import { formatFen } from '../../protocol/money.js';
import type { ChannelResult } from '../channels/types.js';
import type { Platform } from '../platform.js';
import type { OrderTable } from '../store/index.js';
import { orderDetail, updateOrder } from './orders.js';
import { settledAnswer } from './pay/receive.js';
import { settleRecharge } from './recharge/settle.js';
import { settleRecpay } from './recpay/settle.js';

/**
 * The channel took the money: a recharge credits a deposit, an exam bill
 * becomes revenue. An order already settled answers as it did. A channel that
 * says it took another amount than the order's settles nothing: the order is
 * held for a person (`exp`, manual), since crediting either amount would
 * guess.
 */
export async function settleOrder(
  platform: Platform,
  order: OrderTable,
  result: ChannelResult,
): Promise<Answer | undefined> {
  if (order.state === 'succ') return settledAnswer(order);
  if (result.amountFen !== undefined && result.amountFen !== order.amount_fen) {
    return holdAmountMismatch(platform, order, result.amountFen);
  }
  return order.kind === 'recpay'
    ? settleRecpay(platform, order, result)
    : settleRecharge(platform, order, result);
}

async function holdAmountMismatch(
  platform: Platform,
  order: OrderTable,
  channelFen: number,
): Promise<Answer> {
  const why = `渠道实收 ${formatFen(channelFen)} 元与订单金额 ${formatFen(order.amount_fen)} 元不符, 已转人工处理`;
  platform.log.error(
    { traceNo: order.trace_no, channelFen, orderFen: order.amount_fen },
    'channel amount differs',
  );
  await updateOrder(
    platform.store.db,
    order.trace_no,
    ['init', 'ing'],
    {
      state: 'exp',
      detail: { ...orderDetail(order), manual: true, resultDesc: why, channelAmountFen: channelFen },
    },
    platform.clock(),
  );
  return fail('040038', `${why}, 请稍候查询交易结果`);
}
