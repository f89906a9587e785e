import type { OrderHistory } from '../../platform/console/orders.js';
import { CASE_ACTIONS } from '../../platform/console/queue.js';
import type { OrderTable } from '../../platform/store/index.js';
import { esc } from '../shared/html.js';
import { CONSOLE_PREFIX } from './frame.js';
import { KIND_LABEL, options, STATE_LABEL, stateCell, when, yuan } from './labels.js';

interface OrderQuery {
  readonly number: string;
  readonly card: string;
  readonly day: string;
  readonly channel: string;
  readonly state: string;
  readonly kind: string;
  readonly term: string;
  readonly operator: string;
}

export function orderSearchForm(q: OrderQuery): string {
  return `<form class="search card" method="get" action="${CONSOLE_PREFIX}/orders">
<label>单号 (流水号 / 商户单号 / HIS 单号 / 渠道单号)<input name="number" value="${esc(q.number)}" size="30"></label>
<label>卡号<input name="card" value="${esc(q.card)}"></label>
<label>日期 (北京时间)<input type="date" name="day" value="${esc(q.day)}"></label>
<label>渠道<input name="channel" value="${esc(q.channel)}" placeholder="CASH / ALI_QR …"></label>
<label>终端<input name="term" value="${esc(q.term)}" size="8"></label>
<label>操作员<input name="operator" value="${esc(q.operator)}" size="8"></label>
<label>类型<select name="kind">${options(KIND_LABEL, q.kind)}</select></label>
<label>状态<select name="state">${options(STATE_LABEL, q.state)}</select></label>
<button class="primary" type="submit">查询</button></form>`;
}

export function orderLink(traceNo: string): string {
  return `<a href="${CONSOLE_PREFIX}/orders/${encodeURIComponent(traceNo)}">${esc(traceNo)}</a>`;
}

export function orderRows(orders: readonly OrderTable[]): string {
  if (orders.length === 0) return '<p class="muted">没有符合条件的订单</p>';
  const rows = orders
    .map(
      (o) => `<tr><td>${when(o.created_at)}</td><td>${orderLink(o.trace_no)}</td><td>${esc(o.out_no)}</td>
<td>${esc(KIND_LABEL[o.kind] ?? o.kind)}</td><td>${esc(o.channel)}</td><td class="money">${yuan(o.amount_fen)}</td>
<td class="money">${yuan(o.refunded_fen)}</td><td>${stateCell(o.state)}</td><td>${esc(o.term_no)}</td></tr>`,
    )
    .join('');
  return `<table class="orders"><thead><tr><th>创建时间</th><th>交易流水号</th><th>商户单号</th><th>类型</th><th>渠道</th>
<th>金额</th><th>已退</th><th>状态</th><th>终端</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function facts(o: OrderTable): string {
  const answer = o.answer ? (JSON.parse(o.answer) as { respCode?: string; respMsg?: string }) : {};
  const pairs: [string, string][] = [
    ['交易流水号', esc(o.trace_no)],
    ['商户单号', esc(o.out_no)],
    ['类型', esc(KIND_LABEL[o.kind] ?? o.kind)],
    ['状态', stateCell(o.state)],
    ['渠道', esc(o.channel)],
    ['金额', yuan(o.amount_fen)],
    ['已退金额', yuan(o.refunded_fen)],
    [
      '账户',
      o.account_no
        ? `<a href="${CONSOLE_PREFIX}/accounts/${encodeURIComponent(o.account_no)}">${esc(o.account_no)}</a>`
        : '',
    ],
    ['原订单', o.orig_trace_no ? orderLink(o.orig_trace_no) : ''],
    ['终端', esc(o.term_no)],
    ['应答', esc(`${answer.respCode ?? ''} ${answer.respMsg ?? ''}`)],
    ['创建', when(o.created_at)],
    ['完成', when(o.finished_at)],
  ];
  return `<dl class="facts">${pairs.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function historyList(o: OrderTable): string {
  const detail = JSON.parse(o.detail) as { history?: { at: number; event: string }[] };
  const events = detail.history ?? [];
  if (events.length === 0) return '';
  return `<h3>过程</h3><table><tbody>${events.map((e) => `<tr><td>${when(e.at)}</td><td>${esc(e.event)}</td></tr>`).join('')}</tbody></table>`;
}

function auditTable(rows: OrderHistory['audit']): string {
  if (rows.length === 0) return '';
  return `<h3>人工操作</h3><table><thead><tr><th>时间</th><th>操作人</th><th>操作</th><th>之前</th><th>之后</th></tr></thead><tbody>${rows
    .map(
      (a) =>
        `<tr><td>${when(a.at)}</td><td>${esc(a.actor)}</td><td>${esc(a.action)}</td><td><pre>${esc(a.before ?? '')}</pre></td><td><pre>${esc(a.after ?? '')}</pre></td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function caseActionLabel(action: string): string {
  return Object.hasOwn(CASE_ACTIONS, action) ? CASE_ACTIONS[action as keyof typeof CASE_ACTIONS] : action;
}

/** Capabilities (the desk's token) stay out of the page: a screen or a printout is no place for them. */
function shownDetail(detail: string): string {
  return JSON.stringify(JSON.parse(detail), (key, value) => (key === 'token' ? '***' : value), 2);
}

/** One order's whole story: what it is, what reverses it, the money it moved, what people did. */
export function orderHistoryHtml(h: OrderHistory): string {
  const journal = h.journal.length
    ? `<h3>账务分录</h3><table class="journal"><thead><tr><th>时间</th><th>流水号</th><th>借方</th><th>贷方</th><th>金额</th><th>摘要</th></tr></thead><tbody>${h.journal
        .map(
          (j) =>
            `<tr><td>${when(j.created_at)}</td><td>${esc(j.trace_no)}</td><td>${esc(j.debit)}</td><td>${esc(j.credit)}</td><td class="money">${yuan(j.amount_fen)}</td><td>${esc(j.memo)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="muted">没有账务分录</p>';
  const resolution = h.resolution
    ? `<div class="card"><h3>人工处理结论</h3><dl class="facts"><dt>处理</dt><dd>${esc(caseActionLabel(h.resolution.resolution))}</dd><dt>说明</dt><dd>${esc(h.resolution.note)}</dd><dt>凭证</dt><dd>${esc(h.resolution.reference)}</dd><dt>处理人</dt><dd>${esc(h.resolution.resolved_by)} · ${when(h.resolution.resolved_at)}</dd></dl></div>`
    : '';
  return `<div class="card">${facts(h.order)}</div>${resolution}
${h.original ? `<h3>原订单</h3>${orderRows([h.original])}` : ''}
${h.reversals.length ? `<h3>退款 / 撤销</h3>${orderRows(h.reversals)}` : ''}
${historyList(h.order)}${journal}${auditTable(h.audit)}
<h3>明细 (JSON)</h3><div class="card"><pre>${esc(shownDetail(h.order.detail))}</pre></div>`;
}
