import { randomBytes, timingSafeEqual } from 'node:crypto';
import { takesAuthCode } from '../../../protocol/channels.js';
import { type Answer, fail } from '../../../protocol/codes.js';
import type { App } from '../../apps/registry.js';
import { sawHisAtDesk } from '../../events/desk-waits.js';
import type { Platform } from '../../platform.js';
import type { OrderTable } from '../../store/index.js';
import { findOrder, insertOrder } from '../orders.js';
import { answerOfWinner } from '../replay.js';
import { closeOrder } from './close.js';
import { type RechargeDetail, rechargeDetail } from './detail.js';
import { payOrder } from './pay-order.js';

/** The desk's URL path; the token holds the trace number and a random part only the answer revealed. */
function deskPath(token: string): string {
  return `/desk/${token}`;
}

/**
 * deskflak 0: the order waits in "init" for the operator. The stored answer
 * says where the desk is and that the result is not in yet (040038), so the
 * client can open the desk and replay the same request until the answer is
 * final — which is then exactly the answer the non-desk path gives.
 */
export async function openDesk(
  platform: Platform,
  app: App,
  order: OrderTable,
  detail: RechargeDetail,
): Promise<Answer> {
  const token = `${order.trace_no}-${randomBytes(12).toString('hex')}`;
  const answer: Answer = {
    ...fail('040038', '请在收银台完成支付'),
    param: {
      traceNo: order.trace_no,
      chargeNo: order.trace_no,
      deskUrl: `${platform.publicUrl}${deskPath(token)}`,
      tradeState: '1',
    },
  };
  const row: OrderTable = {
    ...order,
    state: 'init',
    answer: JSON.stringify(answer),
    detail: JSON.stringify({ ...detail, desk: { token } }),
  };
  if (await insertOrder(platform.store.db, row)) {
    sawHisAtDesk(order.trace_no, platform.clock());
    return answer;
  }
  return answerOfWinner(
    platform,
    { appid: app.appid, kind: order.kind, outNo: order.out_no },
    order.request_hash,
  );
}

/** The order a desk token opens, or undefined for a wrong or stale token. */
export async function orderOfDeskToken(platform: Platform, token: string): Promise<OrderTable | undefined> {
  const traceNo = token.split('-')[0] ?? '';
  if (!/^\d{14}[0-9a-f]{12}$/.test(traceNo)) return undefined;
  const order = await platform.store.db
    .selectFrom('orders')
    .selectAll()
    .where('trace_no', '=', traceNo)
    .executeTakeFirst();
  if (!order) return undefined;
  const desk = rechargeDetail(order).desk;
  if (!desk) return undefined;
  const want = Buffer.from(desk.token);
  const got = Buffer.from(token);
  // Constant time: the random half of the token is what keeps other people's desks closed.
  return want.length === got.length && timingSafeEqual(want, got) ? order : undefined;
}

/**
 * The operator chose a channel (and scanned a code, for barcodes): the order
 * leaves "init" once — a second click cannot start a second payment — and
 * goes through the same channel path as a non-desk recharge.
 */
export async function payAtDesk(
  platform: Platform,
  order: OrderTable,
  channel: string,
  extra: Readonly<Record<string, unknown>>,
): Promise<Answer> {
  const app = await platform.apps.find(order.appid);
  if (!app) return fail('010004');
  const refusal = await platform.channels.refusal(app, channel);
  if (refusal) return refusal;
  if (order.channel !== '' && order.channel !== channel)
    return fail('020007', `本单限定渠道 ${order.channel}`);
  if (takesAuthCode(channel) && typeof extra['authCode'] !== 'string') return fail('020010');
  const detail = rechargeDetail(order);
  const now = platform.clock();
  const moved = await platform.store.db
    .updateTable('orders')
    .set({ state: 'ing', channel, updated_at: now })
    .where('trace_no', '=', order.trace_no)
    .where('state', '=', 'init')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) return fail('040038', '该订单已在支付中');
  const claimed = { ...order, state: 'ing' as const, channel };
  const mergedExtra = { ...(detail.param['extra'] as Record<string, unknown>), ...extra };
  return payOrder(platform, app, claimed, detail, mergedExtra);
}

/** Cancel at the desk: the order closes (channel side first) and the waiting client gets 035001. */
export async function cancelAtDesk(platform: Platform, order: OrderTable): Promise<Answer> {
  const current = await findOrder(platform.store.db, order.appid, order.trace_no);
  if (!current) return fail('030002');
  return closeOrder(platform, current, '操作员在收银台取消');
}
