import { esc, SANDBOX_BANNER, SANDBOX_BANNER_CSS } from '../shared/html.js';

/** A phone-sized page; no script unless a page brings its own, no outside resources. */
export function layout(title: string, body: string, sandbox = false): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>
body{margin:0;font-family:system-ui,"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;background:#f2f3f5;color:#222}
main{max-width:480px;margin:0 auto;padding:12px}
.card{background:#fff;border-radius:8px;padding:14px 16px;margin-bottom:12px}
.card h1{font-size:18px;margin:0 0 8px}.card h2{font-size:15px;margin:0 0 8px;color:#555}
.muted{color:#888;font-size:13px}
dl{display:grid;grid-template-columns:7em 1fr;gap:6px 8px;margin:0}dt{color:#666}dd{margin:0;text-align:right}
.amount{font-size:28px;font-weight:600}
.btn{display:block;width:100%;box-sizing:border-box;padding:12px;border:0;border-radius:6px;background:#07c160;color:#fff;font-size:16px;text-align:center;text-decoration:none;margin-top:10px}
.btn.alt{background:#1989fa}
input{width:100%;box-sizing:border-box;padding:10px;font-size:18px;border:1px solid #ccc;border-radius:6px}
.error{color:#c00}
a.more{display:block;border-top:1px solid #eee;margin-top:10px;padding-top:10px;color:#333;text-decoration:none}
${SANDBOX_BANNER_CSS}
</style></head><body>${sandbox ? SANDBOX_BANNER : ''}<main>${body}</main></body></html>`;
}

export function rows(items: readonly (readonly [string, string])[]): string {
  return `<dl>${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

export function notice(title: string, message: string): string {
  return layout(title, `<div class="card"><h1>${esc(title)}</h1><p class="error">${esc(message)}</p></div>`);
}
