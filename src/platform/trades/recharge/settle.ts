import type { Answer } from '../../../protocol/codes.js';
import type { ChannelResult } from '../../channels/types.js';
import type { Platform } from '../../platform.js';
import { groupCommit } from '../../store/group-commit.js';
import type { OrderTable } from '../../store/index.js';
import { findOrder, updateOrder } from '../orders.js';
import { type RechargeDetail, rechargeDetail } from '../pay/detail.js';
import { settledAnswer } from '../pay/receive.js';
import { creditDeposit } from './credit-deposit.js';
import { settleWithHis } from './settle-his.js';

/**
 * The channel says the patient paid: credit the deposit, exactly once. Safe to
 * call from the inline path, the channel's notification and the recovery
 * sweep at the same time: the state guard lets one of them win.
 */
export async function settleRecharge(
  platform: Platform,
  order: OrderTable,
  result: ChannelResult,
): Promise<Answer | undefined> {
  const now = platform.clock();
  const app = await platform.apps.find(order.appid);
  if (!app) throw new Error(`order ${order.trace_no} of unknown app ${order.appid}`);
  const provider = await platform.providerOfApp(order.appid);
  // "exp" is an external-HIS order whose money is in and whose HIS credit is pending.
  const open =
    order.state === 'ing' || order.state === 'init' || (provider !== undefined && order.state === 'exp');
  if (!open) {
    await refundLatePayment(platform, order, result);
    return undefined;
  }
  if (provider) return settleWithHis(platform, app, provider, order, result);
  const detail = rechargeDetail(order);
  const channel = result.paidChannel ?? order.channel;
  const paidAt = result.paidAt ?? now;
  const settled = await groupCommit(platform.store).run(async (trx) => {
    const nextDetail: RechargeDetail = {
      ...detail,
      paidChannel: channel,
      ...(result.channelTradeNo ? { channelTradeNo: result.channelTradeNo } : {}),
      ...(result.extra ? { posExtra: { ...result.extra } } : {}),
      resultDesc: '交易成功',
    };
    const moved = await updateOrder(
      trx,
      order.trace_no,
      [order.state],
      { state: 'succ', finishedAt: paidAt, detail: nextDetail },
      now,
    );
    if (!moved) return undefined; // another path settled it first
    return creditDeposit(
      trx,
      app,
      order,
      detail,
      {
        channel,
        paidAt,
        now,
        ...(result.extra ? { posExtra: { ...result.extra } } : {}),
      },
      platform.patientData,
    );
  });
  if (settled) return settled;
  const again = await findOrder(platform.store.db, order.appid, order.trace_no);
  return again && settledAnswer(again);
}

/**
 * Money arrived for an order the platform had already closed or failed (the
 * patient paid in the instant the order expired): it goes back by the
 * original route, never into limbo.
 */
async function refundLatePayment(
  platform: Platform,
  order: OrderTable,
  result: ChannelResult,
): Promise<void> {
  const detail = rechargeDetail(order);
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
