import type { Kysely } from 'kysely';
import type { AccountTable, Schema } from '../store/index.js';

export interface AccountKey {
  readonly appid: string;
  readonly cardType: string;
  readonly cardNo: string;
  readonly accountType: string;
}

export async function findAccount(db: Kysely<Schema>, key: AccountKey): Promise<AccountTable | undefined> {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('appid', '=', key.appid)
    .where('card_type', '=', key.cardType)
    .where('card_no', '=', key.cardNo)
    .where('account_type', '=', key.accountType)
    .executeTakeFirst();
}

/** The ledger account name of a patient's deposit account. */
export function depositLedgerAccount(accountNo: string): string {
  return `deposit:${accountNo}`;
}
