import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../platform/log/logger.js';
import { serveClusterMetrics } from '../platform/metrics/cluster.js';
import { openPlatform, type ServeOptions, serveDbUrl } from './serve.js';

/** What a worker needs to serve: ServeOptions without the logger, which cannot cross processes. */
export type WorkerOptions = Omit<ServeOptions, 'log' | 'devApps'> & { readonly logLevel?: string };

/** The environment variable carrying WorkerOptions to a worker (worker-entry.ts). */
export const WORKER_OPTIONS_ENV = 'ONEPAY_WORKER_OPTIONS';

/** A worker that dies unasked is replaced after this pause, so a worker that cannot start does not spin. */
const RESTART_PAUSE_MS = 1_000;
const STOP_TIMEOUT_MS = 15_000;

export interface Workers {
  readonly url: string;
  /** Worker processes serving now. */
  readonly pids: () => readonly number[];
  close(): Promise<void>;
}

/**
 * Several platform processes on one port (node:cluster hands each new
 * connection to the next worker), so a platform on PostgreSQL uses more than
 * one core: one Node process is one thread of JavaScript, and on the
 * benchmark machine that thread, not the database, is what every figure
 * runs into (docs/benchmarks.md). PostgreSQL decides everything the
 * processes share (nonce claims, merchant numbers, balances; the model test
 * runs two processes), and the screens' event streams re-read the database.
 * SQLite is refused: one process owns the file (store/sqlite-owner.ts).
 *
 * The primary prepares once (migrations, master key, development apps), then
 * forks; it serves nothing itself. A worker that dies unasked is replaced.
 */
export async function serveWithWorkers(
  options: ServeOptions & { readonly logLevel?: string },
  count: number,
  log: Logger,
): Promise<Workers> {
  if (!serveDbUrl(options).startsWith('postgres')) {
    throw new Error('--workers needs PostgreSQL: one process serves a SQLite file (use --workers 1)');
  }
  const prepared = await openPlatform(options, log);
  await prepared.store.close();

  const { log: _log, devApps: _devApps, ...shared } = options;
  const here = fileURLToPath(import.meta.url);
  cluster.setupPrimary({
    // The same extension as this file: .ts under tsx (development, tests), .js once built.
    exec: here.replace(/workers\.(ts|js)$/, 'worker-entry.$1'),
    execArgv: withoutInlineScript(process.execArgv),
    args: [],
  });
  let stopping = false;
  const urls = new Map<Worker, string>();
  // A scrape of /metrics reaches one worker; the primary gathers everyone's for it.
  serveClusterMetrics();

  const fork = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({
        [WORKER_OPTIONS_ENV]: JSON.stringify({
          ...shared,
          prepared: true,
          clusterWorker: true,
        } satisfies WorkerOptions),
      });
      worker.on('message', (message: { listening?: string }) => {
        if (!message.listening) return;
        urls.set(worker, message.listening);
        resolve(message.listening);
      });
      worker.once('exit', (code, signal) => {
        const served = urls.delete(worker);
        if (!served) reject(new Error(`a platform worker exited before listening (code ${code}, ${signal})`));
        if (stopping || !served) return;
        log.error({ pid: worker.process.pid, code, signal }, 'platform worker died; starting another');
        replace();
      });
    });

  // Until one starts: a database down for a while must not leave the platform a worker short.
  // Not unref'd: with every worker gone, this timer is what keeps the primary alive.
  const replace = (): void => {
    setTimeout(() => {
      if (stopping) return;
      fork().catch((err: unknown) => {
        log.error({ err }, 'platform worker did not start; trying again');
        replace();
      });
    }, RESTART_PAUSE_MS);
  };

  const stopAll = async () => {
    stopping = true;
    const living = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(
      living.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  };

  let first: string;
  try {
    [first] = (await Promise.all(Array.from({ length: count }, fork))) as [string];
  } catch (error) {
    await stopAll();
    throw error;
  }
  log.info({ url: first, workers: count }, 'onepay platform listening');
  return {
    url: first,
    pids: () => [...urls.keys()].map((w) => w.process.pid ?? 0),
    close: async () => {
      await stopAll();
      log.info({ url: first, workers: count }, 'onepay platform stopped');
    },
  };
}

/** The primary's node flags without an inline script (-e, -p), which the worker would run instead of its entry. */
function withoutInlineScript(flags: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i] as string;
    if (['-e', '--eval', '-p', '--print'].includes(flag)) i++;
    else if (!/^--(eval|print)=/.test(flag)) kept.push(flag);
  }
  return kept;
}
