import { sql } from 'kysely';
import { ACCOUNT_COLUMNS, type AccountKey } from '../ledger/accounts.js';
import { compiledOnce } from '../store/compiled.js';
import type { Store } from '../store/index.js';
import { tablePart } from '../store/joined-row.js';
import { ORDER_COLUMNS } from './orders.js';
import { pgBatchedReads, type RechargeRead } from './pg-batched-reads.js';

type Row = Record<string, unknown>;

/**
 * A recharge's two reads, its merchant number and the patient's account, as
 * ONE statement: a row of nothing, left-joined to each by its unique key.
 * On PostgreSQL a statement is a wake-up of a server process, more than the
 * work in it; on SQLite one statement fewer is ~5 µs of Kysely.
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

/**
 * The order already holding this merchant number, and the patient's account.
 * On PostgreSQL with the recharges of the same turn, in one statement
 * (pg-batched-reads.ts).
 */
export async function findRechargeAndAccount(
  store: Store,
  outNo: string,
  key: AccountKey,
): Promise<RechargeRead> {
  if (store.dialect === 'postgres') return pgBatchedReads(store).recharge.submit({ ...key, outNo });
  const row = (await byNumberAndCard(store.db, { ...key, outNo })).rows[0] as Row | undefined;
  if (!row) throw new Error('the row of nothing is always there');
  return {
    existing: tablePart(row, 'o_', ORDER_COLUMNS, 'trace_no'),
    account: tablePart(row, 'a_', ACCOUNT_COLUMNS, 'account_no'),
  };
}
