import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * PostgreSQL: a refund paid out offline (cash from the drawer, bank
 * transfer…) as one call instead of a transaction of eight statements
 * (trades/refund/one-call.ts). Under load the transaction held the original
 * order's and the account's locks for eight round trips; here for one.
 * The function does exactly what the transaction does, in the same order:
 * - claims the refund number with the order row, already final; 'lost' when
 *   another request holds the number (nothing written);
 * - counts the amount against the original order, guarded so refunds can
 *   never exceed it, and moves the patient's balance, guarded so it never
 *   goes below zero; either guard failing raises SQLSTATE OP001 with the
 *   spec's code in DETAIL, and the whole call is undone;
 * - writes the journal entries the caller built (ledger/journal.ts rules).
 * Rows come in as JSON and are read by column name, so the function does not
 * change when the tables gain a column with a default.
 * SQLite keeps the transaction: there a statement is not a round trip.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`
    create function onepay_offline_refund(
      refund json, entries json, p_orig_trace_no text, p_account_no text
    ) returns text language plpgsql as $fn$
    declare
      r orders;
    begin
      r := json_populate_record(null::orders, refund);
      insert into orders select r.* on conflict (appid, kind, out_no) do nothing;
      if not found then
        return 'lost';
      end if;
      update orders set refunded_fen = refunded_fen + r.amount_fen, updated_at = r.created_at
        where trace_no = p_orig_trace_no and refunded_fen + r.amount_fen <= amount_fen;
      if not found then
        raise exception using errcode = 'OP001', message = '超过订单可退金额', detail = '034001';
      end if;
      update accounts set balance_fen = balance_fen - r.amount_fen, updated_at = r.created_at
        where account_no = p_account_no and balance_fen - r.amount_fen >= 0;
      if not found then
        raise exception using errcode = 'OP001', message = '预交金账户余额不足', detail = '034001';
      end if;
      insert into transfers (trace_no, appid, debit, credit, amount_fen, memo, created_at)
        select e.trace_no, e.appid, e.debit, e.credit, e.amount_fen, e.memo, e.created_at
        from json_populate_recordset(null::transfers, entries) as e;
      return 'settled';
    end
    $fn$`.execute(db);
}
