import { sql } from 'kysely';
import type { Answer } from '../../protocol/codes.js';
import type { App } from '../apps/registry.js';
import type { Platform } from '../platform.js';
import { compiledOnce } from '../store/compiled.js';
import type { AccountTable, OrderTable } from '../store/index.js';
import { type Paid, paidRechargeAnswer, rechargeEntry } from './credit-deposit.js';
import { ORDER_COLUMNS } from './orders.js';
import type { RechargeDetail } from './settle.js';

/** What became of a one-statement cash recharge. */
export type OneStatementOutcome =
  | { readonly kind: 'settled'; readonly answer: Answer }
  /** Another trade moved this balance after it was read: nothing was written. */
  | { readonly kind: 'balanceMoved' }
  /** An identical concurrent request holds the merchant number: nothing was written. */
  | { readonly kind: 'numberTaken' };

const ENTRY_COLUMNS = ['trace_no', 'appid', 'debit', 'credit', 'amount_fen', 'memo', 'created_at'] as const;

/**
 * On PostgreSQL a cash recharge costs its round trips, not its work
 * (docs/benchmarks.md): BEGIN, journal entry, balance, order and COMMIT are
 * five. Here they are one statement, and a statement is atomic:
 * - the balance is set by compare-and-set from the balance read with the
 *   account, so the balance in the answer is exactly the one stored;
 * - the journal entry and the order are inserted from the update's result,
 *   so if another trade moved the balance meanwhile nothing at all is written;
 * - the order has no ON CONFLICT: a taken merchant number fails the whole
 *   statement on the unique constraint, money movement included.
 */
const settleStatement = compiledOnce(
  [...ORDER_COLUMNS, 'balanceReadFen', 'balanceNowFen', 'debit', 'credit', 'memo'],
  (db, slot) =>
    db
      .with('moved', (qb) =>
        qb
          .updateTable('accounts')
          .set({ balance_fen: slot.balanceNowFen, updated_at: slot.updated_at })
          .where('account_no', '=', slot.account_no)
          .where('balance_fen', '=', slot.balanceReadFen)
          .returning('account_no'),
      )
      .with('entry', (qb) =>
        qb
          .insertInto('transfers')
          .columns([...ENTRY_COLUMNS])
          .expression((eb) =>
            eb
              .selectFrom('moved')
              .select([
                sql`${slot.trace_no}`.as('trace_no'),
                sql`${slot.appid}`.as('appid'),
                sql`${slot.debit}`.as('debit'),
                sql`${slot.credit}`.as('credit'),
                sql`${slot.amount_fen}`.as('amount_fen'),
                sql`${slot.memo}`.as('memo'),
                sql`${slot.created_at}`.as('created_at'),
              ]),
          )
          .returning('trace_no'),
      )
      .insertInto('orders')
      .columns([...ORDER_COLUMNS])
      .expression((eb) => eb.selectFrom('moved').select(ORDER_COLUMNS.map((c) => sql`${slot[c]}`.as(c))))
      .returning('trace_no'),
);

/** PostgreSQL's unique_violation on the merchant number's constraint. */
function isNumberTaken(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'orders_out_no';
}

/**
 * A cash recharge to an account already open, settled in one PostgreSQL
 * statement. `finalOrder` gives the order row as stored once paid (the same
 * function the transaction path uses). A caller seeing `balanceMoved` takes
 * the transaction path, which reads the balance under its own lock.
 */
export async function settleCashInOneStatement(
  platform: Platform,
  app: App,
  order: OrderTable,
  detail: RechargeDetail,
  account: AccountTable,
  finalOrder: (answer: Answer, accountNo: string) => OrderTable,
): Promise<OneStatementOutcome> {
  const paid: Paid = { channel: order.channel, paidAt: order.created_at, now: order.created_at };
  const entry = rechargeEntry(order, account.account_no, paid);
  const balanceNowFen = account.balance_fen + order.amount_fen;
  const answer = paidRechargeAnswer(app, order, detail, paid, balanceNowFen);
  const row = finalOrder(answer, account.account_no);
  try {
    const result = await settleStatement(platform.store.db, {
      ...row,
      balanceReadFen: account.balance_fen,
      balanceNowFen,
      debit: entry.debit,
      credit: entry.credit,
      memo: entry.memo,
    });
    return result.rows.length === 1 ? { kind: 'settled', answer } : { kind: 'balanceMoved' };
  } catch (error) {
    if (isNumberTaken(error)) return { kind: 'numberTaken' };
    throw error;
  }
}
