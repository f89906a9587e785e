import { spawnSync } from 'node:child_process';
import pg from 'pg';

export interface PgbenchResult {
  readonly tps: number;
  readonly clients: number;
  readonly scale: number;
  readonly seconds: number;
}

/** Its own schema, so the tables never meet anyone else's in a shared database. */
const SCHEMA = 'onepay_bench_pgbench';

/**
 * Ceiling: pgbench's built-in TPC-B-like script on the same server, as many
 * clients as the platform's pool has connections, scale = clients (fewer in --quick, where
 * initialising a million rows would dwarf the smoke run). Null when pgbench or the
 * server is missing; the run then reports the PostgreSQL targets as unmeasured.
 */
export async function runPgbench(
  url: string,
  clients: number,
  seconds: number,
  scale: number,
): Promise<PgbenchResult | null> {
  if (spawnSync('pgbench', ['--version']).status !== 0) return null;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  } finally {
    await admin.end();
  }
  const env = { ...process.env, PGOPTIONS: `-c search_path=${SCHEMA}` };
  const init = spawnSync('pgbench', ['-i', '-q', '-s', String(scale), url], { env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  const run = spawnSync(
    'pgbench',
    ['-c', String(clients), '-j', '2', '-T', String(seconds), '-M', 'prepared', '-n', url],
    { env, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr}`);
  const match = /tps = ([\d.]+)/.exec(run.stdout);
  if (!match) throw new Error(`pgbench printed no tps: ${run.stdout}`);
  return { tps: Math.round(Number(match[1])), clients, scale, seconds };
}
