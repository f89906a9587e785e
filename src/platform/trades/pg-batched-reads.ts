import { sql } from 'kysely';
import type { OrderKind, OrderTable, Store } from '../store/index.js';
import { tablePart } from '../store/joined-row.js';
import { TurnBatch } from '../store/turn-batch.js';
import { ORDER_COLUMNS } from './orders.js';

/**
 * PostgreSQL: a query's order, by merchant number or by trace number,
 * gathered per turn of the event loop into one statement (store/turn-batch.ts).
 * Each statement joins an `unnest` of the keys,
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

/**
 * Each key's order, or undefined: `keys` holds one array of text values per
 * column of a unique key of orders, all of the same length.
 */
async function ordersByKey(
  store: Store,
  keys: Readonly<Record<string, readonly string[]>>,
): Promise<(OrderTable | undefined)[]> {
  const columns = Object.keys(keys);
  const count = keys[columns[0] as string]?.length ?? 0;
  const statement = sql<Row>`select k.i as k_i, ${prefixed('o', ORDER_COLUMNS)}
    from unnest(${sql.join(columns.map((c) => sql`${keys[c]}::text[]`))})
      with ordinality as k(${sql.join(columns.map((c) => sql.ref(c)))}, i)
    left join lateral (select ${ORDER_LIST} from orders
      where ${sql.join(
        columns.map((c) => sql`${sql.ref(`orders.${c}`)} = ${sql.ref(`k.${c}`)}`),
        sql` and `,
      )}) o on true`;
  const rows = (await statement.execute(store.db)).rows;
  const ordered = new Array<Row>(count);
  for (const row of rows) ordered[Number(row['k_i']) - 1] = row;
  if (rows.length !== count || ordered.some((r) => r === undefined)) {
    throw new Error(`batched read: ${count} keys, ${rows.length} rows`);
  }
  return ordered.map((row) => tablePart<OrderTable>(row, 'o_', ORDER_COLUMNS, 'trace_no'));
}

interface ByNumber {
  readonly appid: string;
  readonly kind: OrderKind;
  readonly outNo: string;
}

interface ByTrace {
  readonly appid: string;
  readonly traceNo: string;
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
      byNumber: new TurnBatch((keys) =>
        ordersByKey(store, {
          appid: keys.map((k) => k.appid),
          kind: keys.map((k) => k.kind),
          out_no: keys.map((k) => k.outNo),
        }),
      ),
      byTrace: new TurnBatch((keys) =>
        ordersByKey(store, { trace_no: keys.map((k) => k.traceNo), appid: keys.map((k) => k.appid) }),
      ),
    };
    batchesByStore.set(store, batches);
  }
  return batches;
}
