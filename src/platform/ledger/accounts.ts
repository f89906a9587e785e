import type { Kysely } from 'kysely';
import { compiledOnce } from '../store/compiled.js';
import type { AccountTable, Schema } from '../store/index.js';

export interface AccountKey {
  readonly appid: string;
  readonly cardType: string;
  readonly cardNo: string;
  readonly accountType: string;
}

/** Named, not `*`: a prepared statement keeps its result columns when a migration adds one (store/pg-named.ts). */
export const ACCOUNT_COLUMNS = Object.keys({
  account_no: true,
  appid: true,
  card_type: true,
  card_no: true,
  account_type: true,
  his_cust_id: true,
  user_name: true,
  id_no: true,
  id_no_hash: true,
  id_type: true,
  user_sex: true,
  mobile_phone: true,
  card_zone: true,
  profile: true,
  status: true,
  balance_fen: true,
  created_at: true,
  updated_at: true,
} satisfies Record<keyof AccountTable, true>) as (keyof AccountTable)[];

const byCard = compiledOnce(['appid', 'cardType', 'cardNo', 'accountType'], (db, slot) =>
  db
    .selectFrom('accounts')
    .select(ACCOUNT_COLUMNS)
    .where('appid', '=', slot.appid)
    .where('card_type', '=', slot.cardType)
    .where('card_no', '=', slot.cardNo)
    .where('account_type', '=', slot.accountType),
);

export async function findAccount(db: Kysely<Schema>, key: AccountKey): Promise<AccountTable | undefined> {
  return (await byCard(db, key)).rows[0];
}

/** The ledger account name of a patient's deposit account. */
export function depositLedgerAccount(accountNo: string): string {
  return `deposit:${accountNo}`;
}
