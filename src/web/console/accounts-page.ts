import { ACCOUNT_ACTIONS, type AccountAction } from '../../platform/console/account-status.js';
import type { AccountView } from '../../platform/console/accounts.js';
import type { ConsoleSession } from '../../platform/console/sessions.js';
import type { AccountTable } from '../../platform/store/index.js';
import { esc } from '../shared/html.js';
import { CONSOLE_PREFIX, csrfField } from './frame.js';
import { accountStatusLabel, when, yuan } from './labels.js';
import { orderLink } from './orders-page.js';

export function accountSearchHtml(q: string, found: readonly AccountTable[] | undefined): string {
  const form = `<form class="search card" method="get" action="${CONSOLE_PREFIX}/accounts">
<label>卡号 / 账户号 / 姓名 / HIS 患者号<input name="q" value="${esc(q)}" size="30"></label>
<button class="primary" type="submit">查询</button></form>`;
  if (!found) return form;
  if (found.length === 0) return `${form}<p class="muted">没有找到账户</p>`;
  const rows = found
    .map(
      (
        a,
      ) => `<tr><td><a href="${CONSOLE_PREFIX}/accounts/${encodeURIComponent(a.account_no)}">${esc(a.account_no)}</a></td>
<td>${esc(a.user_name)}</td><td>${esc(a.card_type)} ${esc(a.card_no)}</td><td>${a.account_type === '02' ? '住院' : '门诊'}</td>
<td class="money">${yuan(a.balance_fen)}</td><td>${esc(accountStatusLabel(a.status))}</td></tr>`,
    )
    .join('');
  return `${form}<table class="accounts"><thead><tr><th>账户号</th><th>姓名</th><th>卡</th><th>类型</th><th>余额</th><th>状态</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function actionForms(session: ConsoleSession, a: AccountTable): string {
  const allowed = (Object.keys(ACCOUNT_ACTIONS) as AccountAction[]).filter((k) =>
    (ACCOUNT_ACTIONS[k].from as readonly string[]).includes(a.status),
  );
  if (allowed.length === 0) return '<p class="muted">账户已注销, 不能再变更状态</p>';
  return `<div class="actions">${allowed
    .map(
      (
        k,
      ) => `<form method="post" action="${CONSOLE_PREFIX}/accounts/${encodeURIComponent(a.account_no)}/status">${csrfField(session)}
<input type="hidden" name="action" value="${k}"><label>原因<input name="reason" required maxlength="200"></label>
<button class="${k === 'close' ? 'danger' : 'primary'}" type="submit">${esc(ACCOUNT_ACTIONS[k].label)}</button></form>`,
    )
    .join('')}</div>`;
}

export function accountViewHtml(session: ConsoleSession, v: AccountView): string {
  const a = v.account;
  const facts: [string, string][] = [
    ['账户号', esc(a.account_no)],
    ['姓名', esc(a.user_name)],
    ['卡', `${esc(a.card_type)} ${esc(a.card_no)}`],
    ['类型', a.account_type === '02' ? '住院' : '门诊'],
    ['HIS 患者号', esc(a.his_cust_id)],
    ['余额', yuan(a.balance_fen)],
    ['状态', `${esc(a.status)} ${esc(accountStatusLabel(a.status))}`],
    ['开户', when(a.created_at)],
  ];
  const journal = v.journal.length
    ? `<table class="journal"><thead><tr><th>时间</th><th>流水号</th><th>摘要</th><th>变动</th><th>余额</th></tr></thead><tbody>${v.journal
        .map(
          (j) =>
            `<tr><td>${when(j.created_at)}</td><td>${orderLink(j.trace_no)}</td><td>${esc(j.memo)}</td><td class="money">${yuan(j.delta_fen)}</td><td class="money">${yuan(j.balance_fen)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="muted">没有账务记录</p>';
  const audit = v.audit.length
    ? `<h3>状态变更记录</h3><table><thead><tr><th>时间</th><th>操作人</th><th>操作</th><th>之前</th><th>之后</th></tr></thead><tbody>${v.audit
        .map(
          (r) =>
            `<tr><td>${when(r.at)}</td><td>${esc(r.actor)}</td><td>${esc(r.action)}</td><td><pre>${esc(r.before ?? '')}</pre></td><td><pre>${esc(r.after ?? '')}</pre></td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  return `<div class="card"><dl class="facts">${facts.map(([k, val]) => `<dt>${k}</dt><dd>${val}</dd>`).join('')}</dl></div>
<div class="card"><h3>变更账户状态</h3>${actionForms(session, a)}</div>
<h3>账户流水</h3>${v.olderEntries > 0 ? `<p class="muted">仅显示最近 ${v.journal.length} 笔, 更早的 ${v.olderEntries} 笔未显示</p>` : ''}${
    v.journalBalanceFen !== Number(a.balance_fen)
      ? `<p class="flash err">账户余额 ${yuan(a.balance_fen)} 与流水合计 ${yuan(v.journalBalanceFen)} 不符, 请联系管理员</p>`
      : ''
  }${journal}${audit}`;
}
