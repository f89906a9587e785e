import type { TransTypeName } from '../../protocol/catalog/index.js';

export type PushKind = 'overpay' | 'bill' | 'outDepart' | 'outHosp' | 'common' | 'mmpay' | 'drug';

/** The seven push transTypes of the spec (推送类接口) and the message each makes. */
export const PUSH_KINDS = {
  'hop.inpatient.msg.overpay': 'overpay',
  'hop.inpatient.msg.bill': 'bill',
  'hop.inpatient.msg.outDepart': 'outDepart',
  'hop.inpatient.msg.outHosp': 'outHosp',
  'hop.inpatient.msg.common': 'common',
  'hop.mmpay.msg.push': 'mmpay',
  'hop.mmpay.push.drug': 'drug',
} as const satisfies Partial<Record<TransTypeName, PushKind>>;

export type PushTransType = keyof typeof PUSH_KINDS;
