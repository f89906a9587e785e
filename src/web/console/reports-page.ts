import { DIMENSION_LABEL, valueLabel } from '../../platform/reports/labels.js';
import { DIMENSIONS, type Dimension, type Period } from '../../platform/reports/movements.js';
import { type ReportRow, reportTotal } from '../../platform/reports/report.js';
import { CHANNEL } from '../../protocol/dictionaries.js';
import { esc } from '../shared/html.js';
import { CONSOLE_PREFIX } from './frame.js';
import { options, yuan } from './labels.js';

export interface ReportForm {
  readonly from: string;
  readonly to: string;
  readonly period: Period;
  readonly by: readonly Dimension[];
  readonly channel: string;
  /** '' for everyone; a cashier's own, fixed. */
  readonly operator: string;
  readonly operatorFixed: boolean;
}

/** The query string of a report: the page's links to its exports repeat it. */
export function reportQuery(f: ReportForm): string {
  const q = new URLSearchParams({ from: f.from, to: f.to, period: f.period });
  for (const d of f.by) q.append('by', d);
  if (f.channel) q.set('channel', f.channel);
  if (f.operator && !f.operatorFixed) q.set('operator', f.operator);
  return q.toString();
}

export function reportFormHtml(f: ReportForm): string {
  const dims = DIMENSIONS.map(
    (d) =>
      `<label class="check"><input type="checkbox" name="by" value="${d}"${f.by.includes(d) ? ' checked' : ''}>${DIMENSION_LABEL[d]}</label>`,
  ).join('');
  const operator = f.operatorFixed
    ? `<label>操作员<input value="${esc(f.operator)}" disabled></label>`
    : `<label>操作员<input name="operator" value="${esc(f.operator)}" maxlength="30"></label>`;
  return `<form class="search card" method="get" action="${CONSOLE_PREFIX}/reports">
<label>开始日期<input type="date" name="from" value="${esc(f.from)}" required></label>
<label>结束日期<input type="date" name="to" value="${esc(f.to)}" required></label>
<label>汇总周期<select name="period"><option value="day"${f.period === 'day' ? ' selected' : ''}>按日</option><option value="month"${f.period === 'month' ? ' selected' : ''}>按月</option></select></label>
<label>支付渠道<select name="channel">${options(CHANNEL, f.channel)}</select></label>
${operator}
<fieldset class="dims"><legend>分组</legend>${dims}</fieldset>
<button class="primary" type="submit">查询</button></form>`;
}

export function reportTableHtml(rows: readonly ReportRow[], by: readonly Dimension[]): string {
  if (rows.length === 0) return '<p class="muted">所选范围内没有成功的交易</p>';
  const money = (r: Omit<ReportRow, 'period' | 'keys'>) =>
    `<td class="money">${r.inCount}</td><td class="money">${yuan(r.inFen)}</td><td class="money">${r.outCount}</td><td class="money">${yuan(r.outFen)}</td><td class="money">${yuan(r.inFen - r.outFen)}</td>`;
  const body = rows
    .map(
      (r) =>
        `<tr><td>${esc(r.period)}</td>${by.map((d) => `<td>${esc(valueLabel(d, r.keys[d] ?? ''))}</td>`).join('')}${money(r)}</tr>`,
    )
    .join('');
  const head = [
    '期间',
    ...by.map((d) => DIMENSION_LABEL[d]),
    '收款笔数',
    '收款金额',
    '退付笔数',
    '退付金额',
    '净额',
  ]
    .map((h) => `<th>${h}</th>`)
    .join('');
  return `<table class="report"><thead><tr>${head}</tr></thead><tbody>${body}</tbody>
<tfoot><tr><th colspan="${1 + by.length}">合计</th>${money(reportTotal(rows))}</tr></tfoot></table>`;
}

export function exportLinksHtml(base: string, query: string): string {
  return `<p class="exports">导出: <a href="${base}.csv?${esc(query)}">CSV</a> · <a href="${base}.xlsx?${esc(query)}">Excel</a></p>`;
}
