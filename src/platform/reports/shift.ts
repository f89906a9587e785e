import { randomBytes } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { beijing14 } from '../../protocol/time.js';
import { appendAudit } from '../console/audit.js';
import type { ConsoleDb } from '../console/tables.js';
import type { DialectName } from '../store/dialect.js';
import { dimensionSql, directionSql, movementsFrom, whole } from './movements.js';
import { ReportError } from './report.js';
import type { ReportsDb, ShiftCloseTable } from './tables.js';

/** The channel code of notes and coins in the drawer. */
const CASH_CHANNEL = 'CASH';

/** A shift: one HIS operator at one terminal, from their last close. */
export interface ShiftKey {
  readonly operatorId: string;
  readonly termNo: string;
}

export interface OpenShift extends ShiftKey {
  readonly firstAt: number;
  readonly lastAt: number;
  readonly orderCount: number;
}

interface ChannelFeeTotal {
  readonly channel: string;
  readonly feeType: string;
  readonly inCount: number;
  readonly inFen: number;
  readonly outCount: number;
  readonly outFen: number;
}

interface RouteTotal {
  /** The route the money went back by: the refund's or reversal's channel. */
  readonly channel: string;
  readonly kind: string;
  readonly count: number;
  readonly fen: number;
}

export interface ShiftTotals {
  readonly orderCount: number;
  readonly fromAt: number | null;
  readonly byChannelFee: ChannelFeeTotal[];
  readonly refundsByRoute: RouteTotal[];
  readonly cashInFen: number;
  readonly cashOutFen: number;
  /** Cash taken in less cash refunds paid out: what the drawer hands over. */
  readonly cashFen: number;
}

/** A shift's orders: not yet counted in a closed shift, or counted in the one named. */
type Members = { readonly open: ShiftKey & { toAt: number } } | { readonly closed: string };

function membersWhere(dialect: DialectName, members: Members): RawBuilder<unknown> {
  if ('closed' in members) return sql`m.shift_id = ${members.closed}`;
  const { operatorId, termNo, toAt } = members.open;
  return sql`m.trace_no is null and o.state = 'succ' and o.finished_at is not null
    and o.finished_at < ${toAt}
    and ${dimensionSql(dialect, 'operator')} = ${operatorId}
    and ${dimensionSql(dialect, 'terminal')} = ${termNo}`;
}

/**
 * Shifts with money not yet closed, per operator and terminal (one operator
 * only, for a cashier). An anti-join against the closed shifts' orders over
 * the finished orders: the only scan of all history, one GROUP BY.
 */
export async function openShifts(
  db: ReportsDb,
  dialect: DialectName,
  operatorId?: string,
): Promise<OpenShift[]> {
  const operator = dimensionSql(dialect, 'operator');
  const terminal = dimensionSql(dialect, 'terminal');
  const result = await sql<Record<string, unknown>>`
    select ${operator} as operator_id, ${terminal} as term_no,
      min(o.finished_at) as first_at, max(o.finished_at) as last_at, count(*) as n
    from ${movementsFrom} left join shift_close_orders m on m.trace_no = o.trace_no
    where m.trace_no is null and o.state = 'succ' and o.finished_at is not null
      ${operatorId !== undefined ? sql`and ${operator} = ${operatorId}` : sql``}
    group by ${operator}, ${terminal}
    order by ${operator}, ${terminal}`.execute(db);
  return result.rows.map((r) => ({
    operatorId: String(r['operator_id']),
    termNo: String(r['term_no']),
    firstAt: whole(r['first_at']),
    lastAt: whole(r['last_at']),
    orderCount: whole(r['n']),
  }));
}

/** What a shift took and paid out: two GROUP BYs over its orders. */
async function shiftTotals(db: ReportsDb, dialect: DialectName, members: Members): Promise<ShiftTotals> {
  const feeType = dimensionSql(dialect, 'feeType');
  const where = membersWhere(dialect, members);
  const from = sql`${movementsFrom} left join shift_close_orders m on m.trace_no = o.trace_no`;
  const byChannelFee = await sql<Record<string, unknown>>`
    select o.channel as channel, ${feeType} as fee_type, min(o.finished_at) as first_at,
      sum(case when ${directionSql} = 'in' then 1 else 0 end) as in_count,
      sum(case when ${directionSql} = 'in' then o.amount_fen else 0 end) as in_fen,
      sum(case when ${directionSql} = 'out' then 1 else 0 end) as out_count,
      sum(case when ${directionSql} = 'out' then o.amount_fen else 0 end) as out_fen
    from ${from} where ${where}
    group by o.channel, ${feeType} order by o.channel, ${feeType}`.execute(db);
  const routes = await sql<Record<string, unknown>>`
    select o.channel as channel, o.kind as kind, count(*) as n, sum(o.amount_fen) as fen
    from ${from} where ${where} and o.kind not in ('recharge', 'recpay')
    group by o.channel, o.kind order by o.channel, o.kind`.execute(db);
  const rows: ChannelFeeTotal[] = byChannelFee.rows.map((r) => ({
    channel: String(r['channel']),
    feeType: String(r['fee_type'] ?? ''),
    inCount: whole(r['in_count']),
    inFen: whole(r['in_fen']),
    outCount: whole(r['out_count']),
    outFen: whole(r['out_fen']),
  }));
  const cash = rows.filter((r) => r.channel === CASH_CHANNEL);
  const cashInFen = cash.reduce((s, r) => s + r.inFen, 0);
  const cashOutFen = cash.reduce((s, r) => s + r.outFen, 0);
  const firsts = byChannelFee.rows.map((r) => whole(r['first_at']));
  return {
    orderCount: rows.reduce((s, r) => s + r.inCount + r.outCount, 0),
    fromAt: firsts.length > 0 ? Math.min(...firsts) : null,
    byChannelFee: rows,
    refundsByRoute: routes.rows.map((r) => ({
      channel: String(r['channel']),
      kind: String(r['kind']),
      count: whole(r['n']),
      fen: whole(r['fen']),
    })),
    cashInFen,
    cashOutFen,
    cashFen: cashInFen - cashOutFen,
  };
}

export function openShiftTotals(
  db: ReportsDb,
  dialect: DialectName,
  key: ShiftKey,
  toAt: number,
): Promise<ShiftTotals> {
  return shiftTotals(db, dialect, { open: { ...key, toAt } });
}

export interface ClosedShift extends Omit<ShiftCloseTable, 'totals'> {
  readonly totals: ShiftTotals;
}

function closedOf(row: ShiftCloseTable): ClosedShift {
  return {
    ...row,
    from_at: whole(row.from_at),
    to_at: whole(row.to_at),
    cash_fen: whole(row.cash_fen),
    closed_at: whole(row.closed_at),
    totals: JSON.parse(row.totals) as ShiftTotals,
  };
}

export async function closedShift(db: ReportsDb, id: string): Promise<ClosedShift | undefined> {
  const row = await db.selectFrom('shift_closes').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? closedOf(row) : undefined;
}

/** Closed shifts, newest first; one operator's only when given. */
export async function closedShifts(db: ReportsDb, operatorId?: string, limit = 50): Promise<ClosedShift[]> {
  let q = db.selectFrom('shift_closes').selectAll().orderBy('closed_at', 'desc').limit(limit);
  if (operatorId !== undefined) q = q.where('operator_id', '=', operatorId);
  return (await q.execute()).map(closedOf);
}

interface CloseRequest extends ShiftKey {
  /** The cut-off the person saw: orders finished before it are closed, later ones wait for the next shift. */
  readonly toAt: number;
  readonly actor: string;
  readonly peer: string;
  readonly now: number;
}

/**
 * Closes a shift: claims its orders (each order's primary key in
 * shift_close_orders makes a second close of the same order fail, so two
 * people closing at once cannot count one order twice), sums what was
 * claimed, stores the totals and an audit line, all in one transaction.
 */
export async function closeShift(
  db: ReportsDb,
  dialect: DialectName,
  req: CloseRequest,
): Promise<ClosedShift> {
  if (!Number.isSafeInteger(req.toAt) || req.toAt > req.now) throw new ReportError('日结截止时间无效');
  const id = `S${beijing14(req.now)}${randomBytes(3).toString('hex')}`;
  try {
    return await db.transaction().execute(async (trx) => {
      const claimed = await sql`
        insert into shift_close_orders (trace_no, shift_id)
        select o.trace_no, ${id} from ${movementsFrom} left join shift_close_orders m on m.trace_no = o.trace_no
        where ${membersWhere(dialect, { open: req })}`.execute(trx);
      if (Number(claimed.numAffectedRows ?? 0n) === 0) throw new ReportError('该班次没有未日结的交易');
      const totals = await shiftTotals(trx, dialect, { closed: id });
      const row: ShiftCloseTable = {
        id,
        operator_id: req.operatorId,
        term_no: req.termNo,
        from_at: totals.fromAt ?? req.toAt,
        to_at: req.toAt,
        order_count: totals.orderCount,
        cash_fen: totals.cashFen,
        totals: JSON.stringify(totals),
        closed_by: req.actor,
        closed_at: req.now,
      };
      await trx.insertInto('shift_closes').values(row).execute();
      await appendAudit(trx as unknown as ConsoleDb, {
        actor: req.actor,
        action: 'shift.close',
        target: `shift:${id}`,
        after: {
          operatorId: req.operatorId,
          termNo: req.termNo,
          orderCount: totals.orderCount,
          cashFen: totals.cashFen,
        },
        peer: req.peer,
        at: req.now,
      });
      return closedOf(row);
    });
  } catch (error) {
    if (error instanceof ReportError) throw error;
    if (/unique|duplicate|primary key/i.test((error as Error).message))
      throw new ReportError('该班次正在被他人日结, 请刷新后重试');
    throw error;
  }
}
