import { ASSET_PREFIX } from '../shared/html.js';

/**
 * The operator's delivery list: a static shell whose script reads the
 * guarded JSON API. With an operator token configured, the script asks for
 * it once and keeps it in sessionStorage, never in the URL.
 */
export function renderOpsPage(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>消息推送投递</title>
<meta name="referrer" content="no-referrer">
<style>body{font-family:system-ui,"WenQuanYi Micro Hei",sans-serif;margin:16px}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ddd;padding:4px 6px;font-size:13px;text-align:left}.fail{color:#c00}.succ{color:#080}</style></head>
<body><h1>消息推送投递</h1>
<label>状态 <select id="state"><option value="">全部</option><option value="ing">投递中</option><option value="succ">成功</option><option value="fail">失败</option></select></label>
<button id="reload">刷新</button><p id="error" class="fail"></p>
<table><thead><tr><th>ID</th><th>事件</th><th>渠道</th><th>状态</th><th>次数</th><th>下次</th><th>最后错误</th><th></th></tr></thead><tbody id="rows"></tbody></table>
<script type="module" src="${ASSET_PREFIX}/ops.js"></script></body></html>`;
}
