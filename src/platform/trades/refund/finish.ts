import type { Transaction } from 'kysely';
import { type Answer, fail } from '../../../protocol/codes.js';
import { beijing14 } from '../../../protocol/time.js';
import type { ChannelResult } from '../../channels/types.js';
import { clearingAccount, refundingAccount, transfer } from '../../ledger/journal.js';
import type { Platform } from '../../platform.js';
import { groupCommit } from '../../store/group-commit.js';
import type { OrderState, OrderTable, Schema } from '../../store/index.js';
import { type DepositHolder, holderOfRefund } from '../holders/index.js';
import { updateOrder } from '../orders.js';
import { recpayDetail } from '../recpay/detail.js';
import { refundAnswer } from './answer.js';
import { type CancelDetail, cancelDetail } from './detail.js';
import { undoRefund } from './give-back.js';

function successAnswer(row: OrderTable, detail: CancelDetail, at: number): Answer {
  if (row.kind === 'cancel') {
    return {
      respCode: '000000',
      respMsg: '处理成功',
      param: { traceTime: beijing14(at), traceNo: row.trace_no, medCancelSn: detail.medCancelSn ?? '' },
    };
  }
  return refundAnswer({
    refundTraceNo: row.trace_no,
    outRefundNo: row.out_no,
    channel: row.channel,
    succFen: row.amount_fen,
    at,
  });
}

/**
 * The channel answered a refund (or the route was offline). Success pays the
 * in-flight money out; a definite failure gives it back to whoever holds the
 * deposit, except where the HIS already refunded (direct) — then a person
 * must look (040036). Pending and unknown keep it in flight for the sweep:
 * an unknown refund is never taken for a failed one.
 */
export async function finishRefund(
  platform: Platform,
  row: OrderTable,
  result: ChannelResult,
): Promise<Answer> {
  const now = platform.clock();
  const detail = cancelDetail(row);
  const step: Finishing = {
    platform,
    row,
    detail,
    now,
    history: [...(detail.history ?? []), { at: now, event: `channel ${result.state}` }],
    holder: await holderOfRefund(platform, row),
  };
  if (result.state === 'success') return paidOut(step, result.paidAt ?? now);
  if (result.state === 'fail' || result.state === 'closed' || result.state === 'revoked') {
    return refused(step, result.message ?? '渠道拒绝');
  }
  return stillInFlight(step, result);
}

/** What every outcome of a refund works with. */
interface Finishing {
  readonly platform: Platform;
  readonly row: OrderTable;
  readonly detail: CancelDetail;
  readonly now: number;
  readonly history: { at: number; event: string }[];
  /** Whoever held the money the refund takes (recorded on the refund when it began). */
  readonly holder: DepositHolder;
}

/** How the order ends once the channel paid out: prepareAndConfirm asks the HIS to confirm first. */
async function afterPayout(
  step: Finishing,
  paidAt: number,
): Promise<{ state: OrderState; answer: Answer; confirmPending: boolean }> {
  const { holder, detail, row } = step;
  const confirmed = await holder.confirmPayout(row, detail.refundType ?? '');
  if (confirmed.state === 'fail') {
    return {
      state: 'exp',
      answer: fail('040017', `HIS 确认失败: ${confirmed.message ?? ''}`),
      confirmPending: false,
    };
  }
  if (confirmed.state === 'unknown') {
    // The money went out; the sweep sends the confirmation again rather than calling for a person.
    return {
      state: 'ing',
      answer: fail('040038', '退款已付出, HIS 确认结果未知, 正在重试确认'),
      confirmPending: true,
    };
  }
  return { state: 'succ', answer: successAnswer(row, detail, paidAt), confirmPending: false };
}

/** The channel paid the money out: it leaves "refunding" for the channel's clearing account. */
async function paidOut(step: Finishing, paidAt: number): Promise<Answer> {
  const { platform, row, detail, now, history } = step;
  const { state, answer, confirmPending } = await afterPayout(step, paidAt);
  const moved = await groupCommit(platform.store).run(async (trx) => {
    const ok = await updateOrder(
      trx,
      row.trace_no,
      ['ing'],
      {
        state,
        answer,
        finishedAt: now,
        detail: {
          ...detail,
          history,
          resultDesc: state === 'succ' ? '退款成功' : '退款已付出, HIS 未确认',
          manual: state === 'exp',
          confirmPending,
        },
      },
      now,
    );
    if (!ok) return false;
    // A reversal of insurance only moves nothing through the platform.
    if (row.amount_fen === 0) return true;
    await transfer(trx, {
      traceNo: row.trace_no,
      appid: row.appid,
      debit: refundingAccount(row.trace_no),
      credit: clearingAccount(row.channel, row.term_no),
      amountFen: row.amount_fen,
      memo: `refund paid by ${row.channel}`,
      now,
    });
    return true;
  });
  return moved ? answer : currentAnswer(platform, row);
}

/** The channel refused: the money goes back to whoever holds the deposit, unless the HIS already refunded. */
async function refused(step: Finishing, why: string): Promise<Answer> {
  const { platform, row, detail, now, history, holder } = step;
  const refusal = await holder.onRefused(row, detail.refundType ?? '');
  if (!refusal.giveBack) {
    const answer = fail('040036', why);
    await updateOrder(
      platform.store.db,
      row.trace_no,
      ['ing'],
      { state: 'exp', answer, detail: { ...detail, history, resultDesc: why, manual: true } },
      now,
    );
    return answer;
  }
  const { code, manual } = refusal;
  const answer = fail(code, `退款失败: ${why}; 金额已退回预交金账户`);
  const moved = await groupCommit(platform.store).run(async (trx) => {
    const ok = await updateOrder(
      trx,
      row.trace_no,
      ['ing'],
      { state: 'fail', answer, finishedAt: now, detail: { ...detail, history, resultDesc: why, manual } },
      now,
    );
    if (!ok) return false;
    if (row.kind === 'cancel') await uncountCancel(trx, row, detail);
    if (row.amount_fen === 0) return true;
    await undoRefund(trx, row, holder, 'refund failed, money back to the deposit', now);
    return true;
  });
  return moved ? answer : currentAnswer(platform, row);
}

/** Pending or unknown: the money stays in flight; the answer says to query, and a retry replays it. */
async function stillInFlight(step: Finishing, result: ChannelResult): Promise<Answer> {
  const { platform, row, detail, now, history, holder } = step;
  const holderCode = holder.pendingCode(detail.refundType ?? '');
  const answer =
    result.state === 'pending'
      ? holderCode
        ? fail(holderCode)
        : fail('040038', '退款正在处理, 请稍候查询交易结果')
      : fail('040040', result.message ?? '支付网关退款结果未知');
  await updateOrder(
    platform.store.db,
    row.trace_no,
    ['ing'],
    { state: 'ing', answer, detail: { ...detail, history, needsQuery: true } },
    now,
  );
  return answer;
}

/** A failed reversal gives its amount back to what the bill may still cancel. */
async function uncountCancel(trx: Transaction<Schema>, row: OrderTable, detail: CancelDetail): Promise<void> {
  const orig = await trx
    .selectFrom('orders')
    .select('detail')
    .where('trace_no', '=', row.orig_trace_no ?? '')
    .executeTakeFirst();
  if (!orig) return;
  const origDetail = recpayDetail(orig);
  const cancelFen = detail.cancelFen ?? row.amount_fen;
  await trx
    .updateTable('orders')
    .set({
      detail: JSON.stringify({
        ...origDetail,
        cancelledFen: Math.max(0, (origDetail.cancelledFen ?? 0) - cancelFen),
      }),
    })
    .where('trace_no', '=', row.orig_trace_no ?? '')
    .execute();
}

async function currentAnswer(platform: Platform, row: OrderTable): Promise<Answer> {
  const order = await platform.store.db
    .selectFrom('orders')
    .select('answer')
    .where('trace_no', '=', row.trace_no)
    .executeTakeFirst();
  return order?.answer ? (JSON.parse(order.answer) as Answer) : fail('040038');
}
