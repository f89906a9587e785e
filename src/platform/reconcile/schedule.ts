import type { Platform } from '../platform.js';
import { beijingDayOf, beijingHourOf } from './day.js';
import { ReconcileBusyError, reconcileDay } from './run.js';
import { reconcileDb } from './tables.js';

/** Alipay publishes the day's bill after 09:00 Beijing time, WeChat Pay after 10:00. */
const DEFAULT_RECONCILE_HOUR = 10;
const TICK_MS = 5 * 60_000;

/** The Beijing hour from ONEPAY_RECONCILE_HOUR (0–23), else the default. */
export function reconcileHour(env: NodeJS.ProcessEnv = process.env): number {
  const text = env['ONEPAY_RECONCILE_HOUR'];
  if (text === undefined || text === '') return DEFAULT_RECONCILE_HOUR;
  const hour = Number(text);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23)
    throw new RangeError(`ONEPAY_RECONCILE_HOUR must be a whole hour 0-23, not ${text}`);
  return hour;
}

/**
 * Once the hour has come, reconciles yesterday (Beijing) for every app whose
 * run of that day is not done. Every platform process may tick: the run's
 * claim (run.ts) lets one of them run a day, the others skip it. A failed run
 * is tried again at the next tick.
 */
export async function reconcileDue(platform: Platform, hour: number): Promise<string[]> {
  const now = platform.clock();
  if (beijingHourOf(now) < hour) return [];
  const day = beijingDayOf(now - 24 * 3600_000);
  const done = new Set(
    (
      await reconcileDb(platform.store.db)
        .selectFrom('reconcile_runs')
        .select('appid')
        .where('day', '=', day)
        .where('state', '=', 'done')
        .execute()
    ).map((r) => r.appid),
  );
  const ran: string[] = [];
  for (const app of await platform.apps.list()) {
    if (done.has(app.appid)) continue;
    try {
      await reconcileDay(platform, app.appid, day);
      ran.push(app.appid);
    } catch (error) {
      if (error instanceof ReconcileBusyError) continue;
      platform.log.warn(
        { err: error, appid: app.appid, day },
        'daily reconciliation failed; tried again later',
      );
    }
  }
  return ran;
}

/** Ticks reconcileDue in the background; stop() waits for a run in progress. */
export function startReconcileSchedule(
  platform: Platform,
  hour = reconcileHour(),
): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = reconcileDue(platform, hour)
      .catch((err: unknown) => platform.log.warn({ err }, 'reconciliation schedule failed'))
      .finally(() => {
        running = undefined;
      });
  }, TICK_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
