import { type RawBuilder, sql } from 'kysely';
import type { DialectName } from '../store/dialect.js';

/**
 * The one definition of "money that moved", which shifts and reports both
 * read: every order in state succ, by the moment it finished (Beijing time
 * for days and months). Payments in (recharges, exam bills) count in;
 * refunds and reversals (cancel) count out, on the route they were paid
 * out by (their channel). A refund or reversal carries no feeType or
 * account type of its own in the spec, so it takes its original's; a
 * reversal has no terminal, so it is the original's terminal too.
 *
 * The dimensions are read from the request the HIS sent (the order's
 * detail, JSON): one expression per engine, inside the GROUP BY.
 */
export const DIMENSIONS = ['channel', 'feeType', 'operator', 'terminal', 'accountType'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export function isDimension(value: string): value is Dimension {
  return (DIMENSIONS as readonly string[]).includes(value);
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;

function requestField(dialect: DialectName, alias: 'o' | 'orig', key: string): RawBuilder<string | null> {
  if (!/^[A-Za-z]+$/.test(key)) throw new Error(`not a request field: ${key}`);
  return dialect === 'sqlite'
    ? sql.raw(`json_extract(${alias}.detail, '$.param.${key}')`)
    : sql.raw(`(${alias}.detail::json -> 'param' ->> '${key}')`);
}

/** A column of the movement, as SQL over `orders o left join orders orig`. */
export function dimensionSql(dialect: DialectName, dimension: Dimension): RawBuilder<string> {
  const own = (key: string) => requestField(dialect, 'o', key);
  const original = (key: string) => requestField(dialect, 'orig', key);
  switch (dimension) {
    case 'channel':
      return sql`o.channel`;
    case 'operator':
      return sql`coalesce(${own('operatorId')}, '')`;
    case 'terminal':
      return sql`coalesce(nullif(o.term_no, ''), orig.term_no, '')`;
    case 'feeType':
      return sql`coalesce(nullif(${own('feeType')}, ''), ${original('feeType')}, '')`;
    case 'accountType':
      return sql`coalesce(nullif(${own('accountType')}, ''), ${original('accountType')}, '')`;
  }
}

export type Period = 'day' | 'month';

/** The Beijing calendar day (YYYY-MM-DD) or month (YYYY-MM) the order finished in. */
export function periodSql(dialect: DialectName, period: Period): RawBuilder<string> {
  const shifted = sql`(o.finished_at + ${sql.lit(BEIJING_OFFSET_MS)})`;
  if (dialect === 'sqlite') {
    const format = period === 'day' ? '%Y-%m-%d' : '%Y-%m';
    return sql`strftime(${sql.lit(format)}, ${shifted} / 1000, 'unixepoch')`;
  }
  const format = period === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM';
  return sql`to_char(to_timestamp(${shifted} / 1000.0) at time zone 'UTC', ${sql.lit(format)})`;
}

/** `in` or `out`, as SQL. */
export const directionSql = sql<string>`case when o.kind in ('recharge', 'recpay') then 'in' else 'out' end`;

/** The FROM of every movement query: the order and, for a reversal, its original. */
export const movementsFrom = sql`orders o left join orders orig on orig.trace_no = o.orig_trace_no`;

/** Both engines may answer a SUM or COUNT as a string (PostgreSQL's bigint, numeric). */
export function whole(value: unknown): number {
  const n = Number(value ?? 0);
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number of fen: ${String(value)}`);
  return n;
}
