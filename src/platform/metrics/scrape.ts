import { sql } from 'kysely';
import type { Platform } from '../platform.js';
import { groupCommit } from '../store/group-commit.js';
import { instruments } from './instruments.js';

/** Order states the recovery sweep (trades/sweep.ts) may have to resolve. */
const UNSETTLED = ['init', 'ing', 'exp'] as const;

/**
 * From now on a scrape reads the database and pools of `platform` into the
 * gauges (instruments.refresh), never on a call's path. The gauges of one
 * scrape ask together: the read under way serves them all.
 */
export function readGaugesFrom(platform: Platform): void {
  let reading: Promise<void> | undefined;
  instruments.refresh = () => {
    reading ??= readGauges(platform).finally(() => {
      reading = undefined;
    });
    return reading;
  };
}

/** Every metric of this process in Prometheus' text format. */
export function renderMetrics(): Promise<string> {
  return instruments.registry.metrics();
}

/**
 * The gauges read from the database and the pools. Each count goes through an
 * index (store/plans.test.ts reads the plans): outbox_due (state, next_at) and
 * orders_pending (state, expire_at).
 */
async function readGauges(platform: Platform): Promise<void> {
  const { gauges } = instruments;
  const now = platform.clock();
  const db = platform.store.db;

  const outbox = await db
    .selectFrom('outbox')
    .select([
      sql<number>`count(*)`.as('waiting'),
      sql<number>`sum(case when next_at <= ${now} then 1 else 0 end)`.as('due'),
      sql<number | null>`min(case when next_at <= ${now} then next_at end)`.as('oldest'),
    ])
    .where('state', '=', 'ing')
    .executeTakeFirstOrThrow();
  const waiting = Number(outbox.waiting);
  const due = Number(outbox.due ?? 0);
  gauges.outbox.set({ due: 'yes' }, due);
  gauges.outbox.set({ due: 'no' }, waiting - due);
  gauges.outboxOldest.set(outbox.oldest === null ? 0 : Math.max(0, (now - Number(outbox.oldest)) / 1000));

  const unsettled = await db
    .selectFrom('orders')
    .select(['kind', 'state', sql<number>`count(*)`.as('n'), sql<number>`min(updated_at)`.as('oldest')])
    .where('state', 'in', UNSETTLED)
    .groupBy(['kind', 'state'])
    .execute();
  // A kind and state with nothing left must read 0, not keep the last scrape's value.
  gauges.unsettled.reset();
  gauges.unsettledOldest.reset();
  for (const row of unsettled) {
    const labels = { kind: row.kind, state: row.state };
    gauges.unsettled.set(labels, Number(row.n));
    gauges.unsettledOldest.set(labels, Math.max(0, (now - Number(row.oldest)) / 1000));
  }

  gauges.pool.reset();
  for (const use of platform.store.pools?.() ?? []) {
    gauges.pool.set({ pool: use.pool, use: 'busy' }, use.total - use.idle);
    gauges.pool.set({ pool: use.pool, use: 'idle' }, use.idle);
    gauges.pool.set({ pool: use.pool, use: 'waiting' }, use.waiting);
  }
  if (platform.store.dialect === 'sqlite') {
    const committer = groupCommit(platform.store);
    gauges.groupCommitQueued.set(committer.queued);
    gauges.groupCommitBatches.set(committer.stats.batches);
    gauges.groupCommitUnits.set(committer.stats.units);
  }
}
