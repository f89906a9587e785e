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
<script>
const headers = () => { const t = sessionStorage.getItem('opToken'); return t ? { authorization: 'Bearer ' + t } : {}; };
async function call(url, init) {
  let res = await fetch(url, { ...init, headers: headers() });
  if (res.status === 403) {
    const t = prompt('运维口令 (ONEPAY_OPERATOR_TOKEN)');
    if (t) { sessionStorage.setItem('opToken', t); res = await fetch(url, { ...init, headers: headers() }); }
  }
  if (!res.ok) throw new Error('HTTP ' + res.status);
  return res.json();
}
function cell(text, cls) { const td = document.createElement('td'); td.textContent = String(text); if (cls) td.className = cls; return td; }
async function load() {
  document.getElementById('error').textContent = '';
  try {
    const state = document.getElementById('state').value;
    const data = await call('/ops/notify/deliveries?limit=200' + (state ? '&state=' + state : ''));
    const body = document.getElementById('rows'); body.replaceChildren();
    for (const d of data.deliveries) {
      const tr = document.createElement('tr');
      tr.append(cell(d.id), cell(d.eventId), cell(d.channel), cell(d.state, d.state), cell(d.attempts), cell(d.nextAt), cell(d.lastError));
      const td = document.createElement('td'); const b = document.createElement('button'); b.textContent = '重发';
      b.onclick = async () => { await call('/ops/notify/deliveries/' + d.id + '/resend', { method: 'POST' }); load(); };
      td.append(b); tr.append(td); body.append(tr);
    }
  } catch (e) { document.getElementById('error').textContent = String(e); }
}
document.getElementById('reload').onclick = load; document.getElementById('state').onchange = load; load();
</script></body></html>`;
}
