import { sql } from 'kysely';
import { beijingDay } from '../console/orders.js';
import type { DialectName } from '../store/dialect.js';
import {
  DIMENSIONS,
  type Dimension,
  dimensionSql,
  directionSql,
  movementsFrom,
  type Period,
  periodSql,
  whole,
} from './movements.js';
import type { ReportsDb } from './tables.js';

export interface ReportQuery {
  /** First and last Beijing day, YYYY-MM-DD, both included. */
  readonly fromDay: string;
  readonly toDay: string;
  readonly period: Period;
  /** What each row is split by besides the period; none gives one row per period. */
  readonly by: readonly Dimension[];
  /** Only this HIS operator's money (a cashier's own report). */
  readonly operator?: string;
  readonly channel?: string;
}

export interface ReportRow {
  readonly period: string;
  /** The row's value of each dimension in `by` ('' when the request had none). */
  readonly keys: Readonly<Partial<Record<Dimension, string>>>;
  readonly inCount: number;
  readonly inFen: number;
  readonly outCount: number;
  readonly outFen: number;
}

export class ReportError extends Error {}

/** Longest range one report reads: a year of days, or of months. */
const MAX_DAYS = 366;

/** The report's epoch range, or a ReportError that says in Chinese what is wrong with the days. */
function reportRange(fromDay: string, toDay: string): { from: number; to: number } {
  const from = beijingDay(fromDay);
  const to = beijingDay(toDay);
  if (!from || !to) throw new ReportError('日期格式应为 YYYY-MM-DD');
  if (to.from < from.from) throw new ReportError('结束日期早于开始日期');
  if ((to.to - from.from) / 86_400_000 > MAX_DAYS) throw new ReportError(`一次最多查询 ${MAX_DAYS} 天`);
  return { from: from.from, to: to.to };
}

/**
 * Money in and out per period and per value of each chosen dimension: one
 * GROUP BY over the orders that finished in the range (the orders_finished
 * index bounds the scan), nothing summed row by row in the platform.
 */
export async function moneyReport(db: ReportsDb, dialect: DialectName, q: ReportQuery): Promise<ReportRow[]> {
  const range = reportRange(q.fromDay, q.toDay);
  const by = DIMENSIONS.filter((d) => q.by.includes(d));
  const period = periodSql(dialect, q.period);
  const keys = by.map((d) => sql`${dimensionSql(dialect, d)} as ${sql.ref(`k_${d}`)}`);
  const groups = [period, ...by.map((d) => dimensionSql(dialect, d))];
  const filters = [
    sql`o.state = 'succ'`,
    sql`o.finished_at >= ${range.from}`,
    sql`o.finished_at < ${range.to}`,
    ...(q.operator !== undefined ? [sql`${dimensionSql(dialect, 'operator')} = ${q.operator}`] : []),
    ...(q.channel ? [sql`o.channel = ${q.channel}`] : []),
  ];
  const result = await sql<Record<string, unknown>>`
    select ${sql.join([sql`${period} as period`, ...keys])},
      sum(case when ${directionSql} = 'in' then 1 else 0 end) as in_count,
      sum(case when ${directionSql} = 'in' then o.amount_fen else 0 end) as in_fen,
      sum(case when ${directionSql} = 'out' then 1 else 0 end) as out_count,
      sum(case when ${directionSql} = 'out' then o.amount_fen else 0 end) as out_fen
    from ${movementsFrom}
    where ${sql.join(filters, sql` and `)}
    group by ${sql.join(groups)}
    order by ${sql.join(groups)}`.execute(db);
  return result.rows.map((r) => ({
    period: String(r['period']),
    keys: Object.fromEntries(by.map((d) => [d, String(r[`k_${d}`] ?? '')])),
    inCount: whole(r['in_count']),
    inFen: whole(r['in_fen']),
    outCount: whole(r['out_count']),
    outFen: whole(r['out_fen']),
  }));
}

/** The rows' sums: the report's bottom line. */
export function reportTotal(rows: readonly ReportRow[]): Omit<ReportRow, 'period' | 'keys'> {
  return rows.reduce(
    (t, r) => ({
      inCount: t.inCount + r.inCount,
      inFen: t.inFen + r.inFen,
      outCount: t.outCount + r.outCount,
      outFen: t.outFen + r.outFen,
    }),
    { inCount: 0, inFen: 0, outCount: 0, outFen: 0 },
  );
}
