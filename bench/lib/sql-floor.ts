import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../probes/recharge-sql-floor.ts', import.meta.url));

/** The SQL floor of a durable recharge on SQLite, a recharge's share in µs (probes/recharge-sql-floor.ts). */
export interface SqlFloor {
  /** Wall time a recharge: the statements and its share of a FULL commit of 32. */
  readonly wallUs: number;
  /** Of which the COMMIT (the fsync of the pages written). */
  readonly commitUs: number;
  readonly cpuUs: number;
}

/** Runs the probe in its own process, as the other ceilings, so nothing shares its thread. */
export function sqlFloor(recharges: number): SqlFloor {
  const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, String(recharges), '--json'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (run.status !== 0) throw new Error(`SQL floor probe failed: ${run.stderr}`);
  const floor = JSON.parse(run.stdout.trim()) as SqlFloor;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { wallUs: round(floor.wallUs), commitUs: round(floor.commitUs), cpuUs: round(floor.cpuUs) };
}
