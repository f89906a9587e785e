import {
  CHANNEL_TRAITS,
  channelsOfKind,
  isChannel,
  recognizeWallet,
  walletChannel,
} from '../../protocol/channels.js';
import { CHANNEL } from '../../protocol/dictionaries.js';

type ChoiceKind = 'qr' | 'barcode' | 'pos' | 'cash';

export interface DeskChoice {
  /** Channel code sent to payAtDesk; 'BAR' is "a payment code", resolved when the code is read. */
  readonly code: string;
  readonly label: string;
  readonly kind: ChoiceKind;
}

/**
 * What the desk offers, in the order the number keys pick them: the app's
 * channels, or only the one depositType preset.
 */
export function deskChoices(enabled: ReadonlySet<string>, preset: string): DeskChoice[] {
  const allowed = (code: string) => enabled.has(code) && (preset === '' || preset === code);
  const list: DeskChoice[] = [];
  // Channels a cashier can take at the window (app/H5/face channels need the patient's own device).
  // One QR for every wallet makes the wallet-specific ones noise, and keeps the list within the number keys.
  const atWindow = channelsOfKind('qr').filter((code) => CHANNEL_TRAITS[code].desk !== undefined);
  const qr = allowed('ONE_QR') ? ['ONE_QR' as const] : atWindow.filter(allowed);
  for (const code of qr) list.push({ code, label: CHANNEL_TRAITS[code].desk ?? code, kind: 'qr' });
  if (channelsOfKind('barcode').some(allowed))
    list.push({ code: 'BAR', label: '付款码 (扫码枪)', kind: 'barcode' });
  for (const code of [...channelsOfKind('pos'), ...channelsOfKind('cash')]) {
    if (allowed(code))
      list.push({ code, label: CHANNEL_TRAITS[code].desk ?? code, kind: CHANNEL_TRAITS[code].kind });
  }
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
  const channel = walletChannel(wallet, 'barcode');
  if (!enabled.has(channel)) return { refusal: `本院未开通${CHANNEL[channel]}` };
  return { channel };
}

export function channelName(code: string): string {
  return isChannel(code) ? CHANNEL[code] : code;
}
