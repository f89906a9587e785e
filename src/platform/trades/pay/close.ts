import { kindOf } from '../../../protocol/channels.js';
import { type Answer, fail } from '../../../protocol/codes.js';
import { beijing14 } from '../../../protocol/time.js';
import type { Handler } from '../../gateway/context.js';
import type { Platform } from '../../platform.js';
import type { OrderTable } from '../../store/index.js';
import { findOrderByOutNo, orderDetail, paymentRef, updateOrder } from '../orders.js';
import { rechargeDetail } from '../pay/detail.js';
import { settleOrder } from '../settle-order.js';

/**
 * hop.trade.recharge.close: only an unpaid order closes (paid → 033001,
 * closed already → 035001). The channel side is closed first, so the QR
 * code stops working before the platform says "closed"; if the patient paid
 * in that instant, the payment is settled and the close refused.
 */
export const closeRecharge: Handler<'hop.trade.recharge.close'> = async (ctx, param) => {
  const { app, platform } = ctx;
  const outChargeNo = param.outChargeNo;
  const order = await findOrderByOutNo(platform.store.db, app.appid, 'recharge', outChargeNo);
  if (!order) return fail('030002', `未找到充值流水 ${outChargeNo}`);
  const owner = rechargeDetail(order).patient;
  if (owner.cardNo !== param.cardNo || owner.accountType !== param.accountType) {
    // Another patient's order looks like no order at all.
    return fail('030002', `未找到充值流水 ${outChargeNo}`);
  }
  return closeOrder(platform, order, param.closeReason || '调用方关闭');
};

export async function closeOrder(platform: Platform, order: OrderTable, reason: string): Promise<Answer> {
  if (order.state === 'succ') return fail('033001', '订单已支付, 不能关闭; 如需退款请调用退款交易');
  if (order.state === 'closed' || order.state === 'fail')
    return fail('035001', `订单已${order.state === 'closed' ? '关闭' : '失败'}`);
  // An order still at the desk (no channel chosen) or in cash has nothing to close outside.
  const adapter =
    order.channel === '' || kindOf(order.channel) === 'cash'
      ? undefined
      : await platform.channelFor(order.appid, order.channel);
  const result = adapter ? await adapter.close(paymentRef(order)) : { state: 'closed' as const };
  if (result.state === 'success') {
    await settleOrder(platform, order, result);
    return fail('033001', '订单在关闭前已支付成功');
  }
  if (result.state !== 'closed' && result.state !== 'revoked' && result.state !== 'fail') {
    return fail('039001', `渠道关闭结果未知 (${result.state}), 请稍后重试或查询`);
  }
  const now = platform.clock();
  const answer: Answer = {
    respCode: '000000',
    respMsg: '处理成功',
    param: { traceTime: beijing14(now), outChargeNo: order.out_no },
  };
  const moved = await updateOrder(
    platform.store.db,
    order.trace_no,
    ['ing', 'init'],
    {
      state: 'closed',
      // A later replay of the recharge (or a client waiting at the desk) gets a final answer, not the old QR code.
      answer: fail('035001', `订单已关闭: ${reason}`),
      finishedAt: now,
      detail: { ...orderDetail(order), resultDesc: `交易关闭: ${reason}` },
    },
    now,
  );
  return moved ? answer : fail('035001', '订单状态已变化, 请查询');
}
