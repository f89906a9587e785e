import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type Answer, fail } from '../../../protocol/codes.js';
import { publishOrder } from '../../events/bus.js';
import { findAccount } from '../../ledger/accounts.js';
import type { Platform } from '../../platform.js';
import type { OrderTable } from '../../store/index.js';
import { findOrder, findOrderByOutNo, insertOrder, newTraceNo, orderDetail, updateOrder } from '../orders.js';
import { rechargeDetail } from '../pay/detail.js';
import { orderExpiry } from '../pay/new-order.js';
import { answerOfWinner } from '../replay.js';
import { type RefundDeskDetail, refundDeskDetail } from './desk-row.js';
import { type RefundCall, type RefundParam, refundFromOrder } from './from-order.js';

/** The most orders one refund desk lists: a patient with more picks by traceNo from the HIS. */
const MAX_LISTED = 100;

function refundDeskPath(token: string): string {
  return `/refund-desk/${token}`;
}

/**
 * hop.trade.refund with deskflak 0: a refund row waits in "init" holding
 * outRefundNo, and the stored answer (040038 + deskUrl) tells the client
 * where the operator picks the order. Replaying the same request replays
 * that answer until the desk makes it final, as the recharge desk does.
 */
export async function openRefundDesk(call: RefundCall): Promise<Answer> {
  const { app, platform, now, param, hash, requestedFen } = call;
  if (param.refundDeskMode === '1') {
    // Mode 1 shows the named order only: if there is none, a desk with nothing on it helps nobody.
    const named = await namedOrder(platform, app.appid, param);
    if (named?.kind !== 'recharge') return fail('040008', `未找到原充值交易 ${orderHint(param)}`);
  }
  const account = await findAccount(platform.store.db, {
    appid: app.appid,
    cardType: param.cardType,
    cardNo: param.cardNo,
    accountType: param.accountType,
  });
  const traceNo = newTraceNo(now);
  const token = `${traceNo}-${randomBytes(12).toString('hex')}`;
  const answer: Answer = {
    ...fail('040038', '请在退款收银台选择退款订单'),
    param: {
      traceNo,
      refundNo: traceNo,
      outRefundNo: param.outRefundNo,
      deskUrl: `${platform.publicUrl}${refundDeskPath(token)}`,
    },
  };
  const detail: RefundDeskDetail = {
    param,
    desk: { token },
    requestedFen,
    history: [{ at: now, event: 'refund desk opened' }],
  };
  const row: OrderTable = {
    trace_no: traceNo,
    appid: app.appid,
    kind: 'refund',
    out_no: param.outRefundNo,
    request_hash: hash,
    state: 'init',
    amount_fen: requestedFen,
    channel: '',
    account_no: account?.account_no ?? null,
    orig_trace_no: null,
    refunded_fen: 0,
    answer: JSON.stringify(answer),
    detail: JSON.stringify(detail),
    term_no: param.termNo,
    created_at: now,
    updated_at: now,
    finished_at: null,
    expire_at: orderExpiry(platform, app, now),
  };
  if (await insertOrder(platform.store.db, row)) return answer;
  return answerOfWinner(platform, { appid: app.appid, kind: 'refund', outNo: row.out_no }, hash);
}

function orderHint(param: RefundParam): string {
  return param.traceNo || param.outChargeNo || '';
}

async function namedOrder(
  platform: Platform,
  appid: string,
  param: RefundParam,
): Promise<OrderTable | undefined> {
  const traceNo = param.traceNo ?? '';
  if (traceNo) return findOrder(platform.store.db, appid, traceNo);
  const outChargeNo = param.outChargeNo ?? '';
  return outChargeNo ? findOrderByOutNo(platform.store.db, appid, 'recharge', outChargeNo) : undefined;
}

/** The refund desk row a token opens; undefined for a wrong token. */
export async function refundDeskOfToken(platform: Platform, token: string): Promise<OrderTable | undefined> {
  const traceNo = token.split('-')[0] ?? '';
  if (!/^\d{14}[0-9a-f]{12}$/.test(traceNo)) return undefined;
  const row = await platform.store.db
    .selectFrom('orders')
    .selectAll()
    .where('trace_no', '=', traceNo)
    .where('kind', '=', 'refund')
    .executeTakeFirst();
  const stored = row ? refundDeskDetail(row).desk?.token : undefined;
  if (!row || typeof stored !== 'string' || stored.length !== token.length) return undefined;
  return timingSafeEqual(Buffer.from(stored), Buffer.from(token)) ? row : undefined;
}

export interface RefundableOrder {
  readonly traceNo: string;
  readonly outChargeNo: string;
  readonly channel: string;
  readonly amountFen: number;
  readonly refundedFen: number;
  readonly leftFen: number;
  /** What a refund from this order pays: the request, or what is left when less (succAmount). */
  readonly succFen: number;
  readonly paidAt: number;
  readonly named: boolean;
}

/**
 * The patient's paid recharges with money left, newest first: filtered by
 * tradeChannel (original or resolved channel, as refundFromOrder checks),
 * and only the named order when refundDeskMode is 1.
 */
export async function refundableOrders(platform: Platform, desk: OrderTable): Promise<RefundableOrder[]> {
  const { param, requestedFen } = refundDeskDetail(desk);
  const named = await namedOrder(platform, desk.appid, param);
  let candidates: OrderTable[];
  if (param.refundDeskMode === '1') {
    candidates = named ? [named] : [];
  } else if (desk.account_no) {
    candidates = await platform.store.db
      .selectFrom('orders')
      .selectAll()
      .where('account_no', '=', desk.account_no)
      .where('kind', '=', 'recharge')
      .where('state', '=', 'succ')
      .orderBy('finished_at', 'desc')
      .limit(MAX_LISTED)
      .execute();
  } else {
    candidates = named ? [named] : [];
  }
  const tradeChannel = param.tradeChannel;
  const list: RefundableOrder[] = [];
  for (const order of candidates) {
    if (order.kind !== 'recharge' || order.state !== 'succ' || order.appid !== desk.appid) continue;
    const detail = rechargeDetail(order);
    const owner = detail.patient;
    if (
      owner.cardNo !== param.cardNo ||
      owner.accountType !== param.accountType ||
      owner.hisCustId !== param.hisCustId
    )
      continue;
    const paidChannel = detail.paidChannel ?? order.channel;
    if (tradeChannel !== '' && tradeChannel !== order.channel && tradeChannel !== paidChannel) continue;
    const leftFen = order.amount_fen - order.refunded_fen;
    if (leftFen <= 0) continue;
    list.push({
      traceNo: order.trace_no,
      outChargeNo: order.out_no,
      channel: paidChannel,
      amountFen: order.amount_fen,
      refundedFen: order.refunded_fen,
      leftFen,
      succFen: Math.min(requestedFen, leftFen),
      paidAt: order.finished_at ?? order.updated_at,
      named: named?.trace_no === order.trace_no,
    });
  }
  return list;
}

/**
 * The operator picked an order: the refund goes the same way as a non-desk
 * refund (succAmount rule, route, HIS step, channel), on the desk's own row.
 * A refusal before any money moved (another tab was faster, the order was
 * refunded meanwhile…) leaves the desk open for another pick.
 */
export async function refundAtDesk(
  platform: Platform,
  desk: OrderTable,
  origTraceNo: string,
): Promise<Answer> {
  if (desk.state !== 'init') return fail('040038', '该退款已在处理中');
  const app = await platform.apps.find(desk.appid);
  if (!app) return fail('010004');
  const picked = (await refundableOrders(platform, desk)).find((o) => o.traceNo === origTraceNo);
  if (!picked) return fail('040008', '所选订单不在本次可退列表中');
  const orig = await findOrder(platform.store.db, desk.appid, origTraceNo);
  if (!orig) return fail('040008');
  const { param, requestedFen } = refundDeskDetail(desk);
  try {
    return await refundFromOrder(
      { app, platform, now: platform.clock(), param, hash: desk.request_hash, requestedFen },
      orig,
      { traceNo: desk.trace_no },
    );
  } finally {
    publishOrder(desk);
    publishOrder(orig);
  }
}

/** Cancel at the refund desk: nothing was refunded, and the waiting client gets 035001. */
export async function cancelRefundDesk(
  platform: Platform,
  desk: OrderTable,
  reason: string,
): Promise<Answer> {
  const now = platform.clock();
  const moved = await updateOrder(
    platform.store.db,
    desk.trace_no,
    ['init'],
    {
      state: 'closed',
      answer: fail('035001', `退款已取消: ${reason}`),
      finishedAt: now,
      detail: { ...orderDetail(desk), resultDesc: `退款取消: ${reason}` },
    },
    now,
  );
  publishOrder(desk);
  return moved ? fail('035001', `退款已取消: ${reason}`) : fail('040038', '该退款已在处理中, 不能取消');
}

/**
 * A refund desk nobody finished closes once its time is up, when the desk or
 * a replay looks at it: nothing sweeps refund desks, and a row waiting in
 * "init" forever would keep the client's outRefundNo hostage.
 */
export async function closeStaleRefundDesk(platform: Platform, row: OrderTable): Promise<OrderTable> {
  if (row.state !== 'init' || row.expire_at === null || row.expire_at > platform.clock()) return row;
  await cancelRefundDesk(platform, row, '超时未选择退款订单');
  return (await findOrder(platform.store.db, row.appid, row.trace_no)) ?? row;
}
