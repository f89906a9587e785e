import { fail } from '../../../protocol/codes.js';
import { allowsInsecureHttp, plainHttpRefusal } from '../../apps/url-policy.js';
import type { Handler } from '../../gateway/context.js';
import type { PatientInput } from '../../ledger/accounts-open.js';
import { groupCommit } from '../../store/group-commit.js';
import { findOrderByOutNo, insertOrder, requestHash } from '../orders.js';
import { newPaymentOrder } from '../pay/new-order.js';
import { payOrder } from '../pay/pay-order.js';
import { answerOfWinner, replayOrConflict } from '../replay.js';
import { recpayAnswer } from './answer.js';
import { afterPaid } from './settle.js';

/**
 * hop.trade.recpay (充值并消费, exam bills). rechargeAmount 0: all of it is
 * insurance, the details go straight to the HIS. Otherwise the self-paid
 * part is taken by the channel (QR, barcode, cash…) and the details go to
 * the HIS — and the caller's notifyUrl is called — once it is paid.
 */
export const recpay: Handler<'hop.trade.recpay'> = async (ctx, param, fen) => {
  const { app, platform, now } = ctx;
  const db = platform.store.db;
  const { extra } = param;
  const outTradeNo = param.outTradeNo;
  const hash = requestHash(param, platform.patientData);
  const existing = await findOrderByOutNo(db, app.appid, 'recpay', outTradeNo);
  if (existing) return replayOrConflict(platform, existing, hash);

  const channel = param.depositType;
  const selfPaidFen = fen.rechargeAmount;
  const totalFen = fen.consumeAmount;
  // Refused now, while the HIS can still fix it, rather than when the paid bill's callback is due.
  const notifyUrl = extra.notifyUrl ?? '';
  const unsafeUrl =
    notifyUrl && plainHttpRefusal('extra.notifyUrl', notifyUrl, allowsInsecureHttp(app.config));
  if (unsafeUrl) return fail('020000', unsafeUrl);
  const refusal = selfPaidFen > 0 ? await platform.channels.refusal(app, channel) : undefined;
  if (refusal) return refusal;

  const patient: PatientInput = {
    appid: app.appid,
    cardType: param.cardType,
    cardNo: param.cardNo,
    accountType: param.accountType,
    hisCustId: param.hisCustId,
    userName: '',
    idNo: param.idNo ?? '',
    extra,
  };
  const { order, detail } = newPaymentOrder(platform, app, {
    kind: 'recpay',
    outNo: outTradeNo,
    requestHash: hash,
    amountFen: selfPaidFen,
    channel: selfPaidFen > 0 ? channel : 'INSURANCE',
    patient,
    param,
    subject: param.tradeKind || '体检缴费',
    now,
    more: { consumeFen: totalFen },
  });
  const traceNo = order.trace_no;

  if (selfPaidFen === 0) {
    // All insurance: nothing to collect, the bill is settled and its details go to the HIS.
    const answer = recpayAnswer({ traceNo, paidAt: now, tradeState: '0' });
    const claimed = await groupCommit(platform.store).run(async (trx) => {
      if (
        !(await insertOrder(trx, {
          ...order,
          state: 'succ',
          answer: JSON.stringify(answer),
          finished_at: now,
        }))
      ) {
        return false;
      }
      await afterPaid(trx, order, now);
      return true;
    });
    if (claimed) return answer;
    return answerOfWinner(platform, { appid: app.appid, kind: 'recpay', outNo: outTradeNo }, hash);
  }
  if (!(await insertOrder(db, order))) {
    return answerOfWinner(platform, { appid: app.appid, kind: 'recpay', outNo: outTradeNo }, hash);
  }
  return payOrder(platform, app, order, detail, extra);
};
