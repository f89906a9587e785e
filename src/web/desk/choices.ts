import { recognizeWallet } from '../../platform/channels/barcode.js';
import { CHANNEL } from '../../protocol/dictionaries.js';

export type ChoiceKind = 'qr' | 'barcode' | 'pos' | 'cash';

export interface DeskChoice {
  /** Channel code sent to payAtDesk; 'BAR' is "a payment code", resolved when the code is read. */
  readonly code: string;
  readonly label: string;
  readonly kind: ChoiceKind;
}

/** Channels a cashier can take at the window; app/H5/face channels need the patient's own device. */
const QR_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['ONE_QR', '扫码付 (支付宝/微信/云闪付)'],
  ['ALI_QR', '支付宝扫码'],
  ['WX_QR', '微信扫码'],
  ['UP_QR', '云闪付扫码'],
  ['JHLK_QR', '建行龙卡扫码'],
  ['ICBC_QR', '工行扫码'],
  ['CCB_QR', '建行扫码'],
];
const BARCODES = ['ONE_BAR', 'ALI_BAR', 'WX_BAR', 'UP_BAR'];

/**
 * What the desk offers, in the order the number keys pick them: the app's
 * channels, or only the one depositType preset.
 */
export function deskChoices(enabled: ReadonlySet<string>, preset: string): DeskChoice[] {
  const allowed = (code: string) => enabled.has(code) && (preset === '' || preset === code);
  const list: DeskChoice[] = [];
  // One QR for every wallet makes the wallet-specific ones noise, and keeps the list within the number keys.
  const qr = allowed('ONE_QR') ? QR_LABELS.slice(0, 1) : QR_LABELS.filter(([code]) => allowed(code));
  for (const [code, label] of qr) list.push({ code, label, kind: 'qr' });
  if (BARCODES.some(allowed)) list.push({ code: 'BAR', label: '付款码 (扫码枪)', kind: 'barcode' });
  if (allowed('POS')) list.push({ code: 'POS', label: '银行卡 POS', kind: 'pos' });
  if (allowed('CASH')) list.push({ code: 'CASH', label: '现金', kind: 'cash' });
  return list;
}

/**
 * The barcode channel a scanned code is paid with: the preset one, else
 * ONE_BAR (the channel recognises the wallet), else the wallet's own
 * channel when the app has it.
 */
export function barcodeChannel(
  enabled: ReadonlySet<string>,
  preset: string,
  authCode: string,
): { channel: string } | { refusal: string } {
  if (preset !== '') return { channel: preset };
  if (enabled.has('ONE_BAR')) return { channel: 'ONE_BAR' };
  const wallet = recognizeWallet(authCode);
  if (wallet === null) return { refusal: '无法识别的付款码' };
  const channel = `${wallet}_BAR`;
  if (!enabled.has(channel)) return { refusal: `本院未开通${CHANNEL[channel as keyof typeof CHANNEL]}` };
  return { channel };
}

export function channelName(code: string): string {
  return Object.hasOwn(CHANNEL, code) ? CHANNEL[code as keyof typeof CHANNEL] : code;
}
