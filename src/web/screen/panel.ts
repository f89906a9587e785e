import type { DeskView } from '../desk/view.js';
import { esc } from '../shared/html.js';

/**
 * What the patient sees: a welcome, the amount while the cashier works, the
 * QR code with the hospital's ShowMsg on its left, then the result.
 */
export function screenPanel(hospital: string, view: DeskView | undefined): string {
  if (!view) {
    return `<div class="center"><p class="big">${esc(hospital)}</p><p class="mid">欢迎光临</p></div>`;
  }
  const amount = `<p class="mid">${esc(view.subject)}</p><p class="big">¥ ${esc(view.amount)}</p>`;
  const showMsg = view.showMsg
    ? `<aside class="show-msg" aria-label="医院提示">${esc(view.showMsg)}</aside>`
    : '';
  switch (view.state) {
    case 'choose':
    case 'paying':
      return `${showMsg}<div class="center">${amount}<p class="mid" role="status">${view.state === 'choose' ? '请稍候, 收费员正在为您办理' : '正在支付, 请稍候…'}</p></div>`;
    case 'scan':
      return `${showMsg || '<aside class="show-msg" aria-hidden="true"></aside>'}<div class="qr">
<img src="${view.qr?.image ?? ''}" alt="付款二维码" data-qr="${esc(view.qr?.url ?? '')}">
${amount}<p class="mid">请用支付宝、微信或云闪付扫码支付</p>
${view.expireAt === null ? '' : `<p class="mid">剩余 <span data-expire="${view.expireAt}">--:--</span></p>`}</div>`;
    case 'success':
      return `<div class="center">${amount}<p class="big ok" role="status">✔ 支付成功</p><p class="mid">余额 ¥ ${esc(view.result?.balance ?? '')}</p></div>`;
    case 'fail':
    case 'closed':
      return `<div class="center">${amount}<p class="big bad" role="status">✘ ${view.state === 'closed' ? '订单已取消' : '支付失败'}</p><p class="mid">${esc(view.result?.message ?? '')}</p></div>`;
  }
}
