import { channelsOfKind } from '../../protocol/channels.js';
import { fail } from '../../protocol/codes.js';
import type { Platform } from '../platform.js';
import type { OrderTable } from '../store/index.js';
import { paymentRef, updateOrder } from './orders.js';
import { closeOrder } from './pay/close.js';
import { creditHis } from './recharge/settle-his.js';
import { refundAnswer } from './refund/answer.js';
import { finishRefund } from './refund/finish.js';
import { settleOrder } from './settle-order.js';

/** Rows looked at per sweep: a backlog drains over several sweeps instead of one long stall. */
const SWEEP_BATCH = 100;

/**
 * The recovery sweep: what a crash, a lost notification or an unknown answer
 * left pending gets resolved by asking the channel, never by guessing.
 * - recharges still "ing": paid → settled; past expiry → closed (channel first);
 * - refunds still "ing": submitted again under the same refund number (the
 *   channel is idempotent on it), and its answer decides.
 * Only rows untouched for `sweepGraceMs` are looked at, so a call still in
 * progress is never raced.
 */
export async function sweepPending(
  platform: Platform,
): Promise<{ settled: number; closed: number; refunds: number }> {
  const now = platform.clock();
  const db = platform.store.db;
  const stats = { settled: 0, closed: 0, refunds: 0 };
  const recharges = await db
    .selectFrom('orders')
    .selectAll()
    .where('kind', 'in', ['recharge', 'recpay'])
    .where('state', 'in', ['ing', 'init'])
    .where('channel', 'not in', channelsOfKind('cash'))
    .where('updated_at', '<=', now - platform.settings.sweepGraceMs)
    .orderBy('created_at')
    .limit(SWEEP_BATCH)
    .execute();
  for (const order of recharges) {
    try {
      // An order still waiting at the desk has no channel to ask yet.
      const result =
        order.channel === ''
          ? { state: 'pending' as const }
          : await (await platform.channelFor(order.appid, order.channel)).query(paymentRef(order));
      if (result.state === 'success') {
        if (await settleOrder(platform, order, result)) stats.settled++;
      } else if (order.expire_at !== null && order.expire_at <= now) {
        const answer = await closeOrder(platform, order, '超时未支付, 自动关闭');
        if (answer.respCode === '000000') stats.closed++;
      }
    } catch (error) {
      platform.log.warn({ err: error, traceNo: order.trace_no }, 'sweep: recharge not resolved');
    }
  }
  // External-HIS recharges whose money is in but whose credit is not confirmed: credit again (idempotent there).
  const uncredited = await db
    .selectFrom('orders')
    .selectAll()
    .where('kind', '=', 'recharge')
    .where('state', '=', 'exp')
    .where('updated_at', '<=', now - platform.settings.sweepGraceMs)
    .orderBy('created_at')
    .limit(SWEEP_BATCH)
    .execute();
  for (const order of uncredited) {
    try {
      if ((JSON.parse(order.detail) as { manual?: boolean }).manual) continue;
      const app = await platform.apps.find(order.appid);
      const provider = await platform.providerOfApp(order.appid);
      if (app && provider && (await creditHis(platform, app, provider, order)).respCode === '000000')
        stats.settled++;
    } catch (error) {
      platform.log.warn({ err: error, traceNo: order.trace_no }, 'sweep: HIS credit not resolved');
    }
  }
  const refunds = await db
    .selectFrom('orders')
    .selectAll()
    .where('kind', '=', 'refund')
    .where('state', '=', 'ing')
    .where('updated_at', '<=', now - platform.settings.sweepGraceMs)
    .orderBy('created_at')
    .limit(SWEEP_BATCH)
    .execute();
  for (const row of refunds) {
    try {
      const detail = JSON.parse(row.detail) as {
        paidChannel?: string;
        holder?: string;
        refundType?: string;
        hisCallsn?: string;
        confirmPending?: boolean;
      };
      if (detail.confirmPending) {
        await confirmAgain(platform, row);
        stats.refunds++;
        continue;
      }
      if (
        detail.holder === 'his' &&
        (detail.refundType === 'direct' || detail.refundType === 'prepareAndConfirm') &&
        detail.hisCallsn === undefined
      ) {
        // Stopped before the HIS answered its step: paying out now could pay twice. A person decides.
        await db
          .updateTable('orders')
          .set({ state: 'exp', detail: JSON.stringify({ ...detail, manual: true }), updated_at: now })
          .where('trace_no', '=', row.trace_no)
          .where('state', '=', 'ing')
          .execute();
        continue;
      }
      const channel = detail.paidChannel ?? row.channel;
      const orig = await db
        .selectFrom('orders')
        .select('amount_fen')
        .where('trace_no', '=', row.orig_trace_no ?? '')
        .executeTakeFirst();
      // Submitting again with the same refund number is idempotent at the channel, and
      // also covers a crash between reserving the money and calling the channel.
      const result = await (await platform.channelFor(row.appid, channel)).refund({
        refundTraceNo: row.trace_no,
        payTraceNo: row.orig_trace_no ?? '',
        appid: row.appid,
        channel,
        amountFen: row.amount_fen,
        totalFen: orig?.amount_fen ?? row.amount_fen,
        reason: '退款结果核对',
      });
      if (result.state !== 'pending' && result.state !== 'unknown') {
        await finishRefund(platform, row, result);
        stats.refunds++;
      }
    } catch (error) {
      platform.log.warn({ err: error, traceNo: row.trace_no }, 'sweep: refund not resolved');
    }
  }
  return stats;
}

/** prepareAndConfirm whose money went out but whose HIS confirmation was lost: confirm again (idempotent there). */
async function confirmAgain(platform: Platform, row: OrderTable): Promise<void> {
  const provider = await platform.providerOfApp(row.appid);
  if (!provider) return;
  const confirmed = await provider.confirmRefund(row.trace_no, true);
  if (confirmed.state === 'unknown') return;
  const now = platform.clock();
  const detail = JSON.parse(row.detail) as Record<string, unknown>;
  const answer =
    confirmed.state === 'ok'
      ? refundAnswer({
          refundTraceNo: row.trace_no,
          outRefundNo: row.out_no,
          channel: row.channel,
          succFen: row.amount_fen,
          at: now,
        })
      : fail('040017', `HIS 确认失败: ${confirmed.message}`);
  await updateOrder(
    platform.store.db,
    row.trace_no,
    ['ing'],
    {
      state: confirmed.state === 'ok' ? 'succ' : 'exp',
      answer,
      finishedAt: now,
      detail: { ...detail, confirmPending: false, manual: confirmed.state !== 'ok' },
    },
    now,
  );
}
