import type { PatientInput } from '../../ledger/accounts-open.js';
import type { OrderTable } from '../../store/index.js';
import { orderDetail } from '../orders.js';

/** What a recharge order keeps beside its columns: the patient, the request and the channel's answers. */
export interface RechargeDetail {
  readonly patient: PatientInput;
  readonly subject: string;
  readonly param: Record<string, unknown>;
  paidChannel?: string;
  channelTradeNo?: string;
  posExtra?: Record<string, string>;
  qrcode?: string;
  resultDesc?: string;
  /** Set when the cashier desk pops for this order (deskflak 0). */
  desk?: { token: string };
  history?: { at: number; event: string }[];
  [key: string]: unknown;
}

export function rechargeDetail(order: OrderTable): RechargeDetail {
  return orderDetail(order) as unknown as RechargeDetail;
}
