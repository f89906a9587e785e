import { ACCOUNT_STATUS } from '../../protocol/dictionaries.js';
import { formatFen } from '../../protocol/money.js';
import { beijingDisplay } from '../../protocol/time.js';
import { esc } from '../shared/html.js';

export const KIND_LABEL: Readonly<Record<string, string>> = {
  recharge: '预交金充值',
  refund: '退款',
  recpay: '检查缴费',
  cancel: '缴费撤销',
};

export const STATE_LABEL: Readonly<Record<string, string>> = {
  init: '待支付',
  ing: '处理中',
  succ: '成功',
  fail: '失败',
  exp: '异常',
  closed: '已关闭',
};

export function stateCell(state: string): string {
  return `<span class="state-${esc(state)}">${esc(STATE_LABEL[state] ?? state)}</span>`;
}

export function accountStatusLabel(status: string): string {
  return (ACCOUNT_STATUS as Record<string, string>)[status] ?? status;
}

/** Yuan with two decimals, from integer fen; a negative amount keeps its sign. */
export function yuan(fen: number | string): string {
  const n = Number(fen);
  return n < 0 ? `-${formatFen(-n)}` : formatFen(n);
}

export function when(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '' : beijingDisplay(Number(ms));
}

/** Options of a select, the chosen one marked; values and labels escaped. */
export function options(values: Readonly<Record<string, string>>, chosen: string, blank = '全部'): string {
  return [
    `<option value="">${esc(blank)}</option>`,
    ...Object.entries(values).map(
      ([v, label]) => `<option value="${esc(v)}"${v === chosen ? ' selected' : ''}>${esc(label)}</option>`,
    ),
  ].join('');
}

/** Text of a form field or query parameter, trimmed and bounded. */
export function field(source: unknown, name: string, max = 200): string {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/** A password as typed: not trimmed (spaces may be part of it), only bounded. */
export function secretField(source: unknown, name: string, max = 256): string {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
}
