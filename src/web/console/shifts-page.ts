import type { ConsoleSession } from '../../platform/console/sessions.js';
import { ROUTE_KIND_LABEL, valueLabel } from '../../platform/reports/labels.js';
import type { Scope } from '../../platform/reports/operators.js';
import type { ClosedShift, OpenShift, ShiftKey, ShiftTotals } from '../../platform/reports/shift.js';
import { esc } from '../shared/html.js';
import { CONSOLE_PREFIX, csrfField } from './frame.js';
import { when, yuan } from './labels.js';

const SHIFTS = `${CONSOLE_PREFIX}/shifts`;

function openShiftLink(key: ShiftKey): string {
  return `${SHIFTS}/open?${new URLSearchParams({ operator: key.operatorId, term: key.termNo }).toString()}`;
}

export const UNLINKED_HTML =
  '<p class="warn">您的账号尚未关联 HIS 操作员编号, 无法查看班次。请联系管理员在"日结"页关联。</p>';

export function shiftListHtml(open: readonly OpenShift[], closed: readonly ClosedShift[]): string {
  const openRows = open
    .map(
      (s) =>
        `<tr><td>${esc(s.operatorId || '(未填)')}</td><td>${esc(s.termNo || '(未填)')}</td><td>${when(s.firstAt)}</td><td>${when(s.lastAt)}</td><td class="money">${s.orderCount}</td>
<td><a href="${esc(openShiftLink(s))}">查看 / 日结</a></td></tr>`,
    )
    .join('');
  const closedRows = closed
    .map(
      (s) =>
        `<tr><td><a href="${SHIFTS}/${esc(s.id)}">${esc(s.id)}</a></td><td>${esc(s.operator_id)}</td><td>${esc(s.term_no)}</td><td>${when(s.from_at)}</td><td>${when(s.to_at)}</td><td class="money">${s.order_count}</td><td class="money">${yuan(s.cash_fen)}</td><td>${esc(s.closed_by)}</td></tr>`,
    )
    .join('');
  return `<div class="card"><h3>未日结的班次</h3>${
    open.length === 0
      ? '<p class="muted">没有未日结的交易</p>'
      : `<table><thead><tr><th>操作员</th><th>终端</th><th>首笔</th><th>末笔</th><th>笔数</th><th></th></tr></thead><tbody>${openRows}</tbody></table>`
  }</div>
<div class="card"><h3>已日结</h3>${
    closed.length === 0
      ? '<p class="muted">还没有日结记录</p>'
      : `<table><thead><tr><th>日结单号</th><th>操作员</th><th>终端</th><th>开始</th><th>截止</th><th>笔数</th><th>应交现金</th><th>日结人</th></tr></thead><tbody>${closedRows}</tbody></table>`
  }</div>`;
}

/** The shift's figures: what the printed sheet shows and the cashier signs. */
function shiftTotalsHtml(totals: ShiftTotals): string {
  const rows = totals.byChannelFee
    .map(
      (r) =>
        `<tr><td>${esc(valueLabel('channel', r.channel))}</td><td>${esc(valueLabel('feeType', r.feeType))}</td><td class="money">${r.inCount}</td><td class="money">${yuan(r.inFen)}</td><td class="money">${r.outCount}</td><td class="money">${yuan(r.outFen)}</td></tr>`,
    )
    .join('');
  const routes = totals.refundsByRoute
    .map(
      (r) =>
        `<tr><td>${esc(valueLabel('channel', r.channel))}</td><td>${esc(ROUTE_KIND_LABEL[r.kind] ?? r.kind)}</td><td class="money">${r.count}</td><td class="money">${yuan(r.fen)}</td></tr>`,
    )
    .join('');
  return `<section class="shift-sheet">
<div class="cash-box"><div><span>现金收入</span><strong>${yuan(totals.cashInFen)}</strong></div><div><span>现金退付</span><strong>${yuan(totals.cashOutFen)}</strong></div><div class="due"><span>应交现金</span><strong>${yuan(totals.cashFen)}</strong></div></div>
<h3>按渠道和费用类型</h3>
<table><thead><tr><th>支付渠道</th><th>费用类型</th><th>收款笔数</th><th>收款金额</th><th>退付笔数</th><th>退付金额</th></tr></thead><tbody>${rows || '<tr><td colspan="6" class="muted">无</td></tr>'}</tbody></table>
<h3>退款按原路</h3>
<table><thead><tr><th>退付渠道</th><th>类型</th><th>笔数</th><th>金额</th></tr></thead><tbody>${routes || '<tr><td colspan="4" class="muted">无</td></tr>'}</tbody></table>
</section>`;
}

export function openShiftHtml(
  session: ConsoleSession,
  key: ShiftKey,
  totals: ShiftTotals,
  toAt: number,
): string {
  const close =
    totals.orderCount === 0
      ? '<p class="muted">没有未日结的交易</p>'
      : `<form method="post" action="${SHIFTS}/close" class="actions">${csrfField(session)}
<input type="hidden" name="operator" value="${esc(key.operatorId)}"><input type="hidden" name="term" value="${esc(key.termNo)}"><input type="hidden" name="toAt" value="${toAt}">
<button class="primary" type="submit">确认日结 (截止 ${when(toAt)})</button></form>
<p class="muted">日结后本班次的数字不能再修改; 截止之后完成的交易计入下一班次。</p>`;
  return `<dl class="facts"><dt>操作员</dt><dd>${esc(key.operatorId || '(未填)')}</dd><dt>终端</dt><dd>${esc(key.termNo || '(未填)')}</dd>
<dt>交易</dt><dd>${totals.orderCount} 笔, 自 ${when(totals.fromAt)} 至 ${when(toAt)}</dd></dl>
${shiftTotalsHtml(totals)}${close}`;
}

export function closedShiftHtml(shift: ClosedShift): string {
  const base = `${SHIFTS}/${encodeURIComponent(shift.id)}`;
  return `<p class="exports">导出: <a href="${base}.csv">CSV</a> · <a href="${base}.xlsx">Excel</a> · 打印请按 Ctrl+P</p>
<dl class="facts"><dt>日结单号</dt><dd>${esc(shift.id)}</dd><dt>操作员</dt><dd>${esc(shift.operator_id || '(未填)')}</dd><dt>终端</dt><dd>${esc(shift.term_no || '(未填)')}</dd>
<dt>交易</dt><dd>${shift.order_count} 笔, 自 ${when(shift.from_at)} 至 ${when(shift.to_at)}</dd>
<dt>日结</dt><dd>${esc(shift.closed_by)} 于 ${when(shift.closed_at)} (已锁定, 不可修改)</dd></dl>
${shiftTotalsHtml(shift.totals)}
<div class="signatures print-only"><span>收费员签字: ____________</span><span>财务签收: ____________</span><span>日期: ____________</span></div>`;
}

/** For an administrator: which console user is which HIS operator (a cashier sees only their own). */
export function operatorLinksHtml(
  session: ConsoleSession,
  links: readonly { username: string; role: string; operatorId: string | null }[],
): string {
  const rows = links
    .filter((l) => l.role === 'cashier')
    .map(
      (l) => `<tr><td>${esc(l.username)}</td><td>${esc(l.operatorId ?? '')}</td><td>
<form method="post" action="${SHIFTS}/operators" class="inline">${csrfField(session)}<input type="hidden" name="username" value="${esc(l.username)}">
<input name="operatorId" value="${esc(l.operatorId ?? '')}" maxlength="30" aria-label="操作员编号"><button class="primary" type="submit">保存</button></form></td></tr>`,
    )
    .join('');
  return `<div class="card"><h3>收费员与 HIS 操作员编号</h3>${
    rows === ''
      ? '<p class="muted">没有收费员账号</p>'
      : `<table><thead><tr><th>用户</th><th>操作员编号</th><th>关联</th></tr></thead><tbody>${rows}</tbody></table>`
  }</div>`;
}

export function scopeNote(scope: Scope): string {
  return scope.kind === 'operator' ? `<p class="muted">仅显示操作员 ${esc(scope.operatorId)} 的班次</p>` : '';
}
