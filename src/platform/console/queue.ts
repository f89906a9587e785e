import { fail } from '../../protocol/codes.js';
import { clearingAccount, refundingAccount, transfer } from '../ledger/journal.js';
import type { Platform } from '../platform.js';
import { groupCommit } from '../store/group-commit.js';
import type { DepositHolder } from '../trades/holders/holder.js';
import { holderOfRefund } from '../trades/holders/index.js';
import { orderDetail, updateOrder } from '../trades/orders.js';
import { refundAnswer } from '../trades/refund/answer.js';
import { undoRefund } from '../trades/refund/give-back.js';
import { appendAudit } from './audit.js';
import { isTradeAction, runCaseTrade } from './case-trades.js';
import { CASE_ACTIONS, type CaseOutcome, type Decision, type ManualCase, manualCase } from './queue-cases.js';
import { consoleDb } from './tables.js';

export {
  CASE_ACTIONS,
  type CaseAction,
  type CaseOutcome,
  isCaseAction,
  type ManualCase,
  manualCase,
  manualCases,
} from './queue-cases.js';

type Trx = Parameters<Parameters<ReturnType<typeof groupCommit>['run']>[0]>[0];

/** The order's detail with one more line of its history. */
function withEvent(detail: Record<string, unknown>, at: number, event: string): Record<string, unknown> {
  const history = Array.isArray(detail['history']) ? detail['history'] : [];
  return { ...detail, history: [...history, { at, event }] };
}

/** The refund's reserved money was paid out by hand: the order and the journal say so, inside the decision's transaction. */
async function paidOutByHand(trx: Trx, found: ManualCase, d: Decision): Promise<string | null> {
  const { order } = found;
  // What is held is what the refund reserved; anything else is a ledger a person must look at first.
  if (found.inFlightFen !== order.amount_fen) return '在途金额与退款金额不符, 请先核对账务';
  const channel = d.payoutChannel ?? 'BANK_TRANSFER';
  const answer = refundAnswer({
    refundTraceNo: order.trace_no,
    outRefundNo: order.out_no,
    channel,
    succFen: order.amount_fen,
    at: d.now,
  });
  const update = {
    state: 'succ' as const,
    answer,
    finishedAt: d.now,
    detail: {
      ...withEvent(orderDetail(order), d.now, `paid out by hand: ${channel} ${d.reference} (${d.actor})`),
      manual: false,
      paidOffline: { channel, reference: d.reference, by: d.actor },
    },
  };
  if (!(await updateOrder(trx, order.trace_no, ['exp'], update, d.now)))
    return '订单状态已变化, 请刷新后重试';
  await transfer(trx, {
    traceNo: order.trace_no,
    appid: order.appid,
    debit: refundingAccount(order.trace_no),
    credit: clearingAccount(channel, order.term_no),
    amountFen: found.inFlightFen,
    memo: `refund paid out by hand (${channel} ${d.reference})`,
    now: d.now,
  });
  return null;
}

/**
 * The HIS did not deduct (040041, looked at by finance): the refund did not
 * happen. Its reserved money goes back to the holder it came from and no
 * longer counts against the payment, as a refund the channel refused does;
 * the HIS asking again hears the refund failed.
 */
async function givenBack(
  trx: Trx,
  found: ManualCase,
  d: Decision,
  holder: DepositHolder,
): Promise<string | null> {
  const { order } = found;
  if (found.inFlightFen !== order.amount_fen) return '在途金额与退款金额不符, 请先核对账务';
  const update = {
    state: 'fail' as const,
    answer: fail('032002', '退款未完成: HIS 未扣减预交金, 金额已退回预交金账户'),
    finishedAt: d.now,
    detail: {
      ...withEvent(orderDetail(order), d.now, `HIS did not deduct, given back (${d.actor})`),
      manual: false,
    },
  };
  if (!(await updateOrder(trx, order.trace_no, ['exp'], update, d.now)))
    return '订单状态已变化, 请刷新后重试';
  await undoRefund(trx, order, holder, 'HIS did not deduct (040041), money back to the deposit', d.now);
  return null;
}

/**
 * A person's decision on one case, in one transaction with its audit line
 * and the case's row (whose key makes a second decision impossible).
 * - payOffline: the refund's reserved money was paid out by hand; it leaves
 *   `refunding:` for the clearing account of how it went (BANK_TRANSFER or
 *   CASH), the order becomes `succ` and a query answers the refund as done.
 *   Guarded on the order still being `exp` and on the amount still held,
 *   read in the same transaction.
 * - giveBack: 040041 and the HIS did not deduct; the held money goes back
 *   to the refund's holder (read before the transaction: the app registry
 *   is not read inside it), the order becomes `fail`.
 * - writeOff: nothing is held; the reason is recorded and the case leaves
 *   the queue. The order keeps its state and answer: no money moves.
 */
export async function resolveCase(platform: Platform, d: Decision): Promise<CaseOutcome> {
  const decision = { ...d, note: d.note.trim(), reference: d.reference.trim() };
  if (decision.note === '') return { ok: false, message: '须填写处理说明' };
  if ((decision.action === 'payOffline' || decision.action === 'transferDone') && decision.reference === '')
    return { ok: false, message: '须填写付款凭证号 (转账流水号)' };
  if (isTradeAction(decision.action)) return runCaseTrade(platform, { ...decision, action: decision.action });
  const before =
    decision.action === 'giveBack'
      ? await manualCase(consoleDb(platform.store.db), decision.traceNo)
      : undefined;
  const holder = before ? await holderOfRefund(platform, before.order) : undefined;
  return groupCommit(platform.store).run(async (trx) => {
    const db = consoleDb(trx);
    const found = await manualCase(db, decision.traceNo);
    if (!found) return { ok: false, message: '该订单不在待人工处理队列中 (可能已被他人处理)' };
    if (!found.actions.includes(decision.action))
      return { ok: false, message: `此案例不能${CASE_ACTIONS[decision.action]}` };
    if (decision.action === 'payOffline') {
      const refused = await paidOutByHand(trx, found, decision);
      if (refused) return { ok: false, message: refused };
    }
    if (decision.action === 'giveBack') {
      const refused = holder ? await givenBack(trx, found, decision, holder) : '该订单不在待人工处理队列中';
      if (refused) return { ok: false, message: refused };
    }
    const { order } = found;
    const movedTo =
      decision.action === 'writeOff' ? order.state : decision.action === 'giveBack' ? 'fail' : 'succ';
    await db
      .insertInto('console_cases')
      .values({
        trace_no: order.trace_no,
        resolution: decision.action,
        note: decision.note,
        reference: decision.reference,
        resolved_by: decision.actor,
        resolved_at: decision.now,
      })
      .execute();
    await appendAudit(db, {
      actor: decision.actor,
      action: `case.${decision.action}`,
      target: `order:${order.trace_no}`,
      before: { state: order.state, respCode: found.respCode, inFlightFen: found.inFlightFen },
      after: {
        state: movedTo,
        note: decision.note,
        ...(decision.reference ? { reference: decision.reference } : {}),
        ...(decision.action === 'payOffline' ? { channel: decision.payoutChannel ?? 'BANK_TRANSFER' } : {}),
      },
      peer: decision.peer,
      at: decision.now,
    });
    return { ok: true };
  });
}
