import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { SpecError } from '../../protocol/codes.js';
import { compiledOnce } from '../store/compiled.js';
import type { Schema } from '../store/index.js';
import { depositLedgerAccount } from './accounts.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/**
 * Ledger accounts, by name:
 * - `deposit:<accountNo>` a patient's deposit (what the hospital owes the patient);
 * - `clearing:<CHANNEL>:<terminal>` money held by a channel: cash drawer, POS, wallet;
 * - `refunding:<refundTraceNo>` money on its way back to the patient.
 * A transfer moves `amount` from its debit account to its credit account, so
 * the journal sums to zero by construction. Balance = credits − debits.
 */
export function clearingAccount(channel: string, terminal: string): string {
  return `clearing:${channel}:${terminal}`;
}

export function refundingAccount(refundTraceNo: string): string {
  return `refunding:${refundTraceNo}`;
}

export interface TransferInput {
  readonly traceNo: string;
  readonly appid: string;
  readonly debit: string;
  readonly credit: string;
  readonly amountFen: number;
  readonly memo: string;
  readonly now: number;
}

/** The journal's two rules for any entry, wherever it is written: a positive amount, two distinct accounts. */
export function checkedTransfer(t: TransferInput): TransferInput {
  if (!Number.isSafeInteger(t.amountFen) || t.amountFen <= 0)
    throw new Error(`bad transfer amount ${t.amountFen}`);
  if (t.debit === t.credit) throw new Error('transfer to the same account');
  return t;
}

export async function transfer(db: Db, t: TransferInput): Promise<void> {
  await insertTransfer(db, checkedTransfer(t));
}

const insertTransfer = compiledOnce(
  ['traceNo', 'appid', 'debit', 'credit', 'amountFen', 'memo', 'now'],
  (db, slot) =>
    db.insertInto('transfers').values({
      trace_no: slot.traceNo,
      appid: slot.appid,
      debit: slot.debit,
      credit: slot.credit,
      amount_fen: slot.amountFen,
      memo: slot.memo,
      created_at: slot.now,
    }),
);

const moveBalance = compiledOnce(['accountNo', 'delta', 'now'], (db, slot) =>
  db
    .updateTable('accounts')
    .set({ balance_fen: sql`balance_fen + ${slot.delta}`, updated_at: slot.now })
    .where('account_no', '=', slot.accountNo)
    .where(sql<boolean>`balance_fen + ${slot.delta} >= 0`)
    .returning('balance_fen'),
);

/**
 * Moves a patient's cached balance with the journal, in the same transaction.
 * The guard `balance + delta >= 0` makes an overdraft impossible even under
 * concurrent refunds, on both engines; SpecError 034001 when it would be.
 */
export async function moveDepositBalance(
  db: Db,
  accountNo: string,
  deltaFen: number,
  now: number,
): Promise<number> {
  const row = (await moveBalance(db, { accountNo, delta: deltaFen, now })).rows[0];
  if (!row) throw new SpecError('034001', '预交金账户余额不足');
  return row.balance_fen;
}

/** Credits − debits of a ledger account, from the journal alone. */
async function journalBalance(db: Db, account: string): Promise<number> {
  const row = await db
    .selectFrom('transfers')
    .select([
      sql<number>`coalesce(sum(case when credit = ${account} then amount_fen else 0 end), 0)`.as('credits'),
      sql<number>`coalesce(sum(case when debit = ${account} then amount_fen else 0 end), 0)`.as('debits'),
    ])
    .where((eb) => eb.or([eb('credit', '=', account), eb('debit', '=', account)]))
    .executeTakeFirstOrThrow();
  return Number(row.credits) - Number(row.debits);
}

/**
 * The ledger's invariants, as a list of violations (empty when all hold):
 * every cached deposit balance equals the journal's, none is negative, no
 * refund is left "in flight" for a finished refund.
 */
export async function ledgerViolations(db: Db): Promise<string[]> {
  const problems: string[] = [];
  const accounts = await db.selectFrom('accounts').select(['account_no', 'balance_fen']).execute();
  for (const a of accounts) {
    const derived = await journalBalance(db, depositLedgerAccount(a.account_no));
    if (derived !== Number(a.balance_fen)) {
      problems.push(`account ${a.account_no}: cached ${a.balance_fen} != journal ${derived}`);
    }
    if (derived < 0) problems.push(`account ${a.account_no} below zero: ${derived}`);
  }
  const refunding = await db
    .selectFrom('transfers')
    .select(['credit as account', sql<number>`sum(amount_fen)`.as('total')])
    .where('credit', 'like', 'refunding:%')
    .groupBy('credit')
    .execute();
  for (const r of refunding) {
    const left = await journalBalance(db, r.account);
    const traceNo = r.account.slice('refunding:'.length);
    const order = await db
      .selectFrom('orders')
      .select('state')
      .where('trace_no', '=', traceNo)
      .executeTakeFirst();
    if (left !== 0 && order && (order.state === 'succ' || order.state === 'fail')) {
      problems.push(`refund ${traceNo} is ${order.state} but ${left} fen is still in flight`);
    }
  }
  const dupes = await db
    .selectFrom('orders')
    .select(['appid', 'kind', 'out_no', sql<number>`count(*)`.as('n')])
    .groupBy(['appid', 'kind', 'out_no'])
    .having(sql`count(*)`, '>', 1)
    .execute();
  for (const d of dupes) problems.push(`order number ${d.appid}/${d.kind}/${d.out_no} used ${d.n} times`);
  return problems;
}
