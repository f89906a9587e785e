import type { Kysely } from 'kysely';
import type { Schema } from '../store/index.js';

/** Milliseconds since the epoch (BIGINT on both engines). */
type Millis = number;

/** Who said a line: every channel of the app ('channel') or the HIS ('his'). */
export type LineSource = 'channel' | 'his';

/** One line of a day's statement as loaded (migration 0014). */
export interface ReconcileLineTable {
  appid: string;
  day: string;
  source: LineSource;
  kind: 'pay' | 'refund';
  /** The line's own number: the channel's trade number, the HIS's serial. */
  ref_no: string;
  trace_no: string;
  amount_fen: number;
  state: string;
  at: Millis;
}

interface ReconcileRunTable {
  appid: string;
  day: string;
  state: 'running' | 'done' | 'failed';
  claimed_by: string;
  claimed_until: Millis;
  started_at: Millis;
  finished_at: Millis | null;
  /** JSON RunSummary. */
  summary: string | null;
  error: string | null;
}

export interface ReconcileDifferenceTable {
  appid: string;
  day: string;
  kind: DifferenceKind;
  source: LineSource;
  ref_no: string;
  trace_no: string;
  platform_fen: number | null;
  other_fen: number | null;
  platform_state: string | null;
  other_state: string | null;
  found_at: Millis;
  resolved_by: string | null;
  resolved_at: Millis | null;
  note: string | null;
}

/** The kinds of difference, with the words the console shows. */
export const DIFFERENCE_KINDS = {
  long: '长款 (渠道有款, 平台无单)',
  short: '短款 (平台已收付, 渠道无记录)',
  amount: '金额不符',
  state: '状态不符',
  hisMissing: 'HIS 漏记 (平台已入账, HIS 无记录)',
  hisExtra: 'HIS 多记 (HIS 有记录, 平台无此交易)',
} as const;
export type DifferenceKind = keyof typeof DIFFERENCE_KINDS;

type ReconcileTables = {
  reconcile_lines: ReconcileLineTable;
  reconcile_runs: ReconcileRunTable;
  reconcile_differences: ReconcileDifferenceTable;
};

export type ReconcileDb = Kysely<Schema & ReconcileTables>;

/** The platform's database seen with the reconciliation tables (the store's schema does not list them). */
export function reconcileDb(db: Kysely<Schema>): ReconcileDb {
  return db.withTables<ReconcileTables>();
}
