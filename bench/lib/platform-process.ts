/**
 * Entry of a platform process for benchmarks and process-level tests
 * (crash, model, security): startPlatform with a config from the environment,
 * then one line `{"listening":"http://…"}` on stdout. Not the CLI, because
 * tests need a fresh PostgreSQL schema and shortened sweep settings, which
 * the CLI does not expose.
 */
import { createLogger } from '../../src/platform/log/logger.js';
import { type ServeOptions, startPlatform } from '../../src/server/serve.js';
import { serveWithWorkers } from '../../src/server/workers.js';

export interface PlatformProcessConfig {
  readonly db: string;
  readonly dataDir: string;
  readonly devApps: readonly string[];
  readonly pgSchema?: string;
  readonly port?: number;
  readonly logLevel?: string;
  readonly settings?: ServeOptions['settings'];
  /** Platform processes on the port (PostgreSQL only, src/server/workers.ts); 1 when absent. */
  readonly workers?: number;
}

// BENCH_SQL_TIMING=1: database time by statement on stderr every 2 s (docs/benchmarks.md).
// Imported before the platform starts, because it wraps statements as they are prepared.
if (process.env['BENCH_SQL_TIMING'] === '1') {
  const { takeStatementTimes } = await import('../probes/sql-timing.js');
  setInterval(() => {
    const lines = takeStatementTimes()
      .slice(0, 10)
      .map((t) => `${t.ms.toFixed(0).padStart(6)} ms ${String(t.calls).padStart(6)}× ${t.sql.slice(0, 90)}`);
    if (lines.length > 0) process.stderr.write(`--- database time, last 2 s\n${lines.join('\n')}\n`);
  }, 2_000).unref();
}

// BENCH_STALLS=1: the event loop's stalls a second on stderr, split by what the thread was doing.
if (process.env['BENCH_STALLS'] === '1') (await import('./stall-watch.js')).watchStalls();

// BENCH_GC_ON_SIGNAL=1 (with --expose-gc): SIGUSR2 collects garbage, so the bench reads live memory (bench --screens).
if (process.env['BENCH_GC_ON_SIGNAL'] === '1') {
  process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
}

const raw = process.env['ONEPAY_PROCESS_CONFIG'];
if (!raw) throw new Error('ONEPAY_PROCESS_CONFIG is not set');
const config = JSON.parse(raw) as PlatformProcessConfig;
const options = {
  port: config.port ?? 0,
  db: config.db,
  dataDir: config.dataDir,
  devApps: config.devApps,
  ...(config.pgSchema ? { pgSchema: config.pgSchema } : {}),
  ...(config.settings ? { settings: config.settings } : {}),
};
const level = config.logLevel ?? 'warn';
const running =
  (config.workers ?? 1) > 1
    ? await serveWithWorkers({ ...options, logLevel: level }, config.workers ?? 1, createLogger({ level }))
    : await startPlatform({ ...options, log: createLogger({ level }) });
process.stdout.write(`${JSON.stringify({ listening: running.url })}\n`);
const stop = () => {
  running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
