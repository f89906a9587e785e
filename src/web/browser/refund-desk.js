import { follow, isTyping, postJson, say, showPanel } from './common.js';

const panel = document.getElementById('panel');
const base = panel.dataset.base;
let busy = false;
let confirming = false;

function settle(snap) {
  if (!snap?.final) return;
  document.body.dataset.final = 'true';
  document.getElementById('cancel').hidden = true;
  closeConfirm();
}

follow(base + '/status', panel, settle);

function radios() {
  return Array.from(panel.querySelectorAll('input[name=order]'));
}

function pick(radio) {
  if (!radio) return;
  radio.checked = true;
  radio.focus();
  for (const r of radios()) r.closest('tr').setAttribute('aria-selected', String(r === radio));
}

async function refund() {
  const chosen = radios().find((r) => r.checked);
  if (!chosen) {
    say('请先选择要退款的订单');
    return;
  }
  if (busy) return;
  busy = true;
  say('');
  const waiting = document.getElementById('busy');
  if (waiting) waiting.hidden = false;
  const result = await postJson(base + '/refund', { traceNo: chosen.value });
  busy = false;
  if (result.snapshot) {
    showPanel(panel, result.snapshot.panel, result.snapshot.state);
    settle(result.snapshot);
  }
  if (!result.ok) say(result.message);
}

function askCancel() {
  if (document.body.dataset.final === 'true') return;
  confirming = true;
  document.getElementById('confirm').hidden = false;
  document.getElementById('confirm-yes').focus();
}

function closeConfirm() {
  confirming = false;
  document.getElementById('confirm').hidden = true;
}

async function cancel() {
  closeConfirm();
  const result = await postJson(base + '/cancel');
  if (result.snapshot) {
    showPanel(panel, result.snapshot.panel, result.snapshot.state);
    settle(result.snapshot);
  }
  if (!result.ok) say(result.message);
}

panel.addEventListener('submit', (event) => {
  event.preventDefault();
  refund();
});
panel.addEventListener('change', (event) => {
  if (event.target.name === 'order') pick(event.target);
});
document.getElementById('cancel').addEventListener('click', askCancel);
document.getElementById('confirm-yes').addEventListener('click', cancel);
document.getElementById('confirm-no').addEventListener('click', closeConfirm);

document.addEventListener('keydown', (event) => {
  if (confirming) {
    if (event.key === 'Enter' || event.key === 'Escape') {
      event.preventDefault();
      cancel();
    } else closeConfirm();
    return;
  }
  if (event.key === 'Escape') {
    event.preventDefault();
    askCancel();
    return;
  }
  if (document.body.dataset.state !== 'choose') return;
  if (/^[1-9]$/.test(event.key) && !(isTyping(event.target) && event.target.type !== 'radio')) {
    event.preventDefault();
    pick(radios()[Number(event.key) - 1]);
  }
});
