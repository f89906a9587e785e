/**
 * A platform worker forked by workers.ts: serves with the options its primary
 * passed, tells the primary where it listens, and closes cleanly when told
 * to stop or when the primary is gone.
 */
import { replaysReachOtherProcesses } from '../platform/events/desk-waits.js';
import { createLogger } from '../platform/log/logger.js';
import { startPlatform } from './serve.js';
import { WORKER_OPTIONS_ENV, type WorkerOptions } from './workers.js';

// The primary's other workers take replays of the same desks: this one cannot tell when a HIS gave up.
replaysReachOtherProcesses();
const raw = process.env[WORKER_OPTIONS_ENV];
if (!raw || !process.send) throw new Error('worker-entry runs only as a platform worker (workers.ts)');
const { logLevel, ...options } = JSON.parse(raw) as WorkerOptions;
const running = await startPlatform({
  ...options,
  announce: false,
  log: createLogger(logLevel ? { level: logLevel } : {}),
});
process.send({ listening: running.url });

let stopping = false;
const stop = () => {
  // Ctrl-C reaches every process of the group and the primary forwards SIGTERM too: close once.
  if (stopping) return;
  stopping = true;
  running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
