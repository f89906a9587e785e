import type { PatientInput } from '../../ledger/accounts-open.js';
import type { OrderTable } from '../../store/index.js';
import { orderDetail, type StoredDetail } from '../orders.js';

/** What a recharge order keeps beside its columns: the patient, the request and the channel's answers. */
export interface RechargeDetail extends StoredDetail {
  readonly patient: PatientInput;
  readonly subject: string;
  readonly param: Record<string, unknown>;
  channelTradeNo?: string;
  posExtra?: Record<string, string>;
  qrcode?: string;
  /** The HIS's receipt of its credit (external HIS). */
  callsn?: string;
  /** Set when the cashier desk pops for this order (deskflak 0). */
  desk?: { token: string };
}

/** A recharge's (or an exam bill's) detail: written by newPaymentOrder, which always sets patient, subject and param. */
export function rechargeDetail(order: Pick<OrderTable, 'detail'>): RechargeDetail {
  return orderDetail(order) as RechargeDetail;
}
