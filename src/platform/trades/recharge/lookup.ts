import { type Kysely, sql } from 'kysely';
import { ACCOUNT_COLUMNS, type AccountKey } from '../../ledger/accounts.js';
import { ORDER_COLUMNS } from '../../store/columns.js';
import { compiledOnce } from '../../store/compiled.js';
import type { AccountTable, OrderTable, Schema, Store } from '../../store/index.js';
import { tablePart } from '../../store/joined-row.js';
import { perStore } from '../../store/per-store.js';
import {
  ACCOUNTS_BY_CARD,
  lookUp,
  lookUpStatement,
  ORDERS_BY_NUMBER,
  part,
} from '../../store/postgres/batched-reads.js';
import { TurnBatch } from '../../store/turn-batch.js';

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

/** The order already holding this merchant number, and the patient's account. */
interface RechargeRead {
  readonly existing: OrderTable | undefined;
  readonly account: AccountTable | undefined;
}

interface RechargeKey extends AccountKey {
  readonly outNo: string;
}

async function readOne(db: Kysely<Schema>, key: RechargeKey): Promise<RechargeRead> {
  const row = (await byNumberAndCard(db, key)).rows[0] as Row | undefined;
  if (!row) throw new Error('the row of nothing is always there');
  return {
    existing: tablePart(row, 'o_', ORDER_COLUMNS, 'trace_no'),
    account: tablePart(row, 'a_', ACCOUNT_COLUMNS, 'account_no'),
  };
}

/** The statement of a batch of recharge reads on PostgreSQL (its plan is checked by store/postgres/batched-reads.test.ts). */
export const rechargeReadStatement = (keys: Readonly<Record<RechargeColumn, readonly string[]>>) =>
  lookUpStatement(keys, [ORDERS_BY_NUMBER, ACCOUNTS_BY_CARD]);

type RechargeColumn = 'appid' | 'kind' | 'out_no' | 'card_type' | 'card_no' | 'account_type';

async function readMany(store: Store, keys: readonly RechargeKey[]): Promise<RechargeRead[]> {
  const rows = await lookUp(
    store,
    {
      appid: keys.map((k) => k.appid),
      kind: keys.map(() => 'recharge'),
      out_no: keys.map((k) => k.outNo),
      card_type: keys.map((k) => k.cardType),
      card_no: keys.map((k) => k.cardNo),
      account_type: keys.map((k) => k.accountType),
    },
    [ORDERS_BY_NUMBER, ACCOUNTS_BY_CARD],
  );
  return rows.map((row) => ({
    existing: part<OrderTable>(row, ORDERS_BY_NUMBER),
    account: part<AccountTable>(row, ACCOUNTS_BY_CARD),
  }));
}

const pgBatch = perStore(
  (store) =>
    new TurnBatch(
      (keys: readonly RechargeKey[]) => readMany(store, keys),
      (one: RechargeKey) => readOne(store.db, one),
    ),
);

/**
 * The order already holding this merchant number, and the patient's account.
 * On PostgreSQL with the recharges of the same turn, in one statement
 * (store/postgres/batched-reads.ts).
 */
export function findRechargeAndAccount(store: Store, outNo: string, key: AccountKey): Promise<RechargeRead> {
  if (store.dialect !== 'postgres') return readOne(store.db, { ...key, outNo });
  return pgBatch(store).submit({ ...key, outNo });
}
