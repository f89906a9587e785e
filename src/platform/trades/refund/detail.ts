import type { OrderTable } from '../../store/index.js';
import type { HolderName } from '../holders/holder.js';
import { orderDetail, type StoredDetail } from '../orders.js';

/** What a refund order (hop.trade.refund) keeps: whose money it takes and how the holder takes part. */
interface RefundDetail extends StoredDetail {
  readonly param?: Record<string, unknown>;
  /** Who held the money when the refund began (holders/); absent on the oldest rows: the ledger. */
  readonly holder?: HolderName;
  /** direct, prepareAndConfirm, hisDecide or '' (an external HIS's part). */
  readonly refundType?: string;
  readonly payTraceNo?: string;
  readonly withdrawMode?: string;
  /** The HIS's receipt of its refund step: present once the HIS answered it. */
  hisCallsn?: string;
  /** The channel paid out; the HIS's confirmation is still to be had again. */
  confirmPending?: boolean;
  needsQuery?: boolean;
  /** withdrawMode 2: the money waits in flight until finance confirms the bank transfer (console queue). */
  awaitingTransfer?: boolean;
  /** Finance confirmed the transfer, with its reference: the refund is finished as paid out by that route. */
  transferConfirmed?: { readonly reference: string; readonly by: string };
}

/** A reversal of an exam bill (hop.trade.pay.cancel): a refund of its self-paid part, plus the insurance part. */
export interface CancelDetail extends RefundDetail {
  readonly medCancelSn?: string;
  readonly sftzcx?: string;
  /** The whole amount reversed, insurance included; the order's amount is the self-paid part only. */
  readonly cancelFen?: number;
  readonly insuranceFen?: number;
}

/** A refund's detail (refund desk rows, once claimed, are refunds too). */
export function refundDetail(row: Pick<OrderTable, 'detail'>): RefundDetail {
  return orderDetail(row) as RefundDetail;
}

/** A pay.cancel's detail; refunds and cancels finish alike, so finishing reads this for both. */
export function cancelDetail(row: Pick<OrderTable, 'detail'>): CancelDetail {
  return orderDetail(row) as CancelDetail;
}
