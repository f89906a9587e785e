import type { WalletPayOutcome, WalletView } from '../../platform/channels/sandbox/index.js';
import { REFUSAL_MESSAGE, type SandboxWallet, WALLET_LABEL } from '../../platform/channels/sandbox/index.js';
import { formatFen } from '../../protocol/money.js';
import { beijingDisplay } from '../../protocol/time.js';
import { esc, SANDBOX_BANNER, SANDBOX_BANNER_CSS } from '../shared/html.js';

// Inline and tiny: a phone on the hospital's Wi-Fi may have no way to a CDN.
const STYLE = `
body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;background:#f2f3f5;color:#222}
main{max-width:420px;margin:0 auto;padding:24px 16px}
.card{background:#fff;border-radius:12px;padding:24px;text-align:center}
.hospital{color:#666;font-size:15px}.subject{margin:8px 0 0;font-size:16px}
.amount{font-size:40px;font-weight:600;margin:16px 0}.amount small{font-size:20px}
.meta{color:#999;font-size:13px}.note{margin-top:16px;padding:12px;border-radius:8px;background:#fff4e5;color:#a15c00}
form{margin:12px 0 0}button{width:100%;padding:14px;border:0;border-radius:8px;font-size:17px;color:#fff;cursor:pointer}
.alipay{background:#1677ff}.wechat{background:#07c160}.unionpay{background:#d7000f}.fail{background:#fff;color:#d7000f;border:1px solid #d7000f}
.ok{color:#07c160;font-size:22px}.bad{color:#d7000f;font-size:22px}
.sandbox{margin-top:20px;color:#999;font-size:12px;text-align:center}`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}${SANDBOX_BANNER_CSS}</style></head>
<body>${SANDBOX_BANNER}<main>${body}<p class="sandbox">沙箱钱包: 模拟患者手机付款, 不会产生真实扣款</p></main></body></html>`;
}

function payButton(token: string, wallet: SandboxWallet): string {
  return `<form method="post" action="${esc(token)}/pay"><input type="hidden" name="wallet" value="${wallet}">
<button class="${wallet}" type="submit">用${WALLET_LABEL[wallet]}支付</button></form>`;
}

/** The page a patient's phone opens from the QR code. */
export function renderWalletPage(token: string, view: WalletView): string {
  const head = `<div class="hospital">${esc(view.hospital ?? '')}</div>
<div class="subject">${esc(view.subject)}</div>
<div class="amount"><small>¥</small>${formatFen(view.amountFen)}</div>
<div class="meta">${esc(view.channelName)} · 请在 ${beijingDisplay(view.expireAt)} 前支付</div>`;
  if (view.refusal) {
    return layout(
      '无法支付',
      `<div class="card">${head}<div class="note">${REFUSAL_MESSAGE[view.refusal]}</div></div>`,
    );
  }
  const first = view.wallets[0];
  const buttons = view.wallets.map((w) => payButton(token, w)).join('\n');
  const failButton = first
    ? `<form method="post" action="${esc(token)}/pay"><input type="hidden" name="wallet" value="${first}">
<input type="hidden" name="fail" value="1"><button class="fail" type="submit">模拟支付失败</button></form>`
    : '';
  return layout('确认付款', `<div class="card">${head}</div>${buttons}\n${failButton}`);
}

/** What the patient sees after pressing a button (the no-JavaScript path). */
export function renderResultPage(outcome: WalletPayOutcome): string {
  if (!outcome.ok) {
    return layout(
      '无法支付',
      `<div class="card"><div class="bad">无法支付</div><p>${esc(outcome.message)}</p></div>`,
    );
  }
  if (outcome.state === 'fail') {
    return layout(
      '支付失败',
      `<div class="card"><div class="bad">支付失败</div><p>${esc(outcome.message)}</p></div>`,
    );
  }
  return layout(
    '支付成功',
    `<div class="card"><div class="ok">支付成功</div><div class="amount"><small>¥</small>${formatFen(outcome.amountFen)}</div>
<p class="meta">请返回收银台等待确认</p></div>`,
  );
}
