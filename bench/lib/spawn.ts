import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PlatformProcessConfig } from './platform-process.js';

const ENTRY = fileURLToPath(new URL('./platform-process.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/** Log lines kept for inspection; a long run's logs must not grow the parent without bound. */
const MAX_KEPT_LINES = 200_000;

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Every stdout line that was not the listening line (pino's JSON log lines). */
  readonly lines: string[];
  /** SIGTERM, then SIGKILL if it does not leave in time. */
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/**
 * Starts a node script that prints one JSON line carrying `listening` (URL)
 * or `port`, and resolves once it did. Extra node flags (e.g. --cpu-prof)
 * go in `nodeArgs`.
 */
export function spawnServer(
  script: string,
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
  startTimeoutMs = START_TIMEOUT_MS,
): Promise<ServerProcess> {
  // A compiled script (bench/lib/compiled.ts) runs as it is; a .ts one through tsx.
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start in ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.on('line', (line) => {
      if (line.startsWith('{"listening"') || line.startsWith('{"port"')) {
        clearTimeout(timer);
        const info = JSON.parse(line) as { listening?: string; port?: number };
        const url = info.listening ?? `http://127.0.0.1:${info.port}`;
        const finish = async (signal: NodeJS.Signals) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill(signal);
          const timeout = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
          await exited;
          clearTimeout(timeout);
        };
        resolve({
          url,
          port: Number(new URL(url).port),
          child,
          lines,
          stop: () => finish('SIGTERM'),
          kill: () => finish('SIGKILL'),
        });
      } else if (lines.length < MAX_KEPT_LINES) {
        lines.push(line);
      }
    });
  });
}

/** A platform process; `entry` is this file's compiled twin when the caller compiled it (bench/lib/compiled.ts). */
export function spawnPlatform(
  config: PlatformProcessConfig,
  nodeArgs: readonly string[] = [],
  env: Record<string, string> = {},
  entry: (tsFile: string) => string = (tsFile) => tsFile,
) {
  // Each platform process of several starts on its own (tsx compiling it on a busy machine): the wait is per process.
  const timeout = START_TIMEOUT_MS * Math.max(1, config.workers ?? 1);
  return spawnServer(
    entry(ENTRY),
    { ...env, ONEPAY_PROCESS_CONFIG: JSON.stringify(config) },
    nodeArgs,
    timeout,
  );
}
