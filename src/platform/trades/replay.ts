import { type Answer, fail } from '../../protocol/codes.js';
import { sawHisAtDesk } from '../events/desk-waits.js';
import type { Platform } from '../platform.js';
import type { OrderKind, OrderTable } from '../store/index.js';
import { findOrder, findOrderByOutNo } from './orders.js';

const WAIT_STEP_MS = 20;
const NOUN: Record<OrderKind, string> = { recharge: '订单', recpay: '订单', refund: '退款', cancel: '冲销' };

/**
 * A merchant number seen before. Same parameters: the stored answer, replayed
 * (Stripe's semantics), waiting a bounded time if the first request is still
 * talking to the channel. Other parameters: 030001 (流水号重复), whatever the
 * first order's state — 033001 says "paid", which a HIS could read as its new
 * amount being paid.
 */
export async function replayOrConflict(
  platform: Platform,
  existing: OrderTable,
  hash: string,
): Promise<Answer> {
  if (existing.request_hash !== hash) {
    return fail('030001', `商户流水号 ${existing.out_no} 已用于另一笔参数不同的交易`);
  }
  // A client at the desk replays until the answer is final: its HIS still waits (the screen shows the order).
  if (existing.state === 'init') sawHisAtDesk(existing.trace_no, platform.clock());
  let order: OrderTable | undefined = existing;
  const deadline = Date.now() + platform.settings.duplicateWaitMs;
  while (order && order.answer === null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
    order = await findOrder(platform.store.db, existing.appid, existing.trace_no);
  }
  if (order?.answer) return JSON.parse(order.answer) as Answer;
  return fail('040038', `原交易 ${existing.trace_no} 正在处理`);
}

/**
 * An insert lost the race for its merchant number: the concurrent request
 * that won answers (the same one replayed, another one 030001).
 */
export async function answerOfWinner(
  platform: Platform,
  key: { appid: string; kind: OrderKind; outNo: string },
  hash: string,
): Promise<Answer> {
  const winner = await findOrderByOutNo(platform.store.db, key.appid, key.kind, key.outNo);
  return winner
    ? replayOrConflict(platform, winner, hash)
    : fail('999999', `${NOUN[key.kind]}状态未知, 请查询`);
}
