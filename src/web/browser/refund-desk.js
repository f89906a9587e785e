/**
 * The refund desk in the browser: number keys pick an order, Enter asks to
 * refund it (saying how much, from which order), Enter again refunds; Esc
 * steps back, or asks to cancel the refund.
 */
import { deskControls, isTyping, postJson, say } from './common.js';

const panel = document.getElementById('panel');
const base = panel.dataset.base;
const controls = deskControls(panel, base);
let busy = false;

function radios() {
  return Array.from(panel.querySelectorAll('input[name=order]'));
}

function pick(radio) {
  if (!radio) return;
  radio.checked = true;
  radio.focus();
  for (const r of radios()) r.closest('tr').setAttribute('aria-selected', String(r === radio));
}

function chosenOrder() {
  return radios().find((r) => r.checked);
}

/** The box that asks before money leaves; it lives in the panel, so a new panel takes it away. */
function refundBox() {
  return panel.querySelector('#refund-confirm');
}

function refundAsked() {
  const box = refundBox();
  return box !== null && !box.hidden;
}

/** Money leaves only after a second, deliberate Enter: the first one says how much, from which order. */
function askRefund() {
  const chosen = chosenOrder();
  if (!chosen) {
    say('请先选择要退款的订单');
    return;
  }
  const box = refundBox();
  if (!box || busy) return;
  say('');
  panel.querySelector('#refund-what').textContent = chosen.dataset.confirm;
  box.hidden = false;
  panel.querySelector('#refund-yes').focus();
}

function closeRefundBox() {
  const box = refundBox();
  if (box) box.hidden = true;
  const chosen = chosenOrder();
  if (chosen) chosen.focus();
}

async function refund() {
  const chosen = chosenOrder();
  if (!chosen || busy) return;
  const box = refundBox();
  if (box) box.hidden = true;
  busy = true;
  say('');
  const waiting = document.getElementById('busy');
  if (waiting) waiting.hidden = false;
  const result = await postJson(base + '/refund', { traceNo: chosen.value });
  busy = false;
  controls.showResult(result);
}

panel.addEventListener('submit', (event) => {
  event.preventDefault();
  askRefund();
});
panel.addEventListener('click', (event) => {
  if (event.target.closest('#refund-yes')) refund();
  else if (event.target.closest('#refund-no')) closeRefundBox();
});
panel.addEventListener('change', (event) => {
  if (event.target.name === 'order') pick(event.target);
});

document.addEventListener('keydown', (event) => {
  if (controls.cancelKey(event)) return;
  if (refundAsked()) {
    if (event.key === 'Enter') {
      event.preventDefault();
      refund();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      closeRefundBox();
    }
    return;
  }
  if (event.key === 'Escape') {
    event.preventDefault();
    controls.askCancel();
    return;
  }
  if (document.body.dataset.state !== 'choose') return;
  if (/^[1-9]$/.test(event.key) && !(isTyping(event.target) && event.target.type !== 'radio')) {
    event.preventDefault();
    pick(radios()[Number(event.key) - 1]);
  }
});
