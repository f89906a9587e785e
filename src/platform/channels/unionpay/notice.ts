import type { GatewayDeps } from '../live/gateways.js';
import type { ChannelNotice, NoticeOutcome } from '../types.js';
import type { UnionpayConfig } from './config.js';
import { acpVerify, parseAcpForm, trustedSigningKey } from './sign.js';
import { channelOfSubType } from './states.js';

function refuse(status: number, message: string): NoticeOutcome {
  return { reply: { status, contentType: 'text/plain; charset=utf-8', body: message } };
}

const TAKEN = { status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' } as const;

/**
 * A notification UnionPay posts to backUrl (a URL-encoded form): its
 * signPubKeyCert must chain to the configured UnionPay certificates and its
 * signature verify with it; merId must be the app's and, for a payment,
 * txnAmt the order's. Only then is the payment named (the platform asks
 * UnionPay before anything moves). Answered 200 "ok" when taken; anything
 * else makes UnionPay send it again.
 */
export async function handleUnionpayNotice(
  config: UnionpayConfig,
  deps: GatewayDeps,
  appid: string,
  notice: ChannelNotice,
): Promise<NoticeOutcome> {
  if (appid !== deps.appid) return refuse(404, '商户不匹配');
  const fields = parseAcpForm(notice.body);
  const key = trustedSigningKey(
    fields['signPubKeyCert'],
    { middle: config.middleCert, root: config.rootCert },
    deps.clock(),
  );
  if (!key || !acpVerify(fields, key)) {
    deps.log.warn({ gateway: 'unionpay', appid }, 'unionpay notice: signature does not verify');
    return refuse(401, '验签失败');
  }
  if (fields['merId'] !== config.merId) return refuse(400, '商户号不符');
  const orderId = fields['orderId'];
  // Refund and revoke notices: taken; their own queries settle them.
  if (fields['txnType'] !== '01' || !orderId) return { reply: TAKEN };
  if (!deps.orderOf) return refuse(500, '无法核对订单金额');
  const order = await deps.orderOf(orderId);
  if (!order) return refuse(404, '无此订单');
  if (fields['txnAmt'] !== String(order.amountFen)) {
    deps.log.warn({ gateway: 'unionpay', appid, orderId }, 'unionpay notice: txnAmt is not the order amount');
    return refuse(400, '金额不符');
  }
  return {
    reply: TAKEN,
    payment: { appid, traceNo: orderId, channel: channelOfSubType(fields['txnSubType'], order.channel) },
  };
}
