import type { FastifyReply } from 'fastify';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * The one HTML escaper of the pages: everything the HIS or a patient sends
 * (names, subject, ShowMsg, messages) is interpolated through it, in text
 * and in quoted attributes alike.
 */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

export const ASSET_PREFIX = '/cashier/assets';

/**
 * On every page of a sandbox app: its channels are simulated and nobody may
 * take what it shows for real money. Styled by SANDBOX_BANNER_CSS, which every
 * stylesheet of the pages carries (no inline style: the CSP forbids it).
 */
export const SANDBOX_BANNER =
  '<div class="sandbox-banner" role="status">测试环境 · 沙箱应用, 不产生真实交易</div>';
export const SANDBOX_BANNER_CSS =
  '.sandbox-banner{background:#d7000f;color:#fff;text-align:center;padding:4px 8px;font-size:14px;font-weight:600}';

/**
 * The cashier pages' frame: one stylesheet and one module script, both served
 * by the platform (a hospital LAN may have no way out), no inline script, so
 * the CSP can forbid everything else.
 */
export function page(options: {
  readonly title: string;
  readonly body: string;
  readonly script?: string;
  readonly bodyClass?: string;
  /** The page's state as the browser script reads it (data-state on body). */
  readonly state?: string;
  /** For a page without JavaScript: refresh now and then so the result still shows. */
  readonly refreshSeconds?: number;
  /** The page belongs to a sandbox app: it says 测试环境. */
  readonly sandbox?: boolean;
}): string {
  const refresh = options.refreshSeconds
    ? `<noscript><meta http-equiv="refresh" content="${options.refreshSeconds}"></noscript>`
    : '';
  const script = options.script
    ? `<script type="module" src="${ASSET_PREFIX}/${options.script}"></script>`
    : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(options.title)}</title>
<link rel="stylesheet" href="${ASSET_PREFIX}/cashier.css">${refresh}${script}
</head><body class="${esc(options.bodyClass ?? '')}" data-state="${esc(options.state ?? '')}">${options.sandbox ? SANDBOX_BANNER : ''}${options.body}</body></html>`;
}

/** Same-origin only; images may be data: URLs (the QR codes). The desk may be framed by a kiosk shell. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'";

export function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** A page that only says something went wrong (bad token, unknown terminal…). */
export function noticePage(title: string, message: string): string {
  return page({
    title,
    body: `<main class="notice"><h1>${esc(title)}</h1><p>${esc(message)}</p></main>`,
  });
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
