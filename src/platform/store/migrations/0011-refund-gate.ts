import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * The minimum interval between refunds of one order (044003), held by the
 * database rather than by a read before the write: each refund claims the
 * original's gate with one guarded upsert, which concurrent refunds — from
 * several platform processes too — take one at a time, so two refunds of one
 * order inside the interval cannot both pass. The PostgreSQL one-call offline
 * refund (migration 0007) claims the same gate, first.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('refund_gates')
    .addColumn('orig_trace_no', 'text', (c) => c.primaryKey())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .execute();
  if (dialect !== 'postgres') return;
  await sql`drop function onepay_offline_refund(json, json, text, text)`.execute(db);
  await sql`
    create function onepay_offline_refund(
      refund json, entries json, p_orig_trace_no text, p_account_no text, p_min_interval_ms bigint
    ) returns text language plpgsql as $fn$
    declare
      r orders;
    begin
      r := json_populate_record(null::orders, refund);
      insert into orders select r.* on conflict (appid, kind, out_no) do nothing;
      if not found then
        return 'lost';
      end if;
      if p_min_interval_ms > 0 then
        insert into refund_gates (orig_trace_no, last_at) values (p_orig_trace_no, r.created_at)
          on conflict (orig_trace_no) do update set last_at = excluded.last_at
          where refund_gates.last_at <= excluded.last_at - p_min_interval_ms;
        if not found then
          raise exception using errcode = 'OP001', message = '同一订单两次退款间隔过短', detail = '044003';
        end if;
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
