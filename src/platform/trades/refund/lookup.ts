import { type Kysely, sql } from 'kysely';
import { ORDER_COLUMNS } from '../../store/columns.js';
import { compiledOnce } from '../../store/compiled.js';
import type { OrderTable, Schema } from '../../store/index.js';
import { tablePart } from '../../store/joined-row.js';

type Row = Record<string, unknown>;

/** What a refund reads before it decides anything. */
interface RefundRead {
  /** The refund already holding this outRefundNo: its request is a replay or a conflict. */
  readonly existing: OrderTable | undefined;
  /** The order named by traceNo (any kind, so that a wrong one gets a clear 040008) or the recharge by outChargeNo. */
  readonly orig: OrderTable | undefined;
}

type Variant = 'byTrace' | 'byNumber';

/**
 * A refund's reads in ONE statement, as a recharge's are (recharge/lookup.ts):
 * a row of nothing, left-joined to the refund by its number and to the
 * original order. On PostgreSQL a statement is a server process woken
 * (docs/benchmarks.md). The minimum interval between refunds is not read
 * here: the refund's transaction claims it (gate.ts).
 */
const read = (variant: Variant) =>
  compiledOnce(['appid', 'outRefundNo', 'origKey'], (db, slot) =>
    db
      .selectFrom(sql<{ one: number }>`(select 1 as one)`.as('one_row'))
      .leftJoin('orders as r', (join) =>
        join.on('r.appid', '=', slot.appid).on('r.kind', '=', 'refund').on('r.out_no', '=', slot.outRefundNo),
      )
      .leftJoin('orders as o', (join) =>
        variant === 'byTrace'
          ? join.on('o.appid', '=', slot.appid).on('o.trace_no', '=', slot.origKey)
          : join
              .on('o.appid', '=', slot.appid)
              .on('o.kind', '=', 'recharge')
              .on('o.out_no', '=', slot.origKey),
      )
      .select([
        ...ORDER_COLUMNS.map((c) => sql.ref(`r.${c}`).as(`r_${c}`)),
        ...ORDER_COLUMNS.map((c) => sql.ref(`o.${c}`).as(`o_${c}`)),
      ]),
  );
const reads = { byTrace: read('byTrace'), byNumber: read('byNumber') };

/** The refund by its number, and the original by traceNo when given, else by outChargeNo. */
export async function findRefundAndOriginal(
  db: Kysely<Schema>,
  appid: string,
  outRefundNo: string,
  original: { readonly traceNo: string; readonly outChargeNo: string },
): Promise<RefundRead> {
  const variant: Variant = original.traceNo ? 'byTrace' : 'byNumber';
  const origKey = original.traceNo || original.outChargeNo;
  const row = (await reads[variant](db, { appid, outRefundNo, origKey })).rows[0] as Row | undefined;
  if (!row) throw new Error('the row of nothing is always there');
  return {
    existing: tablePart(row, 'r_', ORDER_COLUMNS, 'trace_no'),
    orig: tablePart(row, 'o_', ORDER_COLUMNS, 'trace_no'),
  };
}
