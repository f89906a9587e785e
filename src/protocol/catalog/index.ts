import { accountInfo } from './account-info.js';
import { esccardAuth } from './esccard-auth.js';
import { faceQuery } from './face-query.js';
import {
  inpatientBill,
  inpatientCommon,
  inpatientOutDepart,
  inpatientOutHosp,
  inpatientOverpay,
} from './inpatient.js';
import { mmpayMsgPush, mmpayPushDrug } from './mmpay.js';
import type { FenFieldsOf, FieldsOf } from './param-of.js';
import { payCancel } from './pay-cancel.js';
import { query } from './query.js';
import { recharge } from './recharge.js';
import { rechargeClose } from './recharge-close.js';
import { recpay } from './recpay.js';
import { refund } from './refund.js';
import { setinfo } from './setinfo.js';
import type { TransTypeSpec } from './types.js';
import { wbCancelQrCode, wbGetWristbandCode, wbQueryAccount } from './wristband.js';

export type { Field, FieldRule, TransTypeSpec } from './types.js';
export { DEFAULT_CAP_CHARS } from './types.js';

/** Every transType of the spec, in the spec's order. */
export const TRANS_TYPES = [
  'hop.trade.setinfo',
  'hop.account.info',
  'hop.trade.recharge',
  'hop.trade.recharge.close',
  'hop.trade.refund',
  'hop.trade.recpay',
  'hop.trade.query',
  'hop.face.query',
  'hop.esccard.auth.qr',
  'hop.trade.pay.cancel',
  'portal.wb.queryAccount',
  'portal.wb.getWristbandCode',
  'portal.wb.cancelQrCode',
  'hop.inpatient.msg.overpay',
  'hop.inpatient.msg.bill',
  'hop.inpatient.msg.outDepart',
  'hop.inpatient.msg.outHosp',
  'hop.inpatient.msg.common',
  'hop.mmpay.msg.push',
  'hop.mmpay.push.drug',
] as const;

export type TransTypeName = (typeof TRANS_TYPES)[number];

/** Each transType's table with its literal type, which `ParamOf` reads. */
const SPECS = {
  'hop.trade.setinfo': setinfo,
  'hop.account.info': accountInfo,
  'hop.trade.recharge': recharge,
  'hop.trade.recharge.close': rechargeClose,
  'hop.trade.refund': refund,
  'hop.trade.recpay': recpay,
  'hop.trade.query': query,
  'hop.face.query': faceQuery,
  'hop.esccard.auth.qr': esccardAuth,
  'hop.trade.pay.cancel': payCancel,
  'portal.wb.queryAccount': wbQueryAccount,
  'portal.wb.getWristbandCode': wbGetWristbandCode,
  'portal.wb.cancelQrCode': wbCancelQrCode,
  'hop.inpatient.msg.overpay': inpatientOverpay,
  'hop.inpatient.msg.bill': inpatientBill,
  'hop.inpatient.msg.outDepart': inpatientOutDepart,
  'hop.inpatient.msg.outHosp': inpatientOutHosp,
  'hop.inpatient.msg.common': inpatientCommon,
  'hop.mmpay.msg.push': mmpayMsgPush,
  'hop.mmpay.push.drug': mmpayPushDrug,
} as const satisfies Record<TransTypeName, TransTypeSpec>;

/** A Record keyed by the union, so a transType without an entry fails the build. */
export const CATALOG: Readonly<Record<TransTypeName, TransTypeSpec>> = SPECS;

/** A transType's request param as validation leaves it, computed from its table (param-of.ts). */
export type ParamOf<T extends TransTypeName> = FieldsOf<(typeof SPECS)[T]['request'], true>;

/** A transType's amount fields in fen, as validation converted them. */
export type FenOf<T extends TransTypeName> = FenFieldsOf<(typeof SPECS)[T]['request']>;

export function isTransTypeName(name: string): name is TransTypeName {
  return Object.hasOwn(CATALOG, name);
}
