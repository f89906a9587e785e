import type { Kysely, Transaction } from 'kysely';
import type { ParamOf } from '../../../protocol/catalog/index.js';
import type { OrderTable, Schema } from '../../store/index.js';
import { orderDetail } from '../orders.js';
import { refundDetail } from './detail.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** What a refund desk's waiting row keeps: the request, the desk's token and the amount asked. */
export interface RefundDeskDetail {
  /** The hop.trade.refund request as validated when the desk opened. */
  readonly param: ParamOf<'hop.trade.refund'>;
  readonly desk: { readonly token: string };
  readonly requestedFen: number;
  history?: { at: number; event: string }[];
  [key: string]: unknown;
}

export function refundDeskDetail(row: Pick<OrderTable, 'detail'>): RefundDeskDetail {
  return orderDetail(row) as RefundDeskDetail;
}

/**
 * Takes the desk's waiting row over for the refund refundFromOrder built:
 * only from "init", so two clicks cannot refund twice. The desk token and the
 * stored 040038 answer stay, so the desk page and the waiting client keep
 * working until the refund is final.
 */
export async function claimDeskRow(db: Db, row: OrderTable): Promise<boolean> {
  const current = await db
    .selectFrom('orders')
    .select(['detail', 'state'])
    .where('trace_no', '=', row.trace_no)
    .executeTakeFirst();
  if (current?.state !== 'init') return false;
  const before = refundDeskDetail(current);
  const detail = {
    ...refundDetail(row),
    desk: before.desk,
    requestedFen: before.requestedFen,
  };
  const moved = await db
    .updateTable('orders')
    .set({
      state: row.state,
      amount_fen: row.amount_fen,
      channel: row.channel,
      account_no: row.account_no,
      orig_trace_no: row.orig_trace_no,
      detail: JSON.stringify(detail),
      created_at: row.created_at,
      updated_at: row.updated_at,
    })
    .where('trace_no', '=', row.trace_no)
    .where('state', '=', 'init')
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) === 1;
}
