import type { FastifyReply } from 'fastify';
import type { ConsoleSession } from '../../platform/console/sessions.js';
import type { Role } from '../../platform/console/tables.js';
import { esc } from '../shared/html.js';

export const CONSOLE_PREFIX = '/console';
export const CONSOLE_CSS_PATH = `${CONSOLE_PREFIX}/assets/console.css`;

export const ROLE_LABEL: Readonly<Record<Role, string>> = {
  cashier: '收费员',
  finance: '财务',
  admin: '管理员',
};

/** The console's sections and who may open them; the one list both the menu and the route guard read. */
const SECTIONS = {
  home: { path: '', label: '首页', roles: ['cashier', 'finance', 'admin'] },
  orders: { path: '/orders', label: '订单查询', roles: ['cashier', 'finance', 'admin'] },
  accounts: { path: '/accounts', label: '预交金账户', roles: ['finance', 'admin'] },
  queue: { path: '/queue', label: '待人工处理', roles: ['finance', 'admin'] },
  reconcile: { path: '/reconcile', label: '对账', roles: ['finance', 'admin'] },
  shifts: { path: '/shifts', label: '日结', roles: ['cashier', 'finance', 'admin'] },
  reports: { path: '/reports', label: '报表', roles: ['cashier', 'finance', 'admin'] },
  audit: { path: '/audit', label: '审计日志', roles: ['finance', 'admin'] },
  users: { path: '/users', label: '用户管理', roles: ['admin'] },
  apps: { path: '/apps', label: '应用与渠道', roles: ['admin'] },
} as const satisfies Record<string, { path: string; label: string; roles: readonly Role[] }>;

export type Section = keyof typeof SECTIONS;

export function mayOpen(role: Role, section: Section): boolean {
  return (SECTIONS[section].roles as readonly Role[]).includes(role);
}

export interface Flash {
  readonly ok: boolean;
  readonly message: string;
}

function flashHtml(flash: Flash | undefined): string {
  if (!flash || flash.message === '') return '';
  return `<div class="flash ${flash.ok ? 'ok' : 'err'}" role="status">${esc(flash.message)}</div>`;
}

/** A hidden field with the session's CSRF token: every form that POSTs carries it. */
export function csrfField(session: ConsoleSession): string {
  return `<input type="hidden" name="csrf" value="${esc(session.csrfToken)}">`;
}

function documentHtml(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)} · onepay 财务控制台</title>
<link rel="stylesheet" href="${CONSOLE_CSS_PATH}">
</head><body>${body}</body></html>`;
}

/** A page of the console for a logged-in person: the menu shows only the sections their role opens. */
export function consolePage(
  session: ConsoleSession,
  here: Section,
  title: string,
  content: string,
  flash?: Flash,
): string {
  const menu = (Object.keys(SECTIONS) as Section[])
    .filter((s) => mayOpen(session.role, s))
    .map((s) => {
      const cls = s === here ? ' class="here"' : '';
      return `<a href="${CONSOLE_PREFIX}${SECTIONS[s].path}"${cls}>${SECTIONS[s].label}</a>`;
    })
    .join('');
  return documentHtml(
    title,
    `<header class="top"><h1>onepay 财务控制台</h1><nav>${menu}</nav>
<div class="who"><span>${esc(session.username)} · ${ROLE_LABEL[session.role]}</span>
<form method="post" action="${CONSOLE_PREFIX}/logout">${csrfField(session)}<button type="submit">退出</button></form></div></header>
<main><h2>${esc(title)}</h2>${flashHtml(flash)}${content}</main>`,
  );
}

/** A page outside any session (log-in, refusals). */
export function barePage(title: string, content: string): string {
  return documentHtml(title, `<main class="login">${content}</main>`);
}

/**
 * The desk's pages may be framed by a kiosk shell; the console's may not:
 * its buttons move money, and a page of another site must not lay them
 * under its own (clickjacking). No script at all, forms only to itself.
 */
const CONSOLE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function sendConsolePage(reply: FastifyReply, status: number, html: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(html);
}
