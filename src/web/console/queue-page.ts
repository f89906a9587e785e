import { CASE_ACTIONS, type ManualCase } from '../../platform/console/queue.js';
import type { ConsoleSession } from '../../platform/console/sessions.js';
import type { OpenDifferenceDay } from '../../platform/reconcile/queue.js';
import { esc } from '../shared/html.js';
import { CONSOLE_PREFIX, csrfField } from './frame.js';
import { KIND_LABEL, stateCell, when, yuan } from './labels.js';
import { orderLink } from './orders-page.js';

/** What finance must check before deciding, by the answer the HIS was given. */
const BEFORE_DECIDING: Readonly<Record<string, string>> = {
  '040041':
    'HIS 是否已扣减预交金未知: 须先在 HIS 核实。已扣减: 线下付出; 未扣减: 确认 HIS 未扣减, 金额退回预交金 (退款失败)。',
  '040017': '渠道已退款, HIS 确认失败: 可再次请求 HIS 确认; 或在 HIS 核对并完成退费确认后核销。',
  '040036':
    'HIS 已扣减预交金, 渠道退款失败: 可用同一退款单号重新提交渠道退款 (渠道按单号幂等, 不会重复退款); 仍失败则核实患者收款账户后线下付出。',
  '040004': 'HIS 拒绝入账, 原路退回未成功: 可再次原路退回 (同一退款单号, 渠道不会重复退款)。',
  '040018': '金额已退回预交金, HIS 仍保留预留: 在 HIS 解除预留后核销。',
  '040023': '金额已退回预交金, HIS 已记退费: 在 HIS 冲销退费记录后核销。',
};

const AWAITING_TRANSFER =
  '银行转账退款 (withdrawMode 2): 款项在途, 等待财务转账。转账完成后填写转账流水号确认, 平台随即完成退款 (含 HIS 确认)。';

function actionForm(session: ConsoleSession, c: ManualCase): string {
  const target = `${CONSOLE_PREFIX}/queue/${encodeURIComponent(c.order.trace_no)}`;
  return c.actions
    .map((action) => {
      const reference = '<label>凭证号 (转账流水号)<input name="reference" required maxlength="64"></label>';
      const payout =
        action === 'payOffline'
          ? `<label>付出方式<select name="payoutChannel"><option value="BANK_TRANSFER">银行转账</option><option value="CASH">现金</option></select></label>
${reference}`
          : action === 'transferDone'
            ? reference
            : '';
      return `<form method="post" action="${target}">${csrfField(session)}<input type="hidden" name="action" value="${action}">
${payout}<label>处理说明<input name="note" required maxlength="200" size="24"></label>
<button class="${action === 'writeOff' ? 'danger' : 'primary'}" type="submit">${esc(CASE_ACTIONS[action])}</button></form>`;
    })
    .join('');
}

/** Reconciliation's open differences are decided on the 对账 page (with the day's statements beside them): listed here so nothing waiting for a person is out of sight. */
function differenceDaysHtml(days: readonly OpenDifferenceDay[]): string {
  if (days.length === 0) return '';
  const items = days
    .map(
      (d) =>
        `<li><a href="${CONSOLE_PREFIX}/reconcile?appid=${encodeURIComponent(d.appid)}&amp;day=${encodeURIComponent(d.day)}">${esc(d.appid)} ${esc(d.day)}</a>: 差异 ${d.count} 条待处理</li>`,
    )
    .join('');
  return `<h2>对账差异</h2><ul class="difference-days">${items}</ul>`;
}

/** Each case with what is known and the decisions that fit it, then the reconciliation days still open. */
export function queueHtml(
  session: ConsoleSession,
  cases: readonly ManualCase[],
  differenceDays: readonly OpenDifferenceDay[] = [],
): string {
  return `${casesHtml(session, cases)}${differenceDaysHtml(differenceDays)}`;
}

function casesHtml(session: ConsoleSession, cases: readonly ManualCase[]): string {
  if (cases.length === 0) return '<p class="muted">没有待人工处理的订单</p>';
  const rows = cases
    .map(
      (
        c,
      ) => `<tr><td>${when(c.order.created_at)}</td><td>${orderLink(c.order.trace_no)}<br><span class="muted">${esc(c.order.out_no)}</span></td>
<td>${esc(KIND_LABEL[c.order.kind] ?? c.order.kind)}<br>${esc(c.order.channel)}</td><td class="money">${yuan(c.order.amount_fen)}</td>
<td>${stateCell(c.order.state)}<br>${esc(c.respCode)}</td><td>${esc(c.respMsg)}${c.why && c.why !== c.respMsg ? `<br><span class="muted">${esc(c.why)}</span>` : ''}${
        BEFORE_DECIDING[c.respCode] ? `<p class="warn">${esc(BEFORE_DECIDING[c.respCode] ?? '')}</p>` : ''
      }</td>
<td class="money">${yuan(c.inFlightFen)}</td><td class="actions">${actionForm(session, c) || '<span class="muted">无可用操作, 请联系管理员核对账务</span>'}</td></tr>`,
    )
    .join('');
  return `<p class="muted">平台标记为需人工处理 (manual) 且尚无处理结论的订单。"在途" 是为该退款预留、尚未付出也未退回的金额。</p>
<table class="queue"><thead><tr><th>时间</th><th>订单</th><th>类型 / 渠道</th><th>金额</th><th>状态 / 应答码</th><th>情况</th><th>在途</th><th>处理</th></tr></thead><tbody>${rows}</tbody></table>`;
}
