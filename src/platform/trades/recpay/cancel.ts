import { sql } from 'kysely';
import { fail } from '../../../protocol/codes.js';
import { formatFen } from '../../../protocol/money.js';
import type { ChannelResult } from '../../channels/types.js';
import type { Handler } from '../../gateway/context.js';
import { groupCommit } from '../../store/group-commit.js';
import type { OrderTable } from '../../store/index.js';
import { holderOf } from '../holders/index.js';
import { findOrderByOutNo, insertOrder, newTraceNo, requestHash } from '../orders.js';
import { enqueue, TRADE_TOPICS } from '../outbox.js';
import { finishRefund } from '../refund/finish.js';
import { answerOfWinner, replayOrConflict } from '../replay.js';
import { recpayDetail } from './detail.js';

/**
 * hop.trade.pay.cancel (门诊线上医保冲销): reverses an exam bill paid through
 * hop.trade.recpay. amount empty = the whole bill. The self-paid part goes
 * back by the original route first (up to what is left of it); the rest is
 * the insurance part, whose reversal the HIS carries out with the insurer
 * (medCancelSn / medRegisterSn, required for insurance patients). sftzcx is
 * kept for reconciliation.
 */
export const payCancel: Handler<'hop.trade.pay.cancel'> = async (ctx, param, fen) => {
  const { app, platform, now } = ctx;
  const db = platform.store.db;
  const { extra } = param;
  const outCancelNo = param.outCancelNo;
  const hash = requestHash(param, platform.patientData);
  const existing = await findOrderByOutNo(db, app.appid, 'cancel', outCancelNo);
  if (existing) return replayOrConflict(platform, existing, hash);

  const orig = await findOrderByOutNo(db, app.appid, 'recpay', param.outTradeNo);
  if (!orig) return fail('030002', `未找到原收费流水 ${param.outTradeNo}`);
  if (orig.state !== 'succ') return fail('040007', `原收费交易状态为 ${orig.state}`);
  const origDetail = recpayDetail(orig);
  if (origDetail.patient.hisCustId !== param.hisCustId) return fail('034007', '原交易不属于该患者');
  if (origDetail.param.extra.patientType === '01') {
    for (const field of ['medCancelSn', 'medRegisterSn']) {
      if (!extra[field]) return fail('020001', `extra.${field} (医保病人必须传)`);
    }
  }
  const billFen = origDetail.consumeFen ?? orig.amount_fen;
  const cancelledFen = origDetail.cancelledFen ?? 0;
  const leftFen = billFen - cancelledFen;
  // No amount is the whole bill; white space alone is none of the two, as validation leaves it.
  const requested = param.amount ?? '';
  const cancelFen = requested === '' ? leftFen : fen.amount;
  if (cancelFen === undefined) return fail('020003', `amount=${requested.slice(0, 20)}`);
  if (leftFen <= 0) return fail('034002', '该笔收费已全部冲销');
  if (cancelFen > leftFen)
    return fail('034001', `申请 ${formatFen(cancelFen)} 元, 可冲销 ${formatFen(leftFen)} 元`);
  const selfPaidLeft = orig.amount_fen - orig.refunded_fen;
  const refundFen = Math.min(cancelFen, selfPaidLeft);
  const paidChannel = (origDetail.paidChannel as string | undefined) ?? orig.channel;

  const traceNo = newTraceNo(now);
  const row: OrderTable = {
    trace_no: traceNo,
    appid: app.appid,
    kind: 'cancel',
    out_no: outCancelNo,
    request_hash: hash,
    state: 'ing',
    amount_fen: refundFen,
    channel: paidChannel,
    account_no: null,
    orig_trace_no: orig.trace_no,
    refunded_fen: 0,
    answer: null,
    detail: JSON.stringify({
      param,
      holder: 'revenue',
      refundType: param.refundType || 'hisDecide',
      medCancelSn: extra.medCancelSn ?? '',
      sftzcx: extra.sftzcx ?? '',
      cancelFen,
      insuranceFen: cancelFen - refundFen,
      payTraceNo: orig.trace_no,
      paidChannel,
    }),
    term_no: '',
    created_at: now,
    updated_at: now,
    finished_at: null,
    expire_at: null,
  };
  const holder = await holderOf(platform, app, 'cancel');
  const claimed = await groupCommit(platform.store)
    .run(async (trx) => {
      if (!(await insertOrder(trx, row))) return false;
      // Count the reversal against the bill and the self-paid part, guarded against concurrent cancels.
      const counted = await trx
        .updateTable('orders')
        .set({
          refunded_fen: sql`refunded_fen + ${refundFen}`,
          detail: JSON.stringify({ ...origDetail, cancelledFen: cancelledFen + cancelFen }),
          updated_at: now,
        })
        .where('trace_no', '=', orig.trace_no)
        .where('refunded_fen', '=', orig.refunded_fen)
        .where('detail', '=', orig.detail)
        .executeTakeFirst();
      if (Number(counted.numUpdatedRows) !== 1) throw new ConcurrentCancel();
      if (refundFen > 0) await holder.takeForRefund(trx, row);
      if (param.refundType === 'direct' || cancelFen > refundFen) {
        await enqueue(trx, {
          appid: app.appid,
          topic: TRADE_TOPICS.hisCancel,
          eventId: `his-cancel-${traceNo}`,
          payload: {
            traceNo,
            outTradeNo: orig.out_no,
            outCancelNo,
            cancelFen,
            insuranceFen: cancelFen - refundFen,
            extra,
          },
          now,
        });
      }
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof ConcurrentCancel) return 'busy' as const;
      throw error;
    });
  if (claimed === 'busy') return fail('044003', '该笔收费正在冲销, 请稍后再试');
  if (!claimed) {
    return answerOfWinner(platform, { appid: app.appid, kind: 'cancel', outNo: outCancelNo }, hash);
  }
  if (refundFen === 0) {
    // Only insurance to reverse: the HIS does it with the insurer; nothing leaves the platform.
    return finishRefund(platform, row, { state: 'success' });
  }
  let result: ChannelResult;
  try {
    result = await (await platform.channels.adapterFor(app, paidChannel)).refund({
      refundTraceNo: traceNo,
      payTraceNo: orig.trace_no,
      appid: app.appid,
      channel: paidChannel,
      amountFen: refundFen,
      totalFen: orig.amount_fen,
      reason: param.reverseKind || '医保冲销',
    });
  } catch (error) {
    platform.log.error({ err: error, traceNo }, 'channel refund failed to answer');
    result = { state: 'unknown', message: '渠道退款应答异常' };
  }
  return finishRefund(platform, row, result);
};

class ConcurrentCancel extends Error {}
