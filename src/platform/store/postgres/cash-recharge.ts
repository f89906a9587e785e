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
/** The record type json_to_recordset reads each recharge as: every key column with its type. */
const KEY_RECORD = sql.join(
  KEY_COLUMNS.map((c) => sql`${sql.ref(c)} ${sql.raw(BIGINT_COLUMNS.has(c) ? 'bigint' : 'text')}`),
);

/**
 * On PostgreSQL a cash recharge costs its round trips, not its work
 * (docs/benchmarks.md): BEGIN, journal entry, balance, order and COMMIT are
 * five. Here they are one statement, for every cash recharge of one turn of
 * the event loop (store/turn-batch.ts); a statement is atomic:
 * - each balance is set by compare-and-set from the balance read with the
 *   account, so the balance in the answer is exactly the one stored. Each
 *   account appears at most once (the caller sees to it), so each balance
 *   moves by exactly one recharge, and a recharge's row is found again by
 *   its account;
 * - the journal entries and the orders are inserted from the update's
 *   result, so a recharge whose balance moved meanwhile writes nothing at all;
 * - the orders have no ON CONFLICT: a taken merchant number fails the whole
 *   statement on the unique constraint, money movements included.
 * The orders that come back are the recharges settled.
 *
 * The rows to insert go as ONE parameter, a JSON array, not one array
 * parameter per column: node-postgres writes a text array by escaping every
 * element in JavaScript (the stored answer and detail are JSON full of
 * quotes), ~45 µs of CPU and its garbage a recharge in
 * bench/probes/pg-trade-cost.ts, where JSON.stringify does it natively. The
 * balance moves keep their short arrays: the planner takes an `unnest` of a
 * parameter for 10 rows and a JSON set for 100, and at 100 it would read the
 * accounts' whole index to update a few (store/plans.test.ts). The text is
 * the same for every batch, so it is built and compiled once.
 */
const settleStatement = compiledOnce(
  ['accountNo', 'balanceRead', 'balanceNow', 'updatedAt', 'rows'],
  (db, slot) => {
    const statement = sql<{ trace_no: string }>`with balances as (
      select * from unnest(${slot.accountNo}::text[], ${slot.balanceRead}::bigint[],
        ${slot.balanceNow}::bigint[], ${slot.updatedAt}::bigint[]) as b(account_no, read_fen, now_fen, updated_at)
    ), moved as (
      update accounts set balance_fen = b.now_fen, updated_at = b.updated_at from balances b
      where accounts.account_no = b.account_no and accounts.balance_fen = b.read_fen
      returning accounts.account_no
    ), k as (
      select k.* from json_to_recordset(${slot.rows}::json) as k(${KEY_RECORD})
      join moved on moved.account_no = k.account_no
    ), entries as (
      insert into transfers (${ids(ENTRY_COLUMNS)})
      select k.trace_no, k.appid, k.debit, k.credit, k.amount_fen, k.memo, k.created_at from k
    )
    insert into orders (${ids(ORDER_COLUMNS)})
    select ${ids(ORDER_COLUMNS, 'k')} from k
    returning trace_no`;
    return { compile: () => statement.compile(db) };
  },
);

/** Runs the statement for these recharges: the trace numbers of those settled. */
async function settle(store: Store, batch: readonly CashSettlement[]): Promise<{ trace_no: string }[]> {
  const result = await settleStatement(store.db, {
    accountNo: batch.map((s) => s.account_no),
    balanceRead: batch.map((s) => s.balance_read_fen),
    balanceNow: batch.map((s) => s.balance_now_fen),
    updatedAt: batch.map((s) => s.updated_at),
    // Each row's keys are its columns (the type says so); json_to_recordset ignores any other.
    rows: JSON.stringify(batch),
  });
  return result.rows;
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
