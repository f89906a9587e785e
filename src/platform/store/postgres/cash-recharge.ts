import { sql } from 'kysely';
import { ORDER_COLUMNS } from '../columns.js';
import { compiledOnce } from '../compiled.js';
import type { Store } from '../index.js';
import { perStore } from '../per-store.js';
import type { OrderTable } from '../schema.js';
import { TurnBatch } from '../turn-batch.js';

/**
 * PostgreSQL: the cash recharges of one turn of the event loop settled in
 * one statement (see settleStatement). The rows come built by the trade
 * (trades/recharge/cash-one-statement.ts, from the same functions as the
 * transaction path); this module only knows how to write them at once.
 */

/** PostgreSQL's unique_violation on the merchant number's constraint. */
function isNumberTaken(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'orders_out_no';
}

/** One recharge's values for the statement: its final order row and its balance move. */
type CashSettlement = OrderTable & {
  readonly balance_read_fen: number;
  readonly balance_now_fen: number;
  readonly debit: string;
  readonly credit: string;
  readonly memo: string;
};

type CashSettled = 'settled' | 'balanceMoved' | 'numberTaken';

const BIGINT_COLUMNS = new Set([
  'amount_fen',
  'refunded_fen',
  'created_at',
  'updated_at',
  'finished_at',
  'expire_at',
  'balance_read_fen',
  'balance_now_fen',
]);
const ENTRY_COLUMNS = ['trace_no', 'appid', 'debit', 'credit', 'amount_fen', 'memo', 'created_at'] as const;
const KEY_COLUMNS = [
  ...ORDER_COLUMNS,
  'balance_read_fen',
  'balance_now_fen',
  'debit',
  'credit',
  'memo',
] as const;
const ids = (columns: readonly string[], table?: string) =>
  sql.join(columns.map((c) => sql.ref(table ? `${table}.${c}` : c)));

/**
 * On PostgreSQL a cash recharge costs its round trips, not its work
 * (docs/benchmarks.md): BEGIN, journal entry, balance, order and COMMIT are
 * five. Here they are one statement, for every cash recharge of one turn of
 * the event loop (store/turn-batch.ts), from arrays; a statement is atomic:
 * - each balance is set by compare-and-set from the balance read with the
 *   account, so the balance in the answer is exactly the one stored. Each
 *   account appears at most once (the caller sees to it), so each balance
 *   moves by exactly one recharge;
 * - the journal entries and the orders are inserted from the update's
 *   result, so a recharge whose balance moved meanwhile writes nothing at all;
 * - the orders have no ON CONFLICT: a taken merchant number fails the whole
 *   statement on the unique constraint, money movements included.
 * The orders that come back are the recharges settled.
 *
 * Its text is the same for every batch (each column one array parameter), so
 * Kysely builds and compiles it once (store/compiled.ts): built anew for each
 * batch it was ~57 KiB of garbage a recharge at four in flight
 * (bench/probes/pg-trade-cost.ts). One JSON parameter for the rows instead
 * of 23 arrays was tried: the client's escaping costs the same
 * (JSON.stringify is no faster than node-postgres on kilobytes of JSON), and
 * json_to_recordset cost the server ~160 µs more a recharge.
 */
const settleStatement = compiledOnce(KEY_COLUMNS, (db, slot) => {
  const column = (c: (typeof KEY_COLUMNS)[number]) =>
    sql`${slot[c]}::${sql.raw(BIGINT_COLUMNS.has(c) ? 'bigint' : 'text')}[]`;
  const statement = sql<{ trace_no: string }>`with k as (
      select ${ids(KEY_COLUMNS)} from unnest(${sql.join(KEY_COLUMNS.map(column))}) as u(${ids(KEY_COLUMNS)})
    ), moved as (
      update accounts set balance_fen = k.balance_now_fen, updated_at = k.updated_at from k
      where accounts.account_no = k.account_no and accounts.balance_fen = k.balance_read_fen
      returning accounts.account_no
    ), entries as (
      insert into transfers (${ids(ENTRY_COLUMNS)})
      select k.trace_no, k.appid, k.debit, k.credit, k.amount_fen, k.memo, k.created_at
      from k join moved on moved.account_no = k.account_no
    )
    insert into orders (${ids(ORDER_COLUMNS)})
    select ${ids(ORDER_COLUMNS, 'k')} from k join moved on moved.account_no = k.account_no
    returning trace_no`;
  return { compile: () => statement.compile(db) };
});

/** Runs the statement for these recharges: the trace numbers of those settled. */
async function settle(store: Store, batch: readonly CashSettlement[]): Promise<{ trace_no: string }[]> {
  const arrays = {} as Record<(typeof KEY_COLUMNS)[number], unknown[]>;
  for (const c of KEY_COLUMNS) arrays[c] = batch.map((s) => s[c]);
  return (await settleStatement(store.db, arrays)).rows;
}

async function settleOne(store: Store, s: CashSettlement): Promise<CashSettled> {
  try {
    return (await settle(store, [s])).length === 1 ? 'settled' : 'balanceMoved';
  } catch (error) {
    if (isNumberTaken(error)) return 'numberTaken';
    throw error;
  }
}

async function settleMany(store: Store, batch: readonly CashSettlement[]): Promise<CashSettled[]> {
  // A second recharge to an account in the same turn would compare against the same balance:
  // it is told the balance moved, and takes the transaction path.
  const firstOfAccount = new Map<string | null, number>();
  batch.forEach((s, i) => {
    if (!firstOfAccount.has(s.account_no)) firstOfAccount.set(s.account_no, i);
  });
  const sent = (i: number, s: CashSettlement) => firstOfAccount.get(s.account_no) === i;
  let settled: Set<string>;
  try {
    const rows = await settle(
      store,
      batch.filter((s, i) => sent(i, s)),
    );
    settled = new Set(rows.map((r) => r.trace_no));
  } catch (error) {
    // One taken merchant number fails the whole statement, and nothing of it is written:
    // each recharge goes again alone, so only the one whose number is taken is told so. So
    // does a deadlock: two batches may lock the same accounts in different orders, and
    // PostgreSQL undoes one of them; alone, a recharge locks one account.
    if (!isNumberTaken(error) && (error as { code?: string }).code !== '40P01') throw error;
    return Promise.all(batch.map((s, i) => (sent(i, s) ? settleOne(store, s) : 'balanceMoved')));
  }
  return batch.map((s, i) => (sent(i, s) && settled.has(s.trace_no) ? 'settled' : 'balanceMoved'));
}

// A turn of one recharge is a batch of one statement too: the same statement, nothing to sort out.
export const settleCashInTurn = perStore(
  (store) =>
    new TurnBatch(
      (all: readonly CashSettlement[]) => settleMany(store, all),
      (one: CashSettlement) => settleOne(store, one),
    ),
);
