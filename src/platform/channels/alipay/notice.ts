import type { GatewayDeps } from '../live/gateways.js';
import type { ChannelNotice, NoticeOutcome } from '../types.js';
import type { AlipayApi } from './api.js';
import type { AlipayConfig } from './config.js';
import { fenOf, fromAlipayTime } from './states.js';

/**
 * Alipay sends a notification again until it is answered `success`: 8 times
 * over about 25 hours. One signed longer ago than that is a replay, not a
 * retry.
 */
export const NOTICE_MAX_AGE_MS = 26 * 3_600_000;

function answer(body: 'success' | 'fail'): NoticeOutcome['reply'] {
  return { status: 200, contentType: 'text/plain; charset=utf-8', body };
}

/** Alipay reads anything but the bare word `success` as "send it again". */
function refuse(deps: GatewayDeps, appid: string, why: string): NoticeOutcome {
  deps.log.warn({ gateway: 'alipay', appid, why }, 'alipay notice refused');
  return { reply: answer('fail') };
}

/** The form's fields; a field sent twice is a malformed notice (nothing signs two values). */
function formFields(body: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(fields, name)) return undefined;
    fields[name] = value;
  }
  return fields;
}

/**
 * An asynchronous notification from Alipay (a form POST): its RSA2 signature
 * over the sorted fields is verified with Alipay's public key, its app id,
 * seller (the merchant's PID) and total amount are checked against the
 * configuration and the platform's order, and it must be younger than
 * Alipay's retry schedule. Only then is the payment named, and the platform
 * asks Alipay before anything moves, so a second copy finds the order settled
 * and changes nothing. Answered `success` when taken, `fail` when not.
 */
export async function handleAlipayNotice(
  config: AlipayConfig,
  api: AlipayApi,
  deps: GatewayDeps,
  appid: string,
  notice: ChannelNotice,
): Promise<NoticeOutcome> {
  if (appid !== deps.appid) return refuse(deps, appid, 'another app');
  const fields = formFields(notice.body);
  if (!fields?.['sign']) return refuse(deps, appid, 'not a signed form');
  // RSA2 only: a notice naming another algorithm (RSA-SHA1) is not one this application asked for.
  if ((fields['sign_type'] ?? 'RSA2') !== 'RSA2') return refuse(deps, appid, 'sign_type is not RSA2');
  if (fields['app_id'] !== config.appId) return refuse(deps, appid, 'app_id is not this application');
  if (!api.verifyNotice(fields)) return refuse(deps, appid, 'signature does not verify');
  if (fields['seller_id'] !== config.sellerId) return refuse(deps, appid, 'seller_id is not this merchant');
  const sentAt = fromAlipayTime(fields['notify_time']);
  const age = deps.clock() - sentAt;
  if (!Number.isFinite(sentAt) || age > NOTICE_MAX_AGE_MS) return refuse(deps, appid, 'notify_time too old');
  const traceNo = fields['out_trade_no'];
  if (!traceNo) return refuse(deps, appid, 'no out_trade_no');
  // The amount is the platform's: a genuine notice for another amount is not about this order.
  const order = await deps.orderOf?.(traceNo);
  if (!order) return refuse(deps, appid, 'no such order here');
  if (fenOf(fields['total_amount']) !== order.amountFen) return refuse(deps, appid, 'total_amount differs');
  return { reply: answer('success'), payment: { appid, traceNo, channel: order.channel } };
}
