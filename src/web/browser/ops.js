/** The operator's delivery list: reads the guarded JSON API; the operator token lives in sessionStorage only. */
const headers = () => {
  const t = sessionStorage.getItem('opToken');
  return t ? { authorization: 'Bearer ' + t } : {};
};
async function call(url, init) {
  let res = await fetch(url, { ...init, headers: headers() });
  if (res.status === 403) {
    const t = prompt('运维口令 (ONEPAY_OPERATOR_TOKEN)');
    if (t) {
      sessionStorage.setItem('opToken', t);
      res = await fetch(url, { ...init, headers: headers() });
    }
  }
  if (!res.ok) throw new Error('HTTP ' + res.status);
  return res.json();
}
function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = String(text);
  if (cls) td.className = cls;
  return td;
}
async function load() {
  document.getElementById('error').textContent = '';
  try {
    const state = document.getElementById('state').value;
    const data = await call('/ops/notify/deliveries?limit=200' + (state ? '&state=' + state : ''));
    const body = document.getElementById('rows');
    body.replaceChildren();
    for (const d of data.deliveries) {
      const tr = document.createElement('tr');
      tr.append(
        cell(d.id),
        cell(d.eventId),
        cell(d.channel),
        cell(d.state, d.state),
        cell(d.attempts),
        cell(d.nextAt),
        cell(d.lastError),
      );
      const td = document.createElement('td');
      const b = document.createElement('button');
      b.textContent = '重发';
      b.onclick = async () => {
        await call('/ops/notify/deliveries/' + d.id + '/resend', { method: 'POST' });
        load();
      };
      td.append(b);
      tr.append(td);
      body.append(tr);
    }
  } catch (e) {
    document.getElementById('error').textContent = String(e);
  }
}
document.getElementById('reload').onclick = load;
document.getElementById('state').onchange = load;
load();
