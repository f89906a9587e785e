import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Daily three-way reconciliation (src/platform/reconcile):
 * - the statements' lines of a day as loaded (a channel's or the HIS's),
 *   replaced whole per source in one transaction, so matching is SQL joins
 *   over three tables and a day of a million trades never sits in memory;
 * - one row per app and day for the run: who holds it (a claim with a lease,
 *   so one process runs a day at a time on a shared PostgreSQL) and what it
 *   found;
 * - the differences, keyed by what they are about: inserting one twice does
 *   nothing, so a re-run (or a run killed midway and re-run) adds only what
 *   is new. Each row is a case of the manual queue until a person decides it.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  // The day's orders are found by when they finished, through `orders_finished` (migration
  // 0015, shared with the reports): one index more on the orders is a cost every payment pays.
  await db.schema
    .createTable('reconcile_lines')
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_no', 'text', (c) => c.notNull())
    .addColumn('trace_no', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('reconcile_lines_pk', ['appid', 'day', 'source', 'kind', 'ref_no'])
    .execute();
  await db.schema
    .createIndex('reconcile_lines_trace')
    .on('reconcile_lines')
    .columns(['appid', 'day', 'source', 'trace_no'])
    .execute();
  await db.schema
    .createTable('reconcile_runs')
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text', (c) => c.notNull())
    .addColumn('claimed_until', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('summary', 'text')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('reconcile_runs_pk', ['appid', 'day'])
    .execute();
  await db.schema
    .createTable('reconcile_differences')
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ref_no', 'text', (c) => c.notNull())
    .addColumn('trace_no', 'text', (c) => c.notNull())
    .addColumn('platform_fen', 'bigint')
    .addColumn('other_fen', 'bigint')
    .addColumn('platform_state', 'text')
    .addColumn('other_state', 'text')
    .addColumn('found_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'bigint')
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('reconcile_differences_pk', ['appid', 'day', 'kind', 'source', 'ref_no'])
    .execute();
  await db.schema
    .createIndex('reconcile_differences_open')
    .on('reconcile_differences')
    .columns(['resolved_at', 'appid', 'day'])
    .execute();
}
