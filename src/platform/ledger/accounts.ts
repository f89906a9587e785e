import type { Kysely } from 'kysely';
import { compiledOnce } from '../store/compiled.js';
import type { AccountTable, Schema } from '../store/index.js';

export interface AccountKey {
  readonly appid: string;
  readonly cardType: string;
  readonly cardNo: string;
  readonly accountType: string;
}

const byCard = compiledOnce(['appid', 'cardType', 'cardNo', 'accountType'], (db, slot) =>
  db
    .selectFrom('accounts')
    .selectAll()
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
