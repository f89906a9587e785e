import { type Kysely, sql } from 'kysely';
import { ACCOUNT_COLUMNS, type AccountKey } from '../ledger/accounts.js';
import { compiledOnce } from '../store/compiled.js';
import type { AccountTable, OrderTable, Schema } from '../store/index.js';
import { ORDER_COLUMNS } from './orders.js';

type Row = Record<string, unknown>;

/**
 * A recharge's two reads, its merchant number and the patient's account, as
 * ONE statement: a row of nothing, left-joined to each by its unique key.
 * On PostgreSQL a statement is a wake-up of a server process, and a cash
 * recharge is four of them; on SQLite one statement fewer is ~5 µs of Kysely.
 * Columns are named, never `*` (store/pg-named.ts), and prefixed per table.
 */
const byNumberAndCard = compiledOnce(['appid', 'outNo', 'cardType', 'cardNo', 'accountType'], (db, slot) =>
  db
    .selectFrom(sql<{ one: number }>`(select 1 as one)`.as('one_row'))
    .leftJoin('orders as o', (join) =>
      join.on('o.appid', '=', slot.appid).on('o.kind', '=', 'recharge').on('o.out_no', '=', slot.outNo),
    )
    .leftJoin('accounts as a', (join) =>
      join
        .on('a.appid', '=', slot.appid)
        .on('a.card_type', '=', slot.cardType)
        .on('a.card_no', '=', slot.cardNo)
        .on('a.account_type', '=', slot.accountType),
    )
    .select([
      ...ORDER_COLUMNS.map((c) => sql.ref(`o.${c}`).as(`o_${c}`)),
      ...ACCOUNT_COLUMNS.map((c) => sql.ref(`a.${c}`).as(`a_${c}`)),
    ]),
);

/** One table's columns out of the joined row; undefined when its primary key is null (no match). */
function part<T>(row: Row, prefix: string, columns: readonly string[], key: string): T | undefined {
  if (row[`${prefix}${key}`] == null) return undefined;
  return Object.fromEntries(columns.map((c) => [c, row[`${prefix}${c}`]])) as T;
}

export async function findRechargeAndAccount(
  db: Kysely<Schema>,
  outNo: string,
  key: AccountKey,
): Promise<{ existing: OrderTable | undefined; account: AccountTable | undefined }> {
  const row = (await byNumberAndCard(db, { outNo, ...key })).rows[0] as Row | undefined;
  if (!row) throw new Error('the row of nothing is always there');
  return {
    existing: part(row, 'o_', ORDER_COLUMNS, 'trace_no'),
    account: part(row, 'a_', ACCOUNT_COLUMNS, 'account_no'),
  };
}
