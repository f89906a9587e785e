import { formatFen } from '../../protocol/money.js';
import { ASSET_PREFIX, esc } from '../shared/html.js';
import { LANDING_STYLE } from './one-qr.js';

/** What the landing page shows of the order. */
export interface LandingOrder {
  readonly hospital: string;
  readonly amountFen: number;
}

/** What the wallet's payment sheet is opened with: Alipay's trade number, or WeChat's signed JSAPI package. */
export type WalletSheet =
  | { readonly wallet: 'alipay'; readonly tradeNO: string }
  | {
      readonly wallet: 'wechat';
      readonly params: Readonly<Record<string, string>>;
    };

const PAY_STYLE = `.pay{background:#1668dc}.pay.wechat{background:#067a3e}#status{min-height:20px}`;

function frame(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${esc(title)}</title><style>${LANDING_STYLE}${PAY_STYLE}</style>${script}</head>
<body>${body}</body></html>`;
}

function orderLines(order: LandingOrder): string {
  return `<p class="muted">${esc(order.hospital)}</p><p class="amount">¥ ${formatFen(order.amountFen)}</p>`;
}

/**
 * The last page, inside the wallet: its payment sheet opens by itself
 * (browser/wallet-pay.js calls AlipayJSBridge tradePay or WeixinJSBridge
 * getBrandWCPayRequest with what the data attribute holds), and the button
 * opens it again after the patient dismissed it.
 */
export function walletPayPage(order: LandingOrder, sheet: WalletSheet): string {
  const data = sheet.wallet === 'alipay' ? { tradeNO: sheet.tradeNO } : sheet.params;
  const name = sheet.wallet === 'alipay' ? '支付宝' : '微信';
  return frame(
    `${name}支付`,
    `<main data-wallet="${sheet.wallet}" data-pay="${esc(JSON.stringify(data))}"><div class="card">
<h1>${esc(name)}支付</h1>${orderLines(order)}
<p id="status" class="muted" role="status">正在打开${esc(name)}支付…</p>
<button id="pay" class="pay ${sheet.wallet}" type="button">确认支付</button>
</div></main>`,
    `<script type="module" src="${ASSET_PREFIX}/wallet-pay.js"></script>`,
  );
}

/** Any browser but Alipay's and WeChat's: the code must be scanned with a wallet. */
export function openWithWalletPage(order: LandingOrder): string {
  return frame(
    '请用支付宝、微信或云闪付扫码',
    `<main><div class="card">
<h1>请用支付宝、微信或云闪付扫码</h1>${orderLines(order)}
<p class="wallets"><span>支付宝</span><span>微信</span><span>云闪付</span></p>
<p class="muted">请打开以上任一 App 的“扫一扫”，扫描收费处的二维码完成支付。</p>
</div></main>`,
  );
}

/** The order cannot be paid here (unknown, paid, closed, taken by another wallet…), and why. */
export function landingProblemPage(title: string, message: string): string {
  return frame(
    title,
    `<main><div class="card"><h1>${esc(title)}</h1><p class="muted">${esc(message)}</p></div></main>`,
  );
}
