import { depositLedgerAccount } from '../ledger/accounts.js';
import type { AccountTable } from '../store/index.js';
import type { ConsoleDb } from './tables.js';

/** Accounts by card number, account number or patient name (exact), at most 50. */
export async function findAccounts(db: ConsoleDb, text: string): Promise<AccountTable[]> {
  const t = text.trim();
  if (t === '') return [];
  return db
    .selectFrom('accounts')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('card_no', '=', t),
        eb('account_no', '=', t),
        eb('user_name', '=', t),
        eb('his_cust_id', '=', t),
      ]),
    )
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
}

export interface AccountView {
  readonly account: AccountTable;
  /** Every journal entry touching the deposit, oldest first, with the running balance after it. */
  readonly journal: {
    trace_no: string;
    memo: string;
    created_at: number;
    delta_fen: number;
    balance_fen: number;
  }[];
  readonly audit: {
    at: number;
    actor: string;
    action: string;
    before: string | null;
    after: string | null;
  }[];
}

/** One account: its cached balance, its journal (from which the balance is derived) and what people did to it. */
export async function accountView(db: ConsoleDb, accountNo: string): Promise<AccountView | undefined> {
  const account = await db
    .selectFrom('accounts')
    .selectAll()
    .where('account_no', '=', accountNo)
    .executeTakeFirst();
  if (!account) return undefined;
  const ledger = depositLedgerAccount(accountNo);
  const rows = await db
    .selectFrom('transfers')
    .select(['trace_no', 'debit', 'credit', 'amount_fen', 'memo', 'created_at'])
    .where((eb) => eb.or([eb('debit', '=', ledger), eb('credit', '=', ledger)]))
    .orderBy('id')
    .execute();
  let running = 0;
  const journal = rows.map((r) => {
    const delta = r.credit === ledger ? Number(r.amount_fen) : -Number(r.amount_fen);
    running += delta;
    return {
      trace_no: r.trace_no,
      memo: r.memo,
      created_at: r.created_at,
      delta_fen: delta,
      balance_fen: running,
    };
  });
  const audit = await db
    .selectFrom('console_audit')
    .select(['at', 'actor', 'action', 'before', 'after'])
    .where('target', '=', `account:${accountNo}`)
    .orderBy('id')
    .execute();
  return { account, journal, audit };
}
