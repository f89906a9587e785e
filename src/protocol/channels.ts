import { CHANNEL, type Channel } from './dictionaries.js';

/**
 * What kind of channel each code of the spec's channel dictionary is, in one
 * table: the platform, the desk, the sandbox, the patient pages and the
 * validation all ask here rather than keep their own lists.
 *
 * - `cash`: counted at the desk; the platform is its system of record.
 * - `pos`: a bank card on the desk's terminal; the operator records the slip.
 * - `qr`: the patient pays on the phone (a QR code, a wallet page or app).
 * - `barcode`: the cashier scans the patient's payment code (extra.authCode).
 */
export type ChannelKind = 'cash' | 'pos' | 'qr' | 'barcode';

/** The wallets a patient pays with: Alipay, WeChat Pay, UnionPay QuickPass (云闪付). */
export type Wallet = 'ALI' | 'WX' | 'UP';

const WALLET_NAME: Readonly<Record<Wallet, string>> = { ALI: '支付宝', WX: '微信', UP: '云闪付' };

interface ChannelTraits {
  readonly kind: ChannelKind;
  /** Who can pay it: one wallet, or every wallet for the one-QR/one-barcode and the banks' aggregated QR codes. */
  readonly wallets: readonly Wallet[];
  /** The label when the cashier desk offers it at the window; absent for channels that need the patient's own device. */
  readonly desk?: string;
  /** A patient page may pay it on the phone alone; the lower, the more preferred (one QR takes every wallet). */
  readonly phoneRank?: number;
}

const ALL: readonly Wallet[] = ['ALI', 'WX', 'UP'];

/** In the order the cashier desk offers them (the number keys pick in this order). */
export const CHANNEL_TRAITS: Readonly<Record<Channel, ChannelTraits>> = {
  ONE_QR: { kind: 'qr', wallets: ALL, desk: '扫码付 (支付宝/微信/云闪付)', phoneRank: 0 },
  ALI_QR: { kind: 'qr', wallets: ['ALI'], desk: '支付宝扫码', phoneRank: 2 },
  WX_QR: { kind: 'qr', wallets: ['WX'], desk: '微信扫码', phoneRank: 1 },
  UP_QR: { kind: 'qr', wallets: ['UP'], desk: '云闪付扫码', phoneRank: 3 },
  JHLK_QR: { kind: 'qr', wallets: ALL, desk: '建行龙卡扫码' },
  ICBC_QR: { kind: 'qr', wallets: ALL, desk: '工行扫码' },
  CCB_QR: { kind: 'qr', wallets: ALL, desk: '建行扫码' },
  ALI_APP: { kind: 'qr', wallets: ['ALI'] },
  ALI_WEB: { kind: 'qr', wallets: ['ALI'] },
  ALI_WAP: { kind: 'qr', wallets: ['ALI'] },
  ALI_PUB: { kind: 'qr', wallets: ['ALI'] },
  ALI_FACE: { kind: 'qr', wallets: ['ALI'] },
  WX_PUB: { kind: 'qr', wallets: ['WX'] },
  ONE_BAR: { kind: 'barcode', wallets: ALL },
  ALI_BAR: { kind: 'barcode', wallets: ['ALI'] },
  WX_BAR: { kind: 'barcode', wallets: ['WX'] },
  UP_BAR: { kind: 'barcode', wallets: ['UP'] },
  POS: { kind: 'pos', wallets: [], desk: '银行卡 POS' },
  CASH: { kind: 'cash', wallets: [], desk: '现金' },
};

export const ALL_CHANNELS = Object.keys(CHANNEL) as Channel[];

export function isChannel(code: string): code is Channel {
  return Object.hasOwn(CHANNEL, code);
}

/** The traits of a channel code; undefined for a code outside the spec's dictionary. */
export function traitsOf(code: string): ChannelTraits | undefined {
  return isChannel(code) ? CHANNEL_TRAITS[code] : undefined;
}

export function kindOf(code: string): ChannelKind | undefined {
  return traitsOf(code)?.kind;
}

/** Channels whose order carries the patient's payment code (extra.authCode). */
export function takesAuthCode(code: string): boolean {
  return kindOf(code) === 'barcode';
}

/** The channels of a kind, in the table's order. */
export function channelsOfKind(kind: ChannelKind): Channel[] {
  return (Object.keys(CHANNEL_TRAITS) as Channel[]).filter((code) => CHANNEL_TRAITS[code].kind === kind);
}

/** Channels a patient page can pay on the phone, most preferred first. */
export const PHONE_CHANNELS: readonly Channel[] = ALL_CHANNELS.filter(
  (code) => CHANNEL_TRAITS[code].phoneRank !== undefined,
).sort((a, b) => (CHANNEL_TRAITS[a].phoneRank ?? 0) - (CHANNEL_TRAITS[b].phoneRank ?? 0));

/** The barcode channel of one wallet (ALI → ALI_BAR), the QR channel likewise. */
export function walletChannel(wallet: Wallet, kind: 'qr' | 'barcode'): Channel {
  return `${wallet}_${kind === 'qr' ? 'QR' : 'BAR'}`;
}

// WeChat: 18 digits, 10–15. Alipay: 16–24 digits, 25–30. UnionPay QuickPass: 19 digits, 62.
const WECHAT_CODE = /^1[0-5]\d{16}$/;
const ALIPAY_CODE = /^(?:2[5-9]|30)\d{14,22}$/;
const UNIONPAY_CODE = /^62\d{17}$/;

/**
 * Which wallet issued a payment code (付款码). The prefixes are the ones the
 * wallets publish: a ONE_BAR payment is routed by them, and a wallet's own
 * barcode channel refuses another wallet's code before any money is asked for.
 */
export function recognizeWallet(authCode: string): Wallet | null {
  if (WECHAT_CODE.test(authCode)) return 'WX';
  if (ALIPAY_CODE.test(authCode)) return 'ALI';
  if (UNIONPAY_CODE.test(authCode)) return 'UP';
  return null;
}

/** The barcode channel that takes this code when `channel` was asked for, or why it cannot. */
export function barcodePaidChannel(
  channel: string,
  authCode: string,
): { paidChannel: Channel } | { refusal: string } {
  const wallet = recognizeWallet(authCode);
  if (wallet === null) return { refusal: '无法识别的付款码' };
  const traits = traitsOf(channel);
  if (traits?.kind !== 'barcode' || !traits.wallets.includes(wallet)) {
    const name = isChannel(channel) ? CHANNEL[channel] : channel;
    return { refusal: `${name}不接受${WALLET_NAME[wallet]}付款码` };
  }
  return { paidChannel: walletChannel(wallet, 'barcode') };
}
