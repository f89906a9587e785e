import { type Answer, fail } from '../../protocol/codes.js';
import { formatFen } from '../../protocol/money.js';
import type { ChannelResult } from '../channels/types.js';
import type { Platform } from '../platform.js';
import { groupCommit } from '../store/group-commit.js';
import type { OrderTable } from '../store/index.js';
import { holderOf, type Paid } from './holders/index.js';
import { findOrder, orderDetail, updateOrder } from './orders.js';
import { refundLatePayment } from './pay/late-payment.js';
import { settledAnswer } from './pay/receive.js';

/**
 * The channel took the money, settled exactly once whoever holds it: a
 * recharge credits the deposit (the ledger's, or the external HIS's), an exam
 * bill becomes revenue. Safe to call from the inline path, the channel's
 * notification and the recovery sweep at the same time: the state guard lets
 * one of them win. An order already settled answers as it did. A channel that
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
  const app = await platform.apps.find(order.appid);
  if (!app) throw new Error(`order ${order.trace_no} of unknown app ${order.appid}`);
  const holder = await holderOf(platform, app, order.kind);
  if (!holder.settlesFrom.includes(order.state)) {
    await refundLatePayment(platform, order, result);
    return undefined;
  }
  const now = platform.clock();
  const paid: Paid = {
    channel: result.paidChannel ?? order.channel,
    paidAt: result.paidAt ?? now,
    now,
    ...(result.channelTradeNo ? { channelTradeNo: result.channelTradeNo } : {}),
    ...(result.extra ? { posExtra: { ...result.extra } } : {}),
  };
  // An order the holder has already received (an external HIS's "exp") goes straight to the holder's step.
  if (order.state !== 'ing' && order.state !== 'init') {
    return holder.afterReceived(platform, app, order, settledAnswer(order) ?? fail('040038'));
  }
  const received = await groupCommit(platform.store).run((trx) =>
    holder.receive(trx, platform, app, order, paid),
  );
  if (!received) {
    // Another path settled it first: answer as it did.
    const again = await findOrder(platform.store.db, order.appid, order.trace_no);
    return again && settledAnswer(again);
  }
  return holder.afterReceived(platform, app, order, received);
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
