import { CHANNEL, type Channel } from '../../protocol/dictionaries.js';
import { recognizeWallet, type Wallet } from './barcode.js';

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
export type BarcodeScenario = 'instant' | 'declined' | 'password' | 'stuck' | 'lost';

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

export const ALL_CHANNELS = Object.keys(CHANNEL) as Channel[];

export type ChannelKind = 'instant' | 'qr' | 'barcode';

const BARCODES: Partial<Record<Channel, Wallet | 'ANY'>> = {
  ALI_BAR: 'ALI',
  WX_BAR: 'WX',
  UP_BAR: 'UP',
  ONE_BAR: 'ANY',
};

/**
 * Who may pay a QR-like channel. The bank aggregators (建行龙卡, 工行, 建行)
 * take every wallet, as their real QR codes do.
 */
const QR_WALLETS: Partial<Record<Channel, readonly SandboxWallet[]>> = {
  ONE_QR: SANDBOX_WALLETS,
  ALI_QR: ['alipay'],
  ALI_APP: ['alipay'],
  ALI_WEB: ['alipay'],
  ALI_WAP: ['alipay'],
  ALI_PUB: ['alipay'],
  ALI_FACE: ['alipay'],
  WX_QR: ['wechat'],
  WX_PUB: ['wechat'],
  UP_QR: ['unionpay'],
  JHLK_QR: SANDBOX_WALLETS,
  ICBC_QR: SANDBOX_WALLETS,
  CCB_QR: SANDBOX_WALLETS,
};

export function isChannel(code: string): code is Channel {
  return Object.hasOwn(CHANNEL, code);
}

export function kindOf(channel: Channel): ChannelKind {
  if (channel in BARCODES) return 'barcode';
  if (channel in QR_WALLETS) return 'qr';
  return 'instant';
}

export function walletsFor(channel: string): readonly SandboxWallet[] {
  return isChannel(channel) ? (QR_WALLETS[channel] ?? []) : [];
}

/** ONE_QR resolves to the wallet's own QR channel; the others are paid as themselves. */
export function qrPaidChannel(channel: string, wallet: SandboxWallet): string {
  if (channel !== 'ONE_QR') return channel;
  return wallet === 'alipay' ? 'ALI_QR' : wallet === 'wechat' ? 'WX_QR' : 'UP_QR';
}

const WALLET_NAME: Record<Wallet, string> = { WX: '微信', ALI: '支付宝', UP: '云闪付' };

/** The barcode channel that takes this code, or why it cannot. */
export function barcodePaidChannel(
  channel: Channel,
  authCode: string,
): { paidChannel: string } | { refusal: string } {
  const wallet = recognizeWallet(authCode);
  if (wallet === null) return { refusal: '无法识别的付款码' };
  const expected = BARCODES[channel];
  if (expected !== 'ANY' && expected !== wallet) {
    return { refusal: `${CHANNEL[channel]}不接受${WALLET_NAME[wallet]}付款码` };
  }
  return { paidChannel: `${wallet}_BAR` };
}
