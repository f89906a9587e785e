import { kindOf } from '../../../protocol/channels.js';

/**
 * Where refunded money goes, by the spec's withdrawMode: 0 cash from the
 * drawer, 1 back by the original channel, 2 bank transfer, 3 insurance
 * self-pay return. Only route 1 talks to a channel; the others are paid out
 * by people and recorded here.
 */
/**
 * One code per offline route, the same in the refund's answer, its query and
 * the journal; at most 16 characters, as the spec's tradeChannel (Char(16)).
 */
const OFFLINE_ROUTE: Readonly<Record<string, string>> = {
  '0': 'CASH',
  '2': 'BANK_TRANSFER',
  '3': 'INS_SELF_PAY',
};

/** The route a person pays out later: the refund waits in the manual queue until finance confirms the transfer. */
export const AWAITS_TRANSFER = 'BANK_TRANSFER';

/** A route people pay out (cash, bank transfer, insurance self-pay): no channel is ever asked to pay it. */
export function isOfflineRoute(channel: string): boolean {
  return Object.values(OFFLINE_ROUTE).includes(channel);
}

export function refundChannel(
  withdrawMode: string,
  paidChannel: string,
): { channel: string; viaChannel: boolean } {
  const offline = OFFLINE_ROUTE[withdrawMode];
  if (offline) return { channel: offline, viaChannel: false };
  // Cash taken at the desk can only go back as cash.
  return { channel: paidChannel, viaChannel: kindOf(paidChannel) !== 'cash' };
}
