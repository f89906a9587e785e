import { formatFen, parseYuan } from '../../../protocol/money.js';
import type { ChannelState } from '../types.js';

/**
 * Alipay's trade_status onto the adapter's states (docs/channels.md keeps the
 * same table). TRADE_FINISHED is a paid trade past its refund period.
 * TRADE_CLOSED is an unpaid trade closed or timed out — and also a paid one
 * refunded in full or cancelled; only the platform itself refunds or cancels,
 * and its own records say which, so closed is what the channel can say.
 */
export const TRADE_STATES: Readonly<Record<string, ChannelState>> = {
  WAIT_BUYER_PAY: 'pending',
  TRADE_SUCCESS: 'success',
  TRADE_FINISHED: 'success',
  TRADE_CLOSED: 'closed',
};

export const TRADE_STATE_TEXT: Readonly<Record<string, string>> = {
  WAIT_BUYER_PAY: '等待买家付款',
  TRADE_CLOSED: '交易已关闭',
};

/** Yuan with two decimals, as Alipay's amounts are written. */
export function yuan(fen: number): string {
  return formatFen(fen);
}

/** Alipay's amount (string or number of yuan) in fen; null when it is not one. */
export function fenOf(amount: unknown): number | null {
  if (typeof amount === 'number') return Number.isFinite(amount) ? parseYuan(amount.toFixed(2)) : null;
  return typeof amount === 'string' ? parseYuan(amount) : null;
}

/** Beijing time as Alipay writes it: yyyy-MM-dd HH:mm:ss. */
export function alipayTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Alipay's Beijing time back to milliseconds; NaN when it is not one. */
export function fromAlipayTime(text: unknown): number {
  if (typeof text !== 'string' || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text)) return Number.NaN;
  return Date.parse(`${text.replace(' ', 'T')}+08:00`);
}
