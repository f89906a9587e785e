import { channelsOfKind } from '../../protocol/channels.js';
import { fail } from '../../protocol/codes.js';
import type { Platform } from '../platform.js';
import type { OrderTable } from '../store/index.js';
import { type DepositHolder, holderOf, holderOfRefund } from './holders/index.js';
import { paymentRef, updateOrder } from './orders.js';
import { closeOrder } from './pay/close.js';
import { refundAnswer } from './refund/answer.js';
import { awaitTransfer } from './refund/await-transfer.js';
import { refundDetail } from './refund/detail.js';
import { finishRefund } from './refund/finish.js';
import { AWAITS_TRANSFER, isOfflineRoute } from './refund/route.js';
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
  const stats = { settled: 0, closed: 0, refunds: 0 };
  const steps: [string, (order: OrderTable) => Promise<void>, () => Promise<OrderTable[]>][] = [
    ['payment', (order) => resolvePayment(platform, order, stats), () => pending(platform, 'payments')],
    ['HIS credit', (order) => creditAgain(platform, order, stats), () => pending(platform, 'uncredited')],
    ['refund', (row) => resolveRefund(platform, row, stats), () => pending(platform, 'refunds')],
  ];
  for (const [what, resolve, rows] of steps) {
    for (const row of await rows()) {
      try {
        await resolve(row);
      } catch (error) {
        platform.log.warn({ err: error, traceNo: row.trace_no }, `sweep: ${what} not resolved`);
      }
    }
  }
  return stats;
}

type Stats = { settled: number; closed: number; refunds: number };

/**
 * The rows each step looks at, oldest first and a batch at a time:
 * payments still open (not cash: counted at the desk, it never waits), external-HIS
 * recharges whose money is in but whose credit is not confirmed, refunds still "ing".
 */
function pending(platform: Platform, which: 'payments' | 'uncredited' | 'refunds'): Promise<OrderTable[]> {
  const quiet = platform.clock() - platform.settings.sweepGraceMs;
  let query = platform.store.db.selectFrom('orders').selectAll().where('updated_at', '<=', quiet);
  if (which === 'payments') {
    query = query
      .where('kind', 'in', ['recharge', 'recpay'])
      .where('state', 'in', ['ing', 'init'])
      .where('channel', 'not in', channelsOfKind('cash'));
  } else if (which === 'uncredited') {
    query = query.where('kind', '=', 'recharge').where('state', '=', 'exp');
  } else {
    query = query.where('kind', '=', 'refund').where('state', '=', 'ing');
  }
  return query.orderBy('created_at').limit(SWEEP_BATCH).execute();
}

/** A payment still open: paid → settled; past expiry → closed (channel first). */
async function resolvePayment(platform: Platform, order: OrderTable, stats: Stats): Promise<void> {
  // An order still waiting at the desk has no channel to ask yet.
  const result =
    order.channel === ''
      ? { state: 'pending' as const }
      : await (await platform.channelFor(order.appid, order.channel)).query(paymentRef(order));
  if (result.state === 'success') {
    if (await settleOrder(platform, order, result)) stats.settled++;
  } else if (order.expire_at !== null && order.expire_at <= platform.clock()) {
    const answer = await closeOrder(platform, order, '超时未支付, 自动关闭');
    if (answer.respCode === '000000') stats.closed++;
  }
}

/** A recharge whose money is in but not yet with its holder (an external HIS): the holder finishes it. */
async function creditAgain(platform: Platform, order: OrderTable, stats: Stats): Promise<void> {
  const app = await platform.apps.find(order.appid);
  if (!app) return;
  const holder = await holderOf(platform, app, order.kind);
  if (await holder.resolveHeld(platform, app, order)) stats.settled++;
}

/**
 * A refund still "ing": submitted again under the same refund number (the
 * channel is idempotent on it, which also covers a crash between reserving
 * the money and calling the channel), and its answer decides.
 */
export async function resolveRefund(
  platform: Platform,
  row: OrderTable,
  stats: Stats = { settled: 0, closed: 0, refunds: 0 },
): Promise<void> {
  const detail = refundDetail(row);
  const holder = await holderOfRefund(platform, row);
  if (detail.transferConfirmed) {
    // Finance confirmed the bank transfer (console queue) and the process stopped before the refund was finished.
    await finishRefund(platform, row, { state: 'success' });
    stats.refunds++;
    return;
  }
  if (detail.confirmPending) {
    await confirmAgain(platform, holder, row, detail.refundType ?? '');
    stats.refunds++;
    return;
  }
  if (holder.stoppedBeforeAnswer(detail)) {
    // Stopped before the holder answered its step: paying out now could pay twice. A person decides.
    await holdForPerson(platform, row, detail);
    return;
  }
  if (isOfflineRoute(row.channel)) {
    // Stopped after the HIS's step, before an offline route finished: no channel pays it. A bank
    // transfer waits for finance as it would have; cash or a self-pay return may or may not have
    // been handed over, so a person decides.
    if (row.channel === AWAITS_TRANSFER) await awaitTransfer(platform, row);
    else await holdForPerson(platform, row, detail);
    return;
  }
  if (await askChannelAgain(platform, row)) stats.refunds++;
}

async function holdForPerson(
  platform: Platform,
  row: OrderTable,
  detail: Record<string, unknown>,
): Promise<void> {
  await platform.store.db
    .updateTable('orders')
    .set({
      state: 'exp',
      detail: JSON.stringify({ ...detail, manual: true }),
      updated_at: platform.clock(),
    })
    .where('trace_no', '=', row.trace_no)
    .where('state', '=', 'ing')
    .execute();
}

/**
 * A refund submitted to its channel again under the same refund number (the
 * channel is idempotent on it: at most one payout); a definite answer
 * finishes it, pending or unknown leaves it "ing" for the next sweep.
 * Answers whether it finished. The order must be "ing".
 */
export async function askChannelAgain(platform: Platform, row: OrderTable): Promise<boolean> {
  const detail = refundDetail(row);
  const channel = detail.paidChannel ?? row.channel;
  const orig = await platform.store.db
    .selectFrom('orders')
    .select('amount_fen')
    .where('trace_no', '=', row.orig_trace_no ?? '')
    .executeTakeFirst();
  const result = await (await platform.channelFor(row.appid, channel)).refund({
    refundTraceNo: row.trace_no,
    payTraceNo: row.orig_trace_no ?? '',
    appid: row.appid,
    channel,
    amountFen: row.amount_fen,
    totalFen: orig?.amount_fen ?? row.amount_fen,
    reason: '退款结果核对',
  });
  if (result.state === 'pending' || result.state === 'unknown') return false;
  await finishRefund(platform, row, result);
  return true;
}

/** prepareAndConfirm whose money went out but whose HIS confirmation was lost: confirm again (idempotent there). */
export async function confirmAgain(
  platform: Platform,
  holder: DepositHolder,
  row: OrderTable,
  refundType: string,
): Promise<void> {
  const confirmed = await holder.confirmPayout(row, refundType);
  if (confirmed.state === 'unknown') return;
  const now = platform.clock();
  const detail = refundDetail(row);
  const answer =
    confirmed.state === 'ok'
      ? refundAnswer({
          refundTraceNo: row.trace_no,
          outRefundNo: row.out_no,
          channel: row.channel,
          succFen: row.amount_fen,
          at: now,
        })
      : fail('040017', `HIS 确认失败: ${confirmed.message ?? ''}`);
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
