import type { ParamOf } from '../../../protocol/catalog/index.js';
import type { OrderTable } from '../../store/index.js';
import { type RechargeDetail, rechargeDetail } from '../pay/detail.js';

/** An exam bill (hop.trade.recpay): a payment's detail, plus what its reversals have used of it. */
interface RecpayDetail extends RechargeDetail {
  /** The hop.trade.recpay request as validated (its personal numbers sealed, as in every stored param). */
  readonly param: ParamOf<'hop.trade.recpay'>;
  /** The whole bill, insurance included; the order's amount is the self-paid part. */
  consumeFen?: number;
  /** How much of the bill reversals (pay.cancel) have taken so far. */
  cancelledFen?: number;
}

export function recpayDetail(order: Pick<OrderTable, 'detail'>): RecpayDetail {
  return rechargeDetail(order) as RecpayDetail;
}
