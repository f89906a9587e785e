import { traitsOf, type Wallet, walletChannel } from '../../../protocol/channels.js';

/**
 * How the sandbox plays each channel, in one place so the documentation,
 * the wallet page and the tests read the same table.
 *
 * Barcode outcomes follow the LAST digit of the payment code, like Stripe's
 * test card numbers, so a tester chooses the case by typing a code:
 *
 * | last digit | first answer                          | later                                   |
 * |------------|---------------------------------------|-----------------------------------------|
 * | 0–5        | success                               | —                                       |
 * | 6          | fail, 余额不足                         | —                                       |
 * | 7          | pending, 需要用户输入支付密码           | success on the 2nd query                |
 * | 8          | pending, 需要用户输入支付密码           | pending forever (the platform cancels)  |
 * | 9          | unknown (the answer was "lost")       | success on the 1st query                |
 *
 * Valid sandbox codes: WeChat 134567890123456780 (18 digits, 10–15…),
 * Alipay 2856789012345670 (16–24 digits, 25–30…), UnionPay 6212345678901234560
 * (19 digits, 62…); change the last digit to pick the outcome.
 */
type BarcodeScenario = 'instant' | 'declined' | 'password' | 'stuck' | 'lost';

export function barcodeScenario(authCode: string): BarcodeScenario {
  const last = Number(authCode.at(-1));
  if (last === 6) return 'declined';
  if (last === 7) return 'password';
  if (last === 8) return 'stuck';
  if (last === 9) return 'lost';
  return 'instant';
}

/** A password-protected barcode payment completes on this query. */
export const PASSWORD_QUERIES = 2;

/** Wallets the sandbox wallet page can play; the names a patient's phone reports. */
export const SANDBOX_WALLETS = ['alipay', 'wechat', 'unionpay'] as const;
export type SandboxWallet = (typeof SANDBOX_WALLETS)[number];

export const WALLET_LABEL: Record<SandboxWallet, string> = {
  alipay: '支付宝',
  wechat: '微信',
  unionpay: '云闪付',
};

export function isSandboxWallet(value: unknown): value is SandboxWallet {
  return typeof value === 'string' && (SANDBOX_WALLETS as readonly string[]).includes(value);
}

/** The wallet behind each sandbox wallet name. */
const WALLET_OF: Readonly<Record<SandboxWallet, Wallet>> = { alipay: 'ALI', wechat: 'WX', unionpay: 'UP' };

/** Who may pay a QR-like channel, as the sandbox wallet page names them (from the channel traits). */
export function walletsFor(channel: string): readonly SandboxWallet[] {
  const wallets = traitsOf(channel)?.wallets ?? [];
  return SANDBOX_WALLETS.filter((name) => wallets.includes(WALLET_OF[name]));
}

/** ONE_QR resolves to the wallet's own QR channel; the others are paid as themselves. */
export function qrPaidChannel(channel: string, wallet: SandboxWallet): string {
  return channel === 'ONE_QR' ? walletChannel(WALLET_OF[wallet], 'qr') : channel;
}
