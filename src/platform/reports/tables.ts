import type { Kysely } from 'kysely';
import type { ConsoleDb, ConsoleTables } from '../console/tables.js';
import type { Schema } from '../store/index.js';

/** Milliseconds since the epoch (BIGINT on both engines). */
type Millis = number;

export interface ShiftCloseTable {
  /** `S` + Beijing time of the close + random hex: the page's address. */
  id: string;
  operator_id: string;
  term_no: string;
  /** When the first order it counts finished. */
  from_at: Millis;
  /** The cut-off: orders finished before it (and in no earlier close) are in. */
  to_at: Millis;
  order_count: number;
  /** Cash taken in less cash paid out: what the cashier hands over. */
  cash_fen: number;
  /** JSON of ShiftTotals, as shown when closed. */
  totals: string;
  closed_by: string;
  closed_at: Millis;
}

interface ShiftCloseOrderTable {
  trace_no: string;
  shift_id: string;
}

/** Migration 0015: the console user's HIS operator, and the closed shifts. */
type ReportTables = Omit<ConsoleTables, 'console_users'> & {
  console_users: ConsoleTables['console_users'] & { operator_id: string | null };
  shift_closes: ShiftCloseTable;
  shift_close_orders: ShiftCloseOrderTable;
};

export type ReportsDb = Kysely<Schema & ReportTables>;

export function reportsDb(db: ConsoleDb | Kysely<Schema>): ReportsDb {
  return db as unknown as ReportsDb;
}
