import type { ChannelState } from '../types.js';

/**
 * respCode of an acp answer (or origRespCode of a query's answer) onto the
 * adapter's states (docs/channels.md keeps the same table): 00 (and A6, a
 * success with a defect) done; 05 processing; 03 (communication timeout) and
 * 04 (state not known) unknown — none of them failure; anything else the
 * gateway refused. 34, "no such transaction", is read by the query itself.
 */
export function stateOfCode(code: string | undefined): ChannelState {
  if (code === '00' || code === 'A6') return 'success';
  if (code === '05') return 'pending';
  if (code === '03' || code === '04') return 'unknown';
  return 'fail';
}

export const NO_SUCH_TRANSACTION = '34';

/** The wallet code from the acp txnSubType of a consumption: 07 申码 (the patient scans), 06 被扫 (the desk scans). */
export function channelOfSubType(txnSubType: string | undefined, fallback: string): string {
  if (txnSubType === '07') return 'UP_QR';
  if (txnSubType === '06') return 'UP_BAR';
  return fallback.startsWith('UP_') ? fallback : 'UP_QR';
}
