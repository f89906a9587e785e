import { sql } from 'kysely';
import { ACCOUNT_COLUMNS } from '../../ledger/accounts.js';
import { findOrder, findOrderByOutNo } from '../../trades/orders.js';
import { ORDER_COLUMNS } from '../columns.js';
import { compiledOnce } from '../compiled.js';
import type { OrderKind, OrderTable, Store } from '../index.js';
import { tablePart } from '../joined-row.js';
import { perStore } from '../per-store.js';
import { TurnBatch } from '../turn-batch.js';

/**
 * PostgreSQL: reads of many keys in one statement, for the requests of one
 * turn of the event loop (store/turn-batch.ts): a query's order, by merchant
 * number or by trace number (here), and a recharge's order and account
 * (recharge/lookup.ts). Each statement joins an `unnest` of the keys,
 * numbered by `with ordinality`, to the tables by their unique keys: exactly
 * one row per key, matched or not, so every caller gets its own answer. Each
 * table is a LATERAL subquery fenced by `limit 1` (see `lateral`), so each
 * key is its own index lookup whatever the planner guesses of a young table.
 * The outer result lists are named, never `*` (store/pg-named.ts), and
 * prefixed per table.
 */

type Row = Record<string, unknown>;

/** One table looked up per key: its columns whose values must equal the key's columns of the same name. */
interface Lookup {
  readonly alias: string;
  readonly table: 'orders' | 'accounts';
  readonly columns: readonly string[];
  readonly primaryKey: string;
  readonly matchOn: readonly string[];
}

export const ORDERS_BY_NUMBER: Lookup = {
  alias: 'o',
  table: 'orders',
  columns: ORDER_COLUMNS,
  primaryKey: 'trace_no',
  matchOn: ['appid', 'kind', 'out_no'],
};
const ORDERS_BY_TRACE: Lookup = { ...ORDERS_BY_NUMBER, matchOn: ['trace_no', 'appid'] };
export const ACCOUNTS_BY_CARD: Lookup = {
  alias: 'a',
  table: 'accounts',
  columns: ACCOUNT_COLUMNS,
  primaryKey: 'account_no',
  matchOn: ['appid', 'card_type', 'card_no', 'account_type'],
};

function lateral(lookup: Lookup) {
  const list = sql.join(lookup.columns.map((c) => sql.ref(c)));
  const match = sql.join(
    lookup.matchOn.map((c) => sql`${sql.ref(`${lookup.table}.${c}`)} = ${sql.ref(`k.${c}`)}`),
    sql` and `,
  );
  // `limit 1` (the key is unique, so it changes no answer) keeps PostgreSQL from pulling the
  // subquery up into a plain join: pulled up, the generic plan of the prepared statement
  // (store/pg-named.ts), guessing ten keys, hashed a whole table for a single key (accounts, in
  // the plan store/postgres/batched-reads.test.ts checks): a recharge's read took 2.6 ms at 20,000 orders,
  // 0.25 ms fenced (measured, docs/benchmarks.md).
  return sql`left join lateral (select ${list} from ${sql.table(lookup.table)} where ${match} limit 1) ${sql.raw(lookup.alias)} on true`;
}

const prefixed = (lookup: Lookup) =>
  sql.join(
    lookup.columns.map((c) => sql`${sql.ref(`${lookup.alias}.${c}`)} as ${sql.ref(`${lookup.alias}_${c}`)}`),
  );

export function lookUpStatement(keys: Readonly<Record<string, unknown>>, lookups: readonly Lookup[]) {
  const columns = Object.keys(keys);
  return sql<Row>`select k.i as k_i, ${sql.join(lookups.map(prefixed))}
    from unnest(${sql.join(columns.map((c) => sql`${keys[c]}::text[]`))})
      with ordinality as k(${sql.join(columns.map((c) => sql.ref(c)))}, i)
    ${sql.join(lookups.map(lateral), sql` `)}`;
}

/**
 * The statement of `lookUpStatement` for one set of key columns and lookups,
 * built and compiled by Kysely once (store/compiled.ts): its text depends on
 * the columns and tables alone, the keys are its parameters. Built anew on
 * every batch it was ~3.5 KiB of Kysely's nodes a recharge at 32 requests in
 * flight (bench/probes/pg-trade-cost.ts).
 */
const compiledLookups = new Map<string, ReturnType<typeof compileLookUp>>();

function compileLookUp(columns: readonly string[], lookups: readonly Lookup[]) {
  return compiledOnce(columns, (db, slot) => {
    const keys = Object.fromEntries(columns.map((c) => [c, slot[c]]));
    const statement = lookUpStatement(keys, lookups);
    return { compile: () => statement.compile(db) };
  });
}

function lookUpFor(columns: readonly string[], lookups: readonly Lookup[]) {
  // Lookups are the module's constants, so their aliases and keys name them exactly.
  const signature = `${columns.join(',')}|${lookups.map((l) => `${l.alias}:${l.matchOn.join(',')}`).join('|')}`;
  let compiled = compiledLookups.get(signature);
  if (!compiled) {
    compiled = compileLookUp(columns, lookups);
    compiledLookups.set(signature, compiled);
  }
  return compiled;
}

/**
 * For each key, the row of each lookup (undefined where none matched), in
 * the order of the keys: `keys` holds one array of text values per key
 * column, all of the same length.
 */
export async function lookUp(
  store: Store,
  keys: Readonly<Record<string, readonly string[]>>,
  lookups: readonly Lookup[],
): Promise<Row[]> {
  const count = Object.values(keys)[0]?.length ?? 0;
  const rows = (await lookUpFor(Object.keys(keys), lookups)(store.db, keys)).rows;
  const ordered = new Array<Row>(count);
  for (const row of rows) ordered[Number(row['k_i']) - 1] = row;
  if (rows.length !== count || ordered.some((r) => r === undefined)) {
    throw new Error(`batched read: ${count} keys, ${rows.length} rows`);
  }
  return ordered;
}

export const part = <T>(row: Row, lookup: Lookup) =>
  tablePart<T>(row, `${lookup.alias}_`, lookup.columns, lookup.primaryKey);

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

/** The batched reads of a PostgreSQL store: one set per store, so every request of a turn shares them. */
export const pgBatchedReads = perStore((store): Batches => {
  const orders = async (keys: Record<string, readonly string[]>, by: Lookup) =>
    (await lookUp(store, keys, [by])).map((row) => part<OrderTable>(row, by));
  return {
    byNumber: new TurnBatch(
      (keys) =>
        orders(
          {
            appid: keys.map((k) => k.appid),
            kind: keys.map((k) => k.kind),
            out_no: keys.map((k) => k.outNo),
          },
          ORDERS_BY_NUMBER,
        ),
      (key) => findOrderByOutNo(store.db, key.appid, key.kind, key.outNo),
    ),
    byTrace: new TurnBatch(
      (keys) =>
        orders({ trace_no: keys.map((k) => k.traceNo), appid: keys.map((k) => k.appid) }, ORDERS_BY_TRACE),
      (key) => findOrder(store.db, key.appid, key.traceNo),
    ),
  };
});
