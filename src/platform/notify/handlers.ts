import type { CallContext, Handler } from '../gateway/context.js';
import type { PushTransType } from './kinds.js';
import { acceptPush } from './messages.js';

/** Every push is accepted the same way: the fields it stores are read by name across the seven tables. */
const push = (name: PushTransType) => (ctx: CallContext, param: Readonly<Record<string, unknown>>) =>
  acceptPush(ctx, name, param);

/** One handler per push transType; the catalog's validator has checked the fields and cross-field rules. */
export const PUSH_HANDLERS: { readonly [T in PushTransType]: Handler<T> } = {
  'hop.inpatient.msg.overpay': push('hop.inpatient.msg.overpay'),
  'hop.inpatient.msg.bill': push('hop.inpatient.msg.bill'),
  'hop.inpatient.msg.outDepart': push('hop.inpatient.msg.outDepart'),
  'hop.inpatient.msg.outHosp': push('hop.inpatient.msg.outHosp'),
  'hop.inpatient.msg.common': push('hop.inpatient.msg.common'),
  'hop.mmpay.msg.push': push('hop.mmpay.msg.push'),
  'hop.mmpay.push.drug': push('hop.mmpay.push.drug'),
};
