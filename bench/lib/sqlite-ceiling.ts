import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../ceilings/sqlite-commits.ts', import.meta.url));

/** Runs the raw-commit ceiling in its own process, so nothing else shares its event loop. */
export function sqliteCeiling(dir: string, durationMs: number): number {
  const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, dir, String(durationMs)], {
    encoding: 'utf8',
    timeout: durationMs + 60_000,
  });
  if (run.status !== 0) throw new Error(`sqlite ceiling failed: ${run.stderr}`);
  return (JSON.parse(run.stdout.trim()) as { commitsPerS: number }).commitsPerS;
}
