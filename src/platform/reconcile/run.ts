import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { kindOf } from '../../protocol/channels.js';
import type { ChannelAdapter } from '../channels/types.js';
import type { Platform } from '../platform.js';
import { beijingDayBounds, dayProblem } from './day.js';
import { fetchHisStatement } from './his-statement.js';
import { channelLines, concatenated, type Line, loadLines } from './load.js';
import { differenceSteps, type MatchScope, matchedCounts } from './match.js';
import { type DifferenceKind, reconcileDb } from './tables.js';

/** What a run found, stored on the run's row and shown by the console. */
export interface RunSummary {
  readonly appid: string;
  readonly day: string;
  readonly channelLines: number;
  readonly hisLines: number;
  readonly matched: { readonly channel: number; readonly his: number };
  /** Open and decided differences of the day, by kind. */
  readonly differences: Partial<Record<DifferenceKind, number>>;
  readonly ms: number;
}

interface ReconcileOptions {
  /** Who runs it (process id and a random tag by default): the claim names it. */
  readonly owner?: string;
  /** How long a claim holds before another process may take the day over (a run killed outright). */
  readonly leaseMs?: number;
  /** The HIS statement uploaded as CSV: used instead of asking the HIS. */
  readonly hisLines?: readonly Line[];
  /** Called after each step by name; a test throws from it to kill a run midway. */
  readonly afterStep?: (name: string) => void | Promise<void>;
}

/** Another process holds the day: nothing was done. */
export class ReconcileBusyError extends Error {
  override readonly name = 'ReconcileBusyError';
}

const DEFAULT_LEASE_MS = 30 * 60_000;

/** The distinct adapters of the app's channels that publish statements, and the codes they bill. */
async function statementAdapters(
  platform: Platform,
  appid: string,
): Promise<{ adapters: ChannelAdapter[]; codes: string[] }> {
  const app = await platform.apps.find(appid);
  if (!app) throw new RangeError(`没有应用 ${appid}`);
  const adapters = new Set<ChannelAdapter>();
  const codes: string[] = [];
  for (const code of await platform.channels.usable(app)) {
    // Cash is counted at the desk: no channel's statement lists it.
    if (kindOf(code) === 'cash') continue;
    const adapter = await platform.channels.adapterFor(app, code);
    if (!adapter.statement) continue;
    adapters.add(adapter);
    codes.push(code);
  }
  return { adapters: [...adapters], codes };
}

/**
 * Claims the day for `owner`: the run's row is inserted once, then taken only
 * when no other owner holds an unexpired claim. One guarded UPDATE, so two
 * processes on one PostgreSQL cannot both win it.
 */
async function claim(
  platform: Platform,
  appid: string,
  day: string,
  owner: string,
  leaseMs: number,
): Promise<void> {
  const db = reconcileDb(platform.store.db);
  const now = platform.clock();
  await db
    .insertInto('reconcile_runs')
    .values({ appid, day, state: 'failed', claimed_by: '', claimed_until: 0, started_at: now })
    .onConflict((c) => c.doNothing())
    .execute();
  const taken = await db
    .updateTable('reconcile_runs')
    .set({ state: 'running', claimed_by: owner, claimed_until: now + leaseMs, started_at: now, error: null })
    .where('appid', '=', appid)
    .where('day', '=', day)
    .where((eb) =>
      eb.or([eb('state', '<>', 'running'), eb('claimed_until', '<', now), eb('claimed_by', '=', owner)]),
    )
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1) throw new ReconcileBusyError(`${appid} ${day} 的对账正在进行中`);
}

async function differenceCounts(platform: Platform, appid: string, day: string) {
  const rows = await reconcileDb(platform.store.db)
    .selectFrom('reconcile_differences')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('appid', '=', appid)
    .where('day', '=', day)
    .groupBy('kind')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)])) as RunSummary['differences'];
}

/**
 * Reconciles an app's Beijing day three ways: the channels' statements and
 * the HIS's against the platform's orders. Loads each statement (replacing
 * the day's earlier load), then records each kind of difference by one
 * set-based statement. Idempotent: a re-run finds what it found before and
 * records nothing twice; a run killed midway loses nothing when run again.
 */
export async function reconcileDay(
  platform: Platform,
  appid: string,
  day: string,
  options: ReconcileOptions = {},
): Promise<RunSummary> {
  const problem = dayProblem(day);
  if (problem) throw new RangeError(problem);
  const started = performance.now();
  const owner = options.owner ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  await claim(platform, appid, day, owner, options.leaseMs ?? DEFAULT_LEASE_MS);
  const db = reconcileDb(platform.store.db);
  const release = (set: { state: 'done' | 'failed'; summary?: string; error?: string }) =>
    db
      .updateTable('reconcile_runs')
      .set({ ...set, claimed_until: 0, finished_at: platform.clock() })
      .where('appid', '=', appid)
      .where('day', '=', day)
      .where('claimed_by', '=', owner)
      .execute();
  try {
    const after = options.afterStep ?? (() => {});
    const { adapters, codes } = await statementAdapters(platform, appid);
    const channelCount = await loadLines(
      db,
      { appid, day, source: 'channel' },
      channelLines(concatenated(adapters.map((a) => a.statement!(appid, day)))),
    );
    await after('channelLoaded');
    const his = (await platform.apps.find(appid))?.config.depositProvider;
    let hisCount = 0;
    const hisLines =
      options.hisLines ?? (his ? await fetchHisStatement(his, appid, day, platform.clock) : undefined);
    if (hisLines) {
      hisCount = await loadLines(db, { appid, day, source: 'his' }, toAsync(hisLines));
      await after('hisLoaded');
    }
    // Freshly loaded: without statistics PostgreSQL plans the joins as if the lines were a handful (nested scans).
    if (platform.store.dialect === 'postgres') await sql`analyze reconcile_lines`.execute(db);
    const scope: MatchScope = {
      appid,
      day,
      ...beijingDayBounds(day),
      billedCodes: adapters.length > 0 ? codes : [],
      withHis: hisLines !== undefined,
      now: platform.clock(),
    };
    for (const step of differenceSteps(scope)) {
      await step.sql.execute(db);
      await after(step.name);
    }
    const summary: RunSummary = {
      appid,
      day,
      channelLines: channelCount,
      hisLines: hisCount,
      matched: await matchedCounts(db, scope),
      differences: await differenceCounts(platform, appid, day),
      ms: Math.round(performance.now() - started),
    };
    await release({ state: 'done', summary: JSON.stringify(summary) });
    return summary;
  } catch (error) {
    await release({ state: 'failed', error: (error as Error).message }).catch(() => {});
    throw error;
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
