import { type Answer, fail } from '../../protocol/codes.js';
import type { CheckedRequest } from '../../protocol/validate.js';
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
import type { CallContext, Handler, PlatformTransType } from './context.js';

/**
 * Which code answers which transType; validation has already passed when a
 * handler runs. A complete Record: a transType without a handler does not compile.
 */
const HANDLERS: { readonly [T in PlatformTransType]: Handler<T> } = {
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

/** A handler as dispatch calls it: the request's transType chose it, so its param and fen are that transType's. */
type AnyHandler = (
  ctx: CallContext,
  param: Readonly<Record<string, unknown>>,
  fen: Readonly<Record<string, number | undefined>>,
) => Promise<Answer>;

export async function dispatch(ctx: CallContext, request: CheckedRequest): Promise<Answer> {
  if (request.transType === 'hop.trade.setinfo') {
    return fail('010002', 'hop.trade.setinfo 由客户端动态库处理, 不发往支付平台');
  }
  // TypeScript cannot pair the union's members across two look-ups; the pair came from one validation.
  const handler = HANDLERS[request.transType] as AnyHandler;
  return handler(ctx, await resolveWristbandCard(ctx.platform, ctx.app.appid, request.param), request.fen);
}
