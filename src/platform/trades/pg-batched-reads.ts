import { type RawBuilder, sql } from 'kysely';
import { ACCOUNT_COLUMNS, type AccountKey } from '../ledger/accounts.js';
import type { AccountTable, OrderKind, OrderTable, Store } from '../store/index.js';
import { TurnBatch } from '../store/turn-batch.js';
import { ORDER_COLUMNS } from './orders.js';

/**
 * PostgreSQL: the reads of the hottest paths (a query's order, a recharge's
 * order and account), gathered per turn of the event loop into one statement
 * each (store/turn-batch.ts). Each statement joins an `unnest` of the keys,
 * numbered by `with ordinality`, to the tables by their unique keys: exactly
 * one row per key, matched or not, so every caller gets its own answer.
 * Columns are named, never `*` (store/pg-named.ts), and prefixed per table.
 */

type Row = Record<string, unknown>;

/** One table's columns out of a joined row; undefined when its primary key is null (no match). */
export function tablePart<T>(
  row: Row,
  prefix: string,
  columns: readonly string[],
  key: string,
): T | undefined {
  if (row[`${prefix}${key}`] == null) return undefined;
  return Object.fromEntries(columns.map((c) => [c, row[`${prefix}${c}`]])) as T;
}

const prefixed = (alias: string, columns: readonly string[]) =>
  sql.join(columns.map((c) => sql`${sql.ref(`${alias}.${c}`)} as ${sql.ref(`${alias}_${c}`)}`));

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
    left join orders o on o.appid = k.appid and o.kind = k.kind and o.out_no = k.out_no`;
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
    left join orders o on o.trace_no = k.trace_no and o.appid = k.appid`;
  return inKeyOrder(store, statement, keys.length).then((rows) =>
    rows.map((row) => tablePart<OrderTable>(row, 'o_', ORDER_COLUMNS, 'trace_no')),
  );
}

export interface RechargeRead {
  readonly existing: OrderTable | undefined;
  readonly account: AccountTable | undefined;
}

interface RechargeKey {
  readonly outNo: string;
  readonly account: AccountKey;
}

function rechargeReads(store: Store, keys: readonly RechargeKey[]): Promise<RechargeRead[]> {
  const column = (pick: (k: RechargeKey) => string) => sql`${keys.map(pick)}::text[]`;
  const statement = sql<Row>`select k.i as k_i, ${prefixed('o', ORDER_COLUMNS)}, ${prefixed('a', ACCOUNT_COLUMNS)}
    from unnest(${column((k) => k.account.appid)}, ${column((k) => k.outNo)}, ${column((k) => k.account.cardType)},
        ${column((k) => k.account.cardNo)}, ${column((k) => k.account.accountType)})
      with ordinality as k(appid, out_no, card_type, card_no, account_type, i)
    left join orders o on o.appid = k.appid and o.kind = 'recharge' and o.out_no = k.out_no
    left join accounts a on a.appid = k.appid and a.card_type = k.card_type and a.card_no = k.card_no
      and a.account_type = k.account_type`;
  return inKeyOrder(store, statement, keys.length).then((rows) =>
    rows.map((row) => ({
      existing: tablePart<OrderTable>(row, 'o_', ORDER_COLUMNS, 'trace_no'),
      account: tablePart<AccountTable>(row, 'a_', ACCOUNT_COLUMNS, 'account_no'),
    })),
  );
}

interface Batches {
  readonly byNumber: TurnBatch<ByNumber, OrderTable | undefined>;
  readonly byTrace: TurnBatch<ByTrace, OrderTable | undefined>;
  readonly recharge: TurnBatch<RechargeKey, RechargeRead>;
}

const batchesByStore = new WeakMap<Store, Batches>();

/** The batched reads of a PostgreSQL store: one set per store, so every request of a turn shares them. */
export function pgBatchedReads(store: Store): Batches {
  let batches = batchesByStore.get(store);
  if (!batches) {
    batches = {
      byNumber: new TurnBatch((keys) => ordersByNumber(store, keys)),
      byTrace: new TurnBatch((keys) => ordersByTrace(store, keys)),
      recharge: new TurnBatch((keys) => rechargeReads(store, keys)),
    };
    batchesByStore.set(store, batches);
  }
  return batches;
}
