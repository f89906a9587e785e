import type { Platform } from '../platform.js';
import { groupCommit } from '../store/group-commit.js';
import type { OrderTable } from '../store/index.js';
import { refundRefusedRecharge } from '../trades/holders/his-credit.js';
import { holderOfRefund } from '../trades/holders/index.js';
import { findOrder, updateOrder } from '../trades/orders.js';
import { refundDetail } from '../trades/refund/detail.js';
import { finishRefund } from '../trades/refund/finish.js';
import { askChannelAgain, confirmAgain } from '../trades/sweep.js';
import { appendAudit } from './audit.js';
import { type CaseAction, type CaseOutcome, type Decision, manualCase } from './queue-cases.js';
import { consoleDb } from './tables.js';

/**
 * The queue's decisions that move money through the platform's own guarded
 * trades, never around them:
 * - retryChannel (040036): the refund goes back to "ing" and is submitted to
 *   the channel again under the same refund number (idempotent there); its
 *   answer decides, as the sweep's would: paid → finished; refused → back in
 *   the queue; unknown → the sweep keeps asking.
 * - askHis (040017): the HIS is asked again to confirm a payout that went
 *   out; confirmed → finished; refused → back in the queue; unknown → the
 *   sweep keeps asking. No money moves: it went out already.
 * - refundOriginalRoute (a recharge the HIS refused): the channel is asked
 *   again to pay it back under the one refund number `<trace>R`.
 * - transferDone (withdrawMode 2): finance made the bank transfer; the refund
 *   finishes as paid out by BANK_TRANSFER, the HIS's confirmation included.
 * The decision is audited before the trade runs (who asked, and why), and
 * its outcome after.
 */
export const TRADE_ACTIONS = ['retryChannel', 'askHis', 'refundOriginalRoute', 'transferDone'] as const;
export type TradeAction = (typeof TRADE_ACTIONS)[number];

export function isTradeAction(action: CaseAction): action is TradeAction {
  return (TRADE_ACTIONS as readonly string[]).includes(action);
}

type Prepared = { readonly order: OrderTable } | { readonly refused: string };

/** Inside one transaction: the case is still open and the action fits, the order moves on (compare and set), the decision is audited. */
async function prepare(platform: Platform, d: Decision & { action: TradeAction }): Promise<Prepared> {
  return groupCommit(platform.store).run(async (trx) => {
    const db = consoleDb(trx);
    const found = await manualCase(db, d.traceNo);
    if (!found) return { refused: '该订单不在待人工处理队列中 (可能已被他人处理)' };
    if (!found.actions.includes(d.action)) return { refused: '此案例不能执行该操作' };
    const { order } = found;
    const detail = refundDetail(order);
    const history = [...(detail.history ?? []), { at: d.now, event: `console: ${d.action} (${d.actor})` }];
    if (d.action !== 'refundOriginalRoute') {
      const moved = await updateOrder(
        trx,
        order.trace_no,
        ['exp'],
        {
          state: 'ing',
          detail: {
            ...detail,
            history,
            ...(d.action === 'askHis' ? { confirmPending: true } : {}),
            ...(d.action === 'transferDone'
              ? { awaitingTransfer: false, transferConfirmed: { reference: d.reference, by: d.actor } }
              : {}),
          },
        },
        d.now,
      );
      if (!moved) return { refused: '订单状态已变化, 请刷新后重试' };
    }
    await appendAudit(db, {
      actor: d.actor,
      action: `case.${d.action}`,
      target: `order:${order.trace_no}`,
      before: { state: order.state, respCode: found.respCode, inFlightFen: found.inFlightFen },
      after: { note: d.note, ...(d.reference ? { reference: d.reference } : {}) },
      peer: d.peer,
      at: d.now,
    });
    const current = await findOrder(trx, order.appid, order.trace_no);
    return current ? { order: current } : { refused: '订单不存在' };
  });
}

async function runTrade(platform: Platform, action: TradeAction, order: OrderTable): Promise<void> {
  if (action === 'retryChannel') {
    // 040036 comes only after the HIS answered its step: the channel is what is asked again.
    await askChannelAgain(platform, order);
    return;
  }
  if (action === 'transferDone') {
    await finishRefund(platform, order, { state: 'success' });
    return;
  }
  if (action === 'askHis') {
    const holder = await holderOfRefund(platform, order);
    await confirmAgain(platform, holder, order, refundDetail(order).refundType ?? '');
    return;
  }
  const app = await platform.apps.find(order.appid);
  if (!app) throw new Error(`no app ${order.appid}`);
  await refundRefusedRecharge(platform, app, order, 'HIS 已拒绝入账');
}

/** What the person is told, from the order as the trade left it. */
function outcomeOf(order: OrderTable | undefined): { ok: true; message: string } {
  const answer = order?.answer ? (JSON.parse(order.answer) as { respCode?: string; respMsg?: string }) : {};
  const said = `${answer.respCode ?? ''} ${answer.respMsg ?? ''}`.trim();
  if (!order) return { ok: true, message: '已提交' };
  if (order.state === 'succ') return { ok: true, message: `订单 ${order.trace_no} 已完成` };
  if (order.state === 'fail' && order.kind === 'recharge')
    return { ok: true, message: `订单 ${order.trace_no} 已原路退回` };
  if (order.state === 'ing') return { ok: true, message: `结果未知, 平台将继续查询: ${said}` };
  return { ok: true, message: `仍未完成, 已留在队列: ${said}` };
}

export async function runCaseTrade(
  platform: Platform,
  d: Decision & { action: TradeAction },
): Promise<CaseOutcome> {
  const prepared = await prepare(platform, d);
  if ('refused' in prepared) return { ok: false, message: prepared.refused };
  await runTrade(platform, d.action, prepared.order);
  const after = await findOrder(platform.store.db, prepared.order.appid, prepared.order.trace_no);
  await appendAudit(consoleDb(platform.store.db), {
    actor: d.actor,
    action: `case.${d.action}.result`,
    target: `order:${prepared.order.trace_no}`,
    before: { state: prepared.order.state },
    after: { state: after?.state, answer: after?.answer ? JSON.parse(after.answer) : null },
    peer: d.peer,
    at: platform.clock(),
  });
  return outcomeOf(after);
}
