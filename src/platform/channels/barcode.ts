/**
 * Which wallet issued a payment code (付款码) the desk scanned. The prefixes
 * are the ones the wallets publish: a ONE_BAR payment is routed by them, and a
 * wallet-specific barcode channel refuses another wallet's code before any
 * money is asked for.
 */
export type Wallet = 'WX' | 'ALI' | 'UP';

// WeChat: 18 digits, 10–15. Alipay: 16–24 digits, 25–30. UnionPay QuickPass: 19 digits, 62.
const WECHAT = /^1[0-5]\d{16}$/;
const ALIPAY = /^(?:2[5-9]|30)\d{14,22}$/;
const UNIONPAY = /^62\d{17}$/;

export function recognizeWallet(authCode: string): Wallet | null {
  if (WECHAT.test(authCode)) return 'WX';
  if (ALIPAY.test(authCode)) return 'ALI';
  if (UNIONPAY.test(authCode)) return 'UP';
  return null;
}
