import type { ChannelState } from '../types.js';

/**
 * WeChat Pay's trade_state onto the adapter's states (docs/channels.md keeps
 * the same table). REFUND means the payment succeeded and was refunded since:
 * the payment itself is a success.
 */
export const TRADE_STATES: Readonly<Record<string, ChannelState>> = {
  NOTPAY: 'pending',
  USERPAYING: 'pending',
  SUCCESS: 'success',
  REFUND: 'success',
  CLOSED: 'closed',
  REVOKED: 'revoked',
  PAYERROR: 'fail',
};

/** Refund status onto the adapter's states: PROCESSING is pending, ABNORMAL and CLOSED did not pay back. */
export const REFUND_STATES: Readonly<Record<string, ChannelState>> = {
  SUCCESS: 'success',
  PROCESSING: 'pending',
  ABNORMAL: 'fail',
  CLOSED: 'fail',
};

export const TRADE_STATE_TEXT: Readonly<Record<string, string>> = {
  NOTPAY: '未支付',
  USERPAYING: '用户支付中（输入密码）',
  CLOSED: '订单已关闭',
  REVOKED: '订单已撤销',
  PAYERROR: '支付失败',
};

/** The wallet code that paid, from the trade_type WeChat Pay reports. */
export function channelOfTradeType(tradeType: unknown, fallback: string): string {
  if (tradeType === 'NATIVE') return 'WX_QR';
  if (tradeType === 'JSAPI') return 'WX_PUB';
  if (tradeType === 'MICROPAY') return 'WX_BAR';
  return fallback.startsWith('WX_') ? fallback : 'WX_QR';
}
