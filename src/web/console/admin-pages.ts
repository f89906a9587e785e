import type { ConsoleSession } from '../../platform/console/sessions.js';
import type { ConsoleAuditTable, ConsoleUserTable } from '../../platform/console/tables.js';
import { esc } from '../shared/html.js';
import { CONSOLE_PREFIX, csrfField, ROLE_LABEL } from './frame.js';
import { when } from './labels.js';

export function auditHtml(rows: readonly ConsoleAuditTable[], actor: string): string {
  const form = `<form class="search card" method="get" action="${CONSOLE_PREFIX}/audit">
<label>操作人<input name="actor" value="${esc(actor)}"></label><button class="primary" type="submit">筛选</button></form>
<p class="muted">审计日志只能追加: 数据库触发器拒绝修改和删除。</p>`;
  if (rows.length === 0) return `${form}<p class="muted">没有记录</p>`;
  const body = rows
    .map(
      (
        r,
      ) => `<tr><td>${r.id}</td><td>${when(r.at)}</td><td>${esc(r.actor)}</td><td>${esc(r.action)}</td><td>${esc(r.target)}</td>
<td><pre>${esc(r.before ?? '')}</pre></td><td><pre>${esc(r.after ?? '')}</pre></td><td>${esc(r.peer)}</td></tr>`,
    )
    .join('');
  return `${form}<table class="audit"><thead><tr><th>#</th><th>时间</th><th>操作人</th><th>操作</th><th>对象</th><th>之前</th><th>之后</th><th>来源地址</th></tr></thead><tbody>${body}</tbody></table>`;
}

type UserRow = Pick<
  ConsoleUserTable,
  'username' | 'role' | 'failed_count' | 'locked_until' | 'disabled' | 'created_at'
>;

function userForms(session: ConsoleSession, u: UserRow): string {
  const action = `${CONSOLE_PREFIX}/users/${encodeURIComponent(u.username)}`;
  const form = (change: string, inner: string, label: string, cls = 'primary') =>
    `<form method="post" action="${action}">${csrfField(session)}<input type="hidden" name="change" value="${change}">${inner}<button class="${cls}" type="submit">${label}</button></form>`;
  const roles = Object.entries(ROLE_LABEL)
    .map(([v, l]) => `<option value="${v}"${v === u.role ? ' selected' : ''}>${l}</option>`)
    .join('');
  return [
    form('role', `<select name="role" aria-label="角色">${roles}</select>`, '改角色'),
    u.disabled ? form('enable', '', '启用') : form('disable', '', '停用', 'danger'),
    u.locked_until !== null ? form('unlock', '', '解锁') : '',
    form(
      'password',
      '<input type="password" name="password" aria-label="新密码" placeholder="新密码" autocomplete="new-password">',
      '重置密码',
    ),
  ].join('');
}

export function usersHtml(session: ConsoleSession, users: readonly UserRow[], now: number): string {
  const rows = users
    .map(
      (
        u,
      ) => `<tr data-user="${esc(u.username)}"><td>${esc(u.username)}</td><td>${ROLE_LABEL[u.role] ?? esc(u.role)}</td>
<td>${u.disabled ? '停用' : u.locked_until !== null && u.locked_until > now ? `锁定至 ${when(u.locked_until)}` : '正常'}</td><td>${when(u.created_at)}</td>
<td class="actions">${userForms(session, u)}</td></tr>`,
    )
    .join('');
  const roleOptions = Object.entries(ROLE_LABEL)
    .map(([v, l]) => `<option value="${v}">${l}</option>`)
    .join('');
  return `<table class="users"><thead><tr><th>用户名</th><th>角色</th><th>状态</th><th>创建</th><th>管理</th></tr></thead><tbody>${rows}</tbody></table>
<div class="card"><h3>新增用户</h3><form class="search add-user" method="post" action="${CONSOLE_PREFIX}/users">${csrfField(session)}
<label>用户名<input name="username" required maxlength="32"></label>
<label>角色<select name="role">${roleOptions}</select></label>
<label>初始密码 (至少 10 个字符)<input type="password" name="password" required autocomplete="new-password"></label>
<button class="primary" type="submit">新增</button></form></div>`;
}

export function loginHtml(token: string, message: string, insecure: boolean): string {
  return `<div class="card"><h2>onepay 财务控制台 · 登录</h2>
${insecure ? '<p class="warn">此地址未使用 HTTPS: 登录凭据在网络上以明文传输。请通过 HTTPS 或本机地址访问。</p>' : ''}
${message ? `<div class="flash err" role="alert">${esc(message)}</div>` : ''}
<form method="post" action="${CONSOLE_PREFIX}/login"><input type="hidden" name="csrf" value="${esc(token)}">
<label>用户名<input name="username" required autocomplete="username" autofocus></label>
<label>密码<input type="password" name="password" required autocomplete="current-password"></label>
<button class="primary" type="submit">登录</button></form></div>`;
}

export function homeHtml(session: ConsoleSession, queueCount: number | undefined): string {
  const queue =
    queueCount === undefined
      ? ''
      : `<div class="card"><h3>待人工处理</h3><p><a href="${CONSOLE_PREFIX}/queue">${queueCount} 笔订单</a>等待财务处理</p></div>`;
  return `<div class="card"><p>您好, ${esc(session.username)} (${ROLE_LABEL[session.role]})。本次登录有效期至 ${when(session.expiresAt)}。</p></div>${queue}`;
}
