import { type RawBuilder, sql } from 'kysely';
import type { ReconcileDb } from './tables.js';

/** What one run matches: an app's Beijing day, and which channel codes the loaded statements cover. */
export interface MatchScope {
  readonly appid: string;
  readonly day: string;
  readonly from: number;
  readonly to: number;
  /** Codes whose orders must appear on a channel statement; empty when no statement was loaded. */
  readonly billedCodes: readonly string[];
  /** The HIS's statement was loaded (the app's HIS keeps the deposits, or one was uploaded). */
  readonly withHis: boolean;
  readonly now: number;
}

/**
 * An order that moved money at its channel: a payment taken (`exp` is a
 * recharge received whose HIS credit is pending) or a refund paid out.
 */
const MONEYED = sql`((o.kind in ('recharge', 'recpay') and o.state in ('succ', 'exp'))
  or (o.kind in ('refund', 'cancel') and o.state = 'succ'))`;

const COLUMNS = sql`(appid, day, kind, source, ref_no, trace_no, platform_fen, other_fen, platform_state, other_state, found_at)`;

function lines(s: MatchScope, source: 'channel' | 'his'): RawBuilder<unknown> {
  return sql`l.appid = ${s.appid} and l.day = ${s.day} and l.source = ${source}`;
}

/**
 * Each step is one INSERT … SELECT of one kind of difference, set-based (the
 * engine joins by the orders' key), ending in ON CONFLICT DO NOTHING: the
 * difference's key says what it is about, so a step run twice, or a run
 * killed between steps and run again, records each difference once.
 */
export function differenceSteps(
  s: MatchScope,
): { readonly name: string; readonly sql: RawBuilder<unknown> }[] {
  const steps: { name: string; sql: RawBuilder<unknown> }[] = [];
  const found = s.now;
  if (s.billedCodes.length > 0) {
    const codes = sql.join(s.billedCodes.map((c) => sql`${c}`));
    steps.push(
      {
        name: 'long',
        sql: sql`insert into reconcile_differences ${COLUMNS}
          select l.appid, l.day, 'long', 'channel', l.ref_no, l.trace_no, null, l.amount_fen, null, l.state, ${found}
          from reconcile_lines l
          where ${lines(s, 'channel')} and l.state = 'success'
            and not exists (select 1 from orders o where o.trace_no = l.trace_no and o.appid = l.appid)
          on conflict do nothing`,
      },
      {
        name: 'state',
        sql: sql`insert into reconcile_differences ${COLUMNS}
          select l.appid, l.day, 'state', 'channel', l.ref_no, l.trace_no, o.amount_fen, l.amount_fen, o.state, l.state, ${found}
          from reconcile_lines l join orders o on o.trace_no = l.trace_no and o.appid = l.appid
          where ${lines(s, 'channel')}
            and (case when l.state = 'success' then 1 else 0 end) <> (case when ${MONEYED} then 1 else 0 end)
          on conflict do nothing`,
      },
      {
        name: 'amount',
        sql: sql`insert into reconcile_differences ${COLUMNS}
          select l.appid, l.day, 'amount', 'channel', l.ref_no, l.trace_no, o.amount_fen, l.amount_fen, o.state, l.state, ${found}
          from reconcile_lines l join orders o on o.trace_no = l.trace_no and o.appid = l.appid
          where ${lines(s, 'channel')} and l.state = 'success' and ${MONEYED} and o.amount_fen <> l.amount_fen
          on conflict do nothing`,
      },
      {
        name: 'short',
        sql: sql`insert into reconcile_differences ${COLUMNS}
          select o.appid, ${s.day}, 'short', 'channel', o.trace_no, o.trace_no, o.amount_fen, null, o.state, null, ${found}
          from orders o
          where o.appid = ${s.appid} and o.finished_at >= ${s.from} and o.finished_at < ${s.to}
            and o.channel in (${codes}) and ${MONEYED}
            and not exists (select 1 from reconcile_lines l
              where ${lines(s, 'channel')} and l.trace_no = o.trace_no)
          on conflict do nothing`,
      },
    );
  }
  if (s.withHis) {
    steps.push(
      {
        name: 'hisExtra',
        sql: sql`insert into reconcile_differences ${COLUMNS}
          select l.appid, l.day, 'hisExtra', 'his', l.ref_no, l.trace_no, null, l.amount_fen, null, l.kind, ${found}
          from reconcile_lines l
          where ${lines(s, 'his')}
            and not exists (select 1 from orders o where o.trace_no = l.trace_no and o.appid = l.appid)
          on conflict do nothing`,
      },
      {
        // The HIS booked what the platform does not count as done (still pending, failed, refunded back).
        name: 'hisState',
        sql: sql`insert into reconcile_differences ${COLUMNS}
          select l.appid, l.day, 'state', 'his', l.ref_no, l.trace_no, o.amount_fen, l.amount_fen, o.state, l.kind, ${found}
          from reconcile_lines l join orders o on o.trace_no = l.trace_no and o.appid = l.appid
          where ${lines(s, 'his')} and o.state <> 'succ'
          on conflict do nothing`,
      },
      {
        name: 'hisAmount',
        sql: sql`insert into reconcile_differences ${COLUMNS}
          select l.appid, l.day, 'amount', 'his', l.ref_no, l.trace_no, o.amount_fen, l.amount_fen, o.state, l.kind, ${found}
          from reconcile_lines l join orders o on o.trace_no = l.trace_no and o.appid = l.appid
          where ${lines(s, 'his')} and o.state = 'succ' and o.amount_fen <> l.amount_fen
          on conflict do nothing`,
      },
      {
        // A recharge the platform counts as credited to the HIS that the HIS does not list.
        name: 'hisMissing',
        sql: sql`insert into reconcile_differences ${COLUMNS}
          select o.appid, ${s.day}, 'hisMissing', 'his', o.trace_no, o.trace_no, o.amount_fen, null, o.state, null, ${found}
          from orders o
          where o.appid = ${s.appid} and o.finished_at >= ${s.from} and o.finished_at < ${s.to}
            and o.kind = 'recharge' and o.state = 'succ'
            and not exists (select 1 from reconcile_lines l
              where ${lines(s, 'his')} and l.trace_no = o.trace_no)
          on conflict do nothing`,
      },
    );
  }
  return steps;
}

/** Lines that agree with their order in state and amount, per source. */
export async function matchedCounts(
  db: ReconcileDb,
  s: MatchScope,
): Promise<{ channel: number; his: number }> {
  const channel = await sql<{ n: number | string }>`
    select count(*) as n from reconcile_lines l join orders o on o.trace_no = l.trace_no and o.appid = l.appid
    where ${lines(s, 'channel')} and l.state = 'success' and ${MONEYED} and o.amount_fen = l.amount_fen`.execute(
    db,
  );
  const his = await sql<{ n: number | string }>`
    select count(*) as n from reconcile_lines l join orders o on o.trace_no = l.trace_no and o.appid = l.appid
    where ${lines(s, 'his')} and o.state = 'succ' and o.amount_fen = l.amount_fen`.execute(db);
  return { channel: Number(channel.rows[0]?.n ?? 0), his: Number(his.rows[0]?.n ?? 0) };
}
