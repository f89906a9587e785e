import type { TransTypeName } from '../../protocol/catalog/index.js';
import { type Answer, fail } from '../../protocol/codes.js';
import { esccardAuth } from '../identity/auth.js';
import { faceQuery } from '../identity/face.js';
import { PUSH_HANDLERS } from '../notify/handlers.js';
import { accountInfo } from '../trades/account-info.js';
import { closeRecharge } from '../trades/pay/close.js';
import { query } from '../trades/query.js';
import { recharge } from '../trades/recharge/recharge.js';
import { payCancel } from '../trades/recpay/cancel.js';
import { recpay } from '../trades/recpay/recpay.js';
import { refund } from '../trades/refund/refund.js';
import { resolveWristbandCard } from '../wristband/card-alias.js';
import { cancelWristband, getWristbandCode, queryWristbandAccount } from '../wristband/codes.js';
import type { CallContext, Handler } from './context.js';

/** The transTypes the platform answers: all of the spec's but setinfo, which the client library keeps. */
type PlatformTransType = Exclude<TransTypeName, 'hop.trade.setinfo'>;

/**
 * Which code answers which transType; validation has already passed when a
 * handler runs. A complete Record: a transType without a handler does not compile.
 */
const HANDLERS: Record<PlatformTransType, Handler> = {
  'hop.account.info': accountInfo,
  'hop.trade.query': query,
  'hop.trade.recharge': recharge,
  'hop.trade.recharge.close': closeRecharge,
  'hop.trade.refund': refund,
  'hop.trade.recpay': recpay,
  'hop.trade.pay.cancel': payCancel,
  ...PUSH_HANDLERS,
  'portal.wb.getWristbandCode': getWristbandCode,
  'portal.wb.queryAccount': queryWristbandAccount,
  'portal.wb.cancelQrCode': cancelWristband,
  'hop.face.query': faceQuery,
  'hop.esccard.auth.qr': esccardAuth,
};

export async function dispatch(ctx: CallContext, param: Record<string, unknown>): Promise<Answer> {
  if (ctx.transType === 'hop.trade.setinfo') {
    return fail('010002', 'hop.trade.setinfo 由客户端动态库处理, 不发往支付平台');
  }
  return HANDLERS[ctx.transType](ctx, await resolveWristbandCard(ctx.platform, ctx.app.appid, param));
}
