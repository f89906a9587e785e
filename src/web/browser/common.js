/**
 * Browser helpers shared by the cashier pages (an ES module served by the
 * platform). The server renders every panel; the browser only swaps the
 * HTML it is sent, ticks countdowns and handles keys, so the two cannot
 * drift apart.
 */
let clockOffsetMs = 0;

/** Bounds of the reconnection backoff when the server refuses or drops a stream (503 past its caps). */
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 30000;

export function follow(url, panel, onSnapshot) {
  let last = null;
  let source;
  let retryMs = RETRY_FIRST_MS;
  let done = false;
  const connect = () => {
    source = new EventSource(url);
    source.onopen = () => {
      retryMs = RETRY_FIRST_MS;
    };
    source.onerror = () => {
      // EventSource retries a dropped stream by itself, but gives up on a refusal (an HTTP error):
      // then try again later, waiting longer each time, with some jitter so screens do not come back together.
      if (done || source.readyState !== EventSource.CLOSED) return;
      const wait = retryMs * (0.75 + Math.random() / 2);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      setTimeout(connect, wait);
    };
    source.onmessage = onMessage;
  };
  const onMessage = (event) => {
    const snap = JSON.parse(event.data);
    if (typeof snap.now === 'number') clockOffsetMs = snap.now - Date.now();
    if (typeof snap.panel === 'string' && snap.panel !== last) {
      last = snap.panel;
      const hadFocus = panel.contains(document.activeElement);
      panel.innerHTML = snap.panel;
      document.body.dataset.state = snap.state || '';
      if (hadFocus || document.activeElement === document.body) focusFirst(panel);
      tick();
    }
    if (onSnapshot) onSnapshot(snap);
    if (snap.final) {
      done = true;
      source.close();
    }
  };
  connect();
  return {
    close: () => {
      done = true;
      source.close();
    },
  };
}

export function showPanel(panel, html, state) {
  panel.innerHTML = html;
  document.body.dataset.state = state || '';
  focusFirst(panel);
  tick();
}

export function focusFirst(root) {
  const target = root.querySelector('[data-autofocus]');
  if (target) target.focus();
}

export async function postJson(url, body) {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body || {}),
    });
    const data = await res.json();
    return data;
  } catch (error) {
    return { ok: false, message: '网络异常, 请稍后重试: ' + String(error?.message || error) };
  }
}

export function say(message) {
  const box = document.getElementById('message');
  if (box) box.textContent = message || '';
}

function pad(n) {
  return n < 10 ? '0' + n : String(n);
}

export function tick() {
  for (const el of document.querySelectorAll('[data-expire]')) {
    const left = Number(el.dataset.expire) - (Date.now() + clockOffsetMs);
    if (left <= 0) {
      el.textContent = '已过期';
      continue;
    }
    const s = Math.floor(left / 1000);
    el.textContent = pad(Math.floor(s / 60)) + ':' + pad(s % 60);
  }
}

setInterval(tick, 1000);

export function isTyping(target) {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLSelectElement ||
    target instanceof HTMLTextAreaElement
  );
}

/**
 * What both desks share: following the desk's state, showing an action's
 * result, and cancelling — Esc or the button asks, Enter or Esc again
 * confirms, any other key steps back. A final state hides the cancel.
 */
export function deskControls(panel, base) {
  let confirming = false;
  const box = () => document.getElementById('confirm');

  function closeConfirm() {
    confirming = false;
    const b = box();
    if (b) b.hidden = true;
  }

  function settle(snap) {
    if (!snap?.final) return;
    document.body.dataset.final = 'true';
    document.getElementById('cancel').hidden = true;
    closeConfirm();
  }

  /** The answer of a POST to the desk: its new panel, and why when it failed. */
  function showResult(result) {
    if (result.snapshot) {
      showPanel(panel, result.snapshot.panel, result.snapshot.state);
      settle(result.snapshot);
    }
    if (!result.ok) say(result.message);
  }

  function askCancel() {
    const b = box();
    if (!b || document.body.dataset.final === 'true') return;
    confirming = true;
    b.hidden = false;
    document.getElementById('confirm-yes').focus();
  }

  async function cancel() {
    closeConfirm();
    showResult(await postJson(base + '/cancel'));
  }

  follow(base + '/status', panel, settle);
  document.getElementById('cancel').addEventListener('click', askCancel);
  document.getElementById('confirm-yes').addEventListener('click', cancel);
  document.getElementById('confirm-no').addEventListener('click', closeConfirm);

  return {
    showResult,
    askCancel,
    /** Takes a key while the cancel question is open; true when it did. */
    cancelKey(event) {
      if (!confirming) return false;
      if (event.key === 'Enter' || event.key === 'Escape') {
        event.preventDefault();
        cancel();
      } else closeConfirm();
      return true;
    },
  };
}
