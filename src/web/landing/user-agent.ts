import type { SandboxWallet } from '../../platform/channels/sandbox/index.js';

/**
 * The wallet a phone's browser belongs to, from its User-Agent, as the
 * wallets announce themselves: Alipay "AlipayClient", WeChat "MicroMessenger"
 * (but WeChat Work says "wxwork" as well and cannot pay with WeChat Pay),
 * UnionPay QuickPass "UnionPay" or "CloudPay". null for any other browser.
 */
export function walletOfUserAgent(userAgent: string | undefined): SandboxWallet | null {
  const ua = userAgent ?? '';
  if (/AlipayClient/i.test(ua)) return 'alipay';
  if (/MicroMessenger/i.test(ua) && !/wxwork/i.test(ua)) return 'wechat';
  if (/UnionPay|CloudPay/i.test(ua)) return 'unionpay';
  return null;
}
