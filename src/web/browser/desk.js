/**
 * The cashier desk in the browser. Keys: number keys pick a channel, Enter
 * takes the money with it, Esc asks to cancel (Enter or Esc again confirms).
 * A barcode scanner "types" digits then Enter, faster than a person: a burst
 * of digits is taken as a payment code wherever the focus is.
 */
import { deskControls, isTyping, postJson, say } from './common.js';

const panel = document.getElementById('panel');
const base = panel.dataset.base;
const controls = deskControls(panel, base);
let busy = false;
let burst = '';
let lastDigitAt = 0;
let pickTimer = 0;

/**
 * Keys of a scanner come a few ms apart, a person's rarely under 100 ms; the
 * margin is for a busy cashier PC whose events arrive late.
 */
const SCANNER_GAP_MS = 100;
/** A single digit is a channel pick once no other digit followed within this. */
const PICK_DELAY_MS = 150;

function choices() {
  return Array.from(panel.querySelectorAll('button[data-channel]'));
}

function selected() {
  return panel.querySelector('button[data-channel][aria-pressed=true]');
}

function pick(button) {
  if (!button) return;
  for (const b of choices()) b.setAttribute('aria-pressed', String(b === button));
  const scan = panel.querySelector('#barcode');
  const pos = panel.querySelector('#pos');
  if (scan) scan.hidden = button.dataset.kind !== 'barcode';
  if (pos) pos.hidden = button.dataset.kind !== 'pos';
  if (button.dataset.kind === 'barcode') panel.querySelector('#authCode').focus();
  else button.focus();
}

async function pay(channel, extra) {
  if (busy) return;
  busy = true;
  say('');
  const waiting = document.getElementById('busy');
  if (waiting) waiting.hidden = false;
  const result = await postJson(base + '/pay', Object.assign({ channel }, extra || {}));
  busy = false;
  if (waiting) waiting.hidden = true;
  controls.showResult(result);
}

function payWith(button) {
  if (!button) return;
  const kind = button.dataset.kind;
  if (kind === 'barcode') {
    const code = panel.querySelector('#authCode').value.trim();
    if (!/^\d{10,32}$/.test(code)) {
      say('请扫描或输入患者的付款码');
      panel.querySelector('#authCode').focus();
      return;
    }
    pay(button.dataset.channel, { authCode: code });
    return;
  }
  if (kind === 'pos') {
    const posNo = panel.querySelector('#posNo');
    pay(button.dataset.channel, { PosNo: posNo ? posNo.value : '' });
    return;
  }
  pay(button.dataset.channel);
}

panel.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-channel]');
  if (button) {
    pick(button);
    return;
  }
  if (event.target.closest('#pay')) payWith(selected());
});

panel.addEventListener('submit', (event) => {
  event.preventDefault();
  payWith(selected());
});

document.addEventListener('keydown', (event) => {
  if (controls.cancelKey(event)) return;
  if (event.key === 'Escape') {
    event.preventDefault();
    controls.askCancel();
    return;
  }
  if (document.body.dataset.state !== 'choose') return;
  const now = Date.now();
  if (/^[0-9]$/.test(event.key) && !isTyping(event.target)) {
    event.preventDefault();
    burst = now - lastDigitAt < SCANNER_GAP_MS ? burst + event.key : event.key;
    lastDigitAt = now;
    clearTimeout(pickTimer);
    pickTimer = setTimeout(() => {
      if (burst.length === 1) pick(choices()[Number(burst) - 1]);
    }, PICK_DELAY_MS);
    return;
  }
  if (event.key === 'Enter' && burst.length >= 10 && now - lastDigitAt < SCANNER_GAP_MS * 5) {
    // A scanner's burst: pay with the barcode choice, whichever channel was selected.
    event.preventDefault();
    const code = burst;
    burst = '';
    const bar = choices().find((b) => b.dataset.kind === 'barcode');
    if (!bar) {
      say('本单不能用付款码收款');
      return;
    }
    pick(bar);
    panel.querySelector('#authCode').value = code;
    payWith(bar);
    return;
  }
  if (event.key === 'Enter' && !isTyping(event.target)) {
    const chosen = selected();
    if (chosen) {
      event.preventDefault();
      payWith(chosen);
    }
  }
});
