import { sql } from 'kysely';
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

/** An account's page shows this many of its newest journal entries. */
const JOURNAL_ROWS = 200;

export interface AccountView {
  readonly account: AccountTable;
  /** The newest JOURNAL_ROWS entries touching the deposit, oldest first, with the balance after each. */
  readonly journal: {
    trace_no: string;
    memo: string;
    created_at: number;
    delta_fen: number;
    balance_fen: number;
  }[];
  /** Entries older than those shown. */
  readonly olderEntries: number;
  /** The balance the whole journal gives (credits − debits), which the cached balance must equal. */
  readonly journalBalanceFen: number;
  readonly audit: {
    at: number;
    actor: string;
    action: string;
    before: string | null;
    after: string | null;
  }[];
}

/** One account: its cached balance, its journal (from which the balance is derived) and what people did to it. */
export async function accountView(
  db: ConsoleDb,
  accountNo: string,
  rows = JOURNAL_ROWS,
): Promise<AccountView | undefined> {
  const account = await db
    .selectFrom('accounts')
    .selectAll()
    .where('account_no', '=', accountNo)
    .executeTakeFirst();
  if (!account) return undefined;
  const ledger = depositLedgerAccount(accountNo);
  const touching = db
    .selectFrom('transfers')
    .where((eb) => eb.or([eb('debit', '=', ledger), eb('credit', '=', ledger)]));
  const totals = await touching
    .select([
      sql<number>`coalesce(sum(case when credit = ${ledger} then amount_fen else -amount_fen end), 0)`.as(
        'balance',
      ),
      sql<number>`count(*)`.as('n'),
    ])
    .executeTakeFirstOrThrow();
  const newest = await touching
    .select(['trace_no', 'debit', 'credit', 'amount_fen', 'memo', 'created_at'])
    .orderBy('id', 'desc')
    .limit(rows)
    .execute();
  // Walked back from the journal's own total, so the running balance is right without reading every older row.
  let after = Number(totals.balance);
  const journal = newest.map((r) => {
    const delta = r.credit === ledger ? Number(r.amount_fen) : -Number(r.amount_fen);
    const row = {
      trace_no: r.trace_no,
      memo: r.memo,
      created_at: r.created_at,
      delta_fen: delta,
      balance_fen: after,
    };
    after -= delta;
    return row;
  });
  const audit = await db
    .selectFrom('console_audit')
    .select(['at', 'actor', 'action', 'before', 'after'])
    .where('target', '=', `account:${accountNo}`)
    .orderBy('id')
    .execute();
  return {
    account,
    journal: journal.reverse(),
    olderEntries: Number(totals.n) - newest.length,
    journalBalanceFen: Number(totals.balance),
    audit,
  };
}
