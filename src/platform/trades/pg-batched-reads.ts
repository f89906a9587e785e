import { type RawBuilder, sql } from 'kysely';
import type { OrderKind, OrderTable, Store } from '../store/index.js';
import { tablePart } from '../store/joined-row.js';
import { TurnBatch } from '../store/turn-batch.js';
import { ORDER_COLUMNS } from './orders.js';

/**
 * PostgreSQL: a query's order, by merchant number or by trace number,
 * gathered per turn of the event loop into one statement (store/turn-batch.ts). Each statement joins an `unnest` of the keys,
 * numbered by `with ordinality`, to the tables by their unique keys: exactly
 * one row per key, matched or not, so every caller gets its own answer.
 * LATERAL makes each key its own index lookup: with plain joins the planner,
 * guessing 100 keys, may hash a whole table instead. The outer result lists are named,
 * never `*` (store/pg-named.ts), and prefixed per table.
 */

type Row = Record<string, unknown>;

const prefixed = (alias: string, columns: readonly string[]) =>
  sql.join(columns.map((c) => sql`${sql.ref(`${alias}.${c}`)} as ${sql.ref(`${alias}_${c}`)}`));

const ORDER_LIST = sql.join(ORDER_COLUMNS.map((c) => sql.ref(c)));

/** Runs a keyed statement and hands back its rows in key order. */
async function inKeyOrder(store: Store, statement: RawBuilder<Row>, count: number): Promise<Row[]> {
  const rows = (await statement.execute(store.db)).rows;
  const ordered = new Array<Row>(count);
  for (const row of rows) ordered[Number(row['k_i']) - 1] = row;
  if (rows.length !== count || ordered.some((r) => r === undefined)) {
    throw new Error(`batched read: ${count} keys, ${rows.length} rows`);
  }
  return ordered;
}

interface ByNumber {
  readonly appid: string;
  readonly kind: OrderKind;
  readonly outNo: string;
}

function ordersByNumber(store: Store, keys: readonly ByNumber[]): Promise<(OrderTable | undefined)[]> {
  const statement = sql<Row>`select k.i as k_i, ${prefixed('o', ORDER_COLUMNS)}
    from unnest(${keys.map((k) => k.appid)}::text[], ${keys.map((k) => k.kind)}::text[], ${keys.map((k) => k.outNo)}::text[])
      with ordinality as k(appid, kind, out_no, i)
    left join lateral (select ${ORDER_LIST} from orders
      where orders.appid = k.appid and orders.kind = k.kind and orders.out_no = k.out_no) o on true`;
  return inKeyOrder(store, statement, keys.length).then((rows) =>
    rows.map((row) => tablePart<OrderTable>(row, 'o_', ORDER_COLUMNS, 'trace_no')),
  );
}

interface ByTrace {
  readonly appid: string;
  readonly traceNo: string;
}

function ordersByTrace(store: Store, keys: readonly ByTrace[]): Promise<(OrderTable | undefined)[]> {
  const statement = sql<Row>`select k.i as k_i, ${prefixed('o', ORDER_COLUMNS)}
    from unnest(${keys.map((k) => k.appid)}::text[], ${keys.map((k) => k.traceNo)}::text[])
      with ordinality as k(appid, trace_no, i)
    left join lateral (select ${ORDER_LIST} from orders
      where orders.trace_no = k.trace_no and orders.appid = k.appid) o on true`;
  return inKeyOrder(store, statement, keys.length).then((rows) =>
    rows.map((row) => tablePart<OrderTable>(row, 'o_', ORDER_COLUMNS, 'trace_no')),
  );
}

interface Batches {
  readonly byNumber: TurnBatch<ByNumber, OrderTable | undefined>;
  readonly byTrace: TurnBatch<ByTrace, OrderTable | undefined>;
}

const batchesByStore = new WeakMap<Store, Batches>();

/** The batched reads of a PostgreSQL store: one set per store, so every request of a turn shares them. */
export function pgBatchedReads(store: Store): Batches {
  let batches = batchesByStore.get(store);
  if (!batches) {
    batches = {
      byNumber: new TurnBatch((keys) => ordersByNumber(store, keys)),
      byTrace: new TurnBatch((keys) => ordersByTrace(store, keys)),
    };
    batchesByStore.set(store, batches);
  }
  return batches;
}
