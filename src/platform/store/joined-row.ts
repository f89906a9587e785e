/**
 * A statement that left-joins several tables (trades/recharge/lookup.ts,
 * store/postgres/batched-reads.ts) names each table's columns with a prefix; this
 * takes one table's row back out of it: undefined when its primary key is
 * null, that is when the join matched nothing.
 */
export function tablePart<T>(
  row: Record<string, unknown>,
  prefix: string,
  columns: readonly string[],
  key: string,
): T | undefined {
  if (row[`${prefix}${key}`] == null) return undefined;
  return Object.fromEntries(columns.map((c) => [c, row[`${prefix}${c}`]])) as T;
}
