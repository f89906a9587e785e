import type { DeskView } from '../desk/view.js';
import { esc } from '../shared/html.js';

function showMsgOf(view: DeskView): string {
  return view.showMsg ? `<aside class="show-msg" aria-label="医院提示">${esc(view.showMsg)}</aside>` : '';
}

function amountOf(view: DeskView): string {
  return `<p class="mid">${esc(view.subject)}</p><p class="big">¥ ${esc(view.amount)}</p>`;
}

/** The QR code on the right, what to pay and how on the left; without ShowMsg nothing else is there. */
function scanPanel(view: DeskView): string {
  const countdown =
    view.expireAt === null
      ? ''
      : `<p class="mid countdown">剩余 <span data-expire="${view.expireAt}">--:--</span></p>`;
  return `<div class="scan"><div class="left"><div class="pay">${amountOf(view)}
<p class="mid instruction">请用支付宝、微信或云闪付扫码支付</p>${countdown}</div>${showMsgOf(view)}</div>
<img src="${view.qr?.image ?? ''}" alt="付款二维码" data-qr="${esc(view.qr?.url ?? '')}"></div>`;
}

/**
 * What the patient sees: a welcome, the amount while the cashier works, the
 * QR code beside the hospital's ShowMsg, then the result.
 */
export function screenPanel(hospital: string, view: DeskView | undefined): string {
  if (!view) {
    return `<div class="center" data-screen="idle"><p class="big">${esc(hospital)}</p><p class="mid">欢迎光临</p></div>`;
  }
  switch (view.state) {
    case 'choose':
    case 'paying':
      return `<div class="center">${amountOf(view)}<p class="mid" role="status">${view.state === 'choose' ? '请稍候, 收费员正在为您办理' : '正在支付, 请稍候…'}</p></div>${showMsgOf(view)}`;
    case 'scan':
      return scanPanel(view);
    case 'success':
      return `<div class="center">${amountOf(view)}<p class="big ok" role="status">✔ 支付成功</p><p class="mid" data-paid-by>${esc(paidBy(view))}余额 ¥ ${esc(view.result?.balance ?? '')}</p></div>`;
    case 'fail':
    case 'closed':
      return `<div class="center">${amountOf(view)}<p class="big bad" role="status">✘ ${view.state === 'closed' ? '订单已取消' : '支付失败'}</p><p class="mid">${esc(view.result?.message ?? '')}</p></div>`;
  }
}

/** The wallet that really paid (a one-QR order names it only once paid), so the patient sees it. */
function paidBy(view: DeskView): string {
  const mode = view.result?.tradeMode ?? '';
  return mode === '' ? '' : `${mode} · `;
}
