import type { ChannelState } from '../types.js';

/**
 * respCode of an acp answer (or origRespCode of a query's answer) onto the
 * adapter's states (docs/channels.md keeps the same table): 00 done; 03, 04
 * and 05 mean "processing / not known yet", never failure; 34 is "no such
 * transaction"; anything else the gateway refused.
 */
export function stateOfCode(code: string | undefined): ChannelState {
  if (code === '00' || code === 'A6') return 'success';
  if (code === '03' || code === '04' || code === '05') return 'pending';
  return 'fail';
}

export const NO_SUCH_TRANSACTION = '34';

/** The wallet code from the acp txnSubType of a consumption: 07 申码 (the patient scans), 06 被扫 (the desk scans). */
export function channelOfSubType(txnSubType: string | undefined, fallback: string): string {
  if (txnSubType === '07') return 'UP_QR';
  if (txnSubType === '06') return 'UP_BAR';
  return fallback.startsWith('UP_') ? fallback : 'UP_QR';
}
