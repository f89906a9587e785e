import type { ParamOf } from '../../../protocol/catalog/index.js';
import { kindOf } from '../../../protocol/channels.js';
import { fail } from '../../../protocol/codes.js';
import { popsDesk } from '../../../protocol/desk.js';
import type { Handler } from '../../gateway/context.js';
import { checkPatient, type PatientInput } from '../../ledger/accounts-open.js';
import { holderOf } from '../holders/index.js';
import { findOrderByOutNo, insertOrder, requestHash, retireFailedOrder } from '../orders.js';
import { openDesk } from '../pay/desk.js';
import { newPaymentOrder } from '../pay/new-order.js';
import { payOrder } from '../pay/pay-order.js';
import { answerOfWinner, replayOrConflict } from '../replay.js';
import { settleCash } from './cash.js';
import { findRechargeAndAccount } from './lookup.js';

/**
 * hop.trade.recharge. Idempotent on (appid, outChargeNo): the same request
 * again replays the stored answer; other parameters get 030001. A failed
 * order's number may be paid again. The order claims the number before any
 * money moves.
 */
export const recharge: Handler<'hop.trade.recharge'> = async (ctx, param, fen) => {
  const { app, platform, now } = ctx;
  const db = platform.store.db;
  const { extra } = param;
  const outChargeNo = param.outChargeNo;
  const hash = requestHash(param, platform.patientData);

  const patient: PatientInput = {
    appid: app.appid,
    cardType: param.cardType,
    cardNo: param.cardNo,
    accountType: param.accountType,
    hisCustId: param.hisCustId,
    userName: param.userName,
    idNo: param.idNo ?? '',
    extra,
  };
  // Only the platform's own ledger keeps patient accounts (an external HIS knows its patients itself).
  const holder = await holderOf(platform, app, 'recharge');
  const { existing, account } = holder.keepsAccounts
    ? await findRechargeAndAccount(platform.store, outChargeNo, patient)
    : { existing: await findOrderByOutNo(db, app.appid, 'recharge', outChargeNo), account: undefined };
  // A failed order's number may be paid again; any other state answers as that order.
  if (existing && !(existing.state === 'fail' && (await retireFailedOrder(db, existing, now)))) {
    return replayOrConflict(platform, existing, hash);
  }

  const channel = param.depositType ?? '';
  const atDesk = popsDesk(extra);
  if (channel === '' && !atDesk) return fail('020006', '未指定 depositType, 且本次交易不弹出收银台');
  const refusal = channel === '' ? undefined : await platform.channels.refusal(app, channel);
  if (refusal) return refusal;
  const amountFen = fen.amount;

  const refused = holder.keepsAccounts ? checkPatient(account, patient) : null;
  if (refused) return refused;

  const { order, detail } = newPaymentOrder(platform, app, {
    kind: 'recharge',
    outNo: outChargeNo,
    requestHash: hash,
    amountFen,
    channel,
    patient,
    param,
    subject: param.subject || '预交金充值',
    now,
    accountNo: account?.account_no ?? null,
  });

  if (atDesk) return openDesk(platform, app, order, detail);

  // With an external HIS even cash goes the long way: the HIS must credit it before it is done.
  // Cash is counted at the desk: the platform is its system of record, so it settles at once.
  if (kindOf(channel) === 'cash' && holder.keepsAccounts) {
    const answer = await settleCash(platform, app, order, detail, account);
    if (answer) return answer;
    // Lost the race for the number to an identical concurrent request.
    return answerOfWinner(platform, { appid: app.appid, kind: 'recharge', outNo: outChargeNo }, hash);
  }

  if (!(await insertOrder(db, order))) {
    return answerOfWinner(platform, { appid: app.appid, kind: 'recharge', outNo: outChargeNo }, hash);
  }
  return payOrder(platform, app, order, detail, withPosTerminal(param, extra));
};

/**
 * PosNo (多 POS 支持) is a field of the recharge table, not of extra, but the
 * channel reads the terminal from the extra it is handed, as the desk hands
 * it the terminal the operator picked: without the desk the HIS's PosNo is
 * that choice, so the slip is taken on the terminal the HIS named.
 */
function withPosTerminal(
  param: ParamOf<'hop.trade.recharge'>,
  extra: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const posNo = param.PosNo ?? '';
  return posNo === '' ? extra : { ...extra, PosNo: posNo };
}
