import type { ChannelResult } from '../../channels/types.js';
import type { Platform } from '../../platform.js';
import type { OrderTable } from '../../store/index.js';
import { orderDetail } from '../orders.js';

/**
 * Money arrived for an order the platform had already closed or failed (the
 * patient paid in the instant the order expired): it goes back by the
 * original route, never into limbo.
 */
export async function refundLatePayment(
  platform: Platform,
  order: OrderTable,
  result: ChannelResult,
): Promise<void> {
  const detail = orderDetail(order);
  if (detail['lateRefund']) return;
  const adapter = await platform.channelFor(order.appid, order.channel);
  const refund = await adapter.refund({
    refundTraceNo: `${order.trace_no}R`,
    payTraceNo: order.trace_no,
    appid: order.appid,
    channel: result.paidChannel ?? order.channel,
    amountFen: order.amount_fen,
    totalFen: order.amount_fen,
    reason: '订单已关闭后收到付款, 原路退回',
  });
  const now = platform.clock();
  await platform.store.db
    .updateTable('orders')
    .set({
      detail: JSON.stringify({ ...detail, lateRefund: { state: refund.state, at: now } }),
      updated_at: now,
    })
    .where('trace_no', '=', order.trace_no)
    .execute();
  platform.log.warn(
    { traceNo: order.trace_no, state: order.state, refund: refund.state },
    'late payment refunded',
  );
}
