import type { WalletView } from '../../platform/channels/sandbox/index.js';
import { WALLET_LABEL } from '../../platform/channels/sandbox/index.js';
import { formatFen } from '../../protocol/money.js';
import { esc, SANDBOX_BANNER, SANDBOX_BANNER_CSS } from '../shared/html.js';
import { walletOfUserAgent } from './user-agent.js';

/** What GET on a ONE_QR code does: go on to the wallet's payment, or ask for a wallet. */
type OneQrLanding =
  | { readonly kind: 'wallet'; readonly view: WalletView }
  | { readonly kind: 'page'; readonly html: string };

/**
 * The one-QR landing (ONE_QR: one code for every wallet). A wallet's own
 * browser continues to that wallet's payment — the view is narrowed to it,
 * as a real aggregator redirects to the wallet's cashier. Any other browser
 * gets "please open with Alipay / WeChat / UnionPay"; in the sandbox the page
 * also offers to play each wallet, because testers scan with desktops.
 * Views that are not ONE_QR, or that cannot be paid any more, pass through.
 */
export function oneQrLanding(userAgent: string | undefined, token: string, view: WalletView): OneQrLanding {
  if (view.channel !== 'ONE_QR' || view.refusal) return { kind: 'wallet', view };
  const wallet = walletOfUserAgent(userAgent);
  if (wallet && view.wallets.includes(wallet))
    return { kind: 'wallet', view: { ...view, wallets: [wallet] } };
  return { kind: 'page', html: openWithWalletPage(token, view) };
}

export const LANDING_STYLE = `body{margin:0;font-family:system-ui,"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;background:#f2f3f5;color:#1d2129}
main{max-width:420px;margin:0 auto;padding:24px 16px}.card{background:#fff;border-radius:12px;padding:24px;text-align:center}
h1{font-size:20px;margin:0 0 12px}.amount{font-size:36px;font-weight:700;margin:12px 0}.muted{color:#4e5969;font-size:14px}
.wallets{display:flex;justify-content:center;gap:10px;margin:16px 0;font-weight:600}
.sandbox{margin-top:20px;border-top:1px dashed #98a2b3;padding-top:12px}
form{margin:8px 0}button{width:100%;padding:12px;border:0;border-radius:8px;font-size:16px;color:#fff;cursor:pointer}
.alipay{background:#1668dc}.wechat{background:#067a3e}.unionpay{background:#b4000c}.fail{background:#fff;color:#b42318;border:1px solid #b42318}`;

function payForm(token: string, wallet: string, label: string, fail = false): string {
  return `<form method="post" action="${esc(token)}/pay"><input type="hidden" name="wallet" value="${esc(wallet)}">${fail ? '<input type="hidden" name="fail" value="1">' : ''}<button class="${fail ? 'fail' : esc(wallet)}" type="submit">${esc(label)}</button></form>`;
}

/** No script at all: the page works in any phone browser and leaves nothing to inject into. */
function openWithWalletPage(token: string, view: WalletView): string {
  const first = view.wallets[0];
  const sandbox = view.wallets
    .map((w) => payForm(token, w, `用${WALLET_LABEL[w]}支付`))
    .concat(first ? [payForm(token, first, '模拟支付失败', true)] : [])
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>请用支付宝、微信或云闪付扫码</title><style>${LANDING_STYLE}${SANDBOX_BANNER_CSS}</style></head>
<body>${SANDBOX_BANNER}<main><div class="card">
<h1>请使用支付宝、微信或云闪付扫一扫</h1>
<p class="muted">${esc(view.hospital ?? '')} · ${esc(view.subject)}</p>
<p class="amount">¥ ${formatFen(view.amountFen)}</p>
<p class="wallets"><span>支付宝</span><span>微信</span><span>云闪付</span></p>
<p class="muted">本二维码需在以上任一 App 中打开才能支付.</p>
<div class="sandbox"><p class="muted">沙箱测试: 在普通浏览器中模拟钱包付款, 不会产生真实扣款</p>${sandbox}</div>
</div></main></body></html>`;
}
