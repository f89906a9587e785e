import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PgbenchResult } from '../ceilings/pgbench.js';
import type { PlatformFigures, Shape } from './phases.js';
import type { ScreensFigures } from './screens.js';
import type { StorageBytes } from './seed.js';
import type { SqlFloor } from './sql-floor.js';
import type { LatencySummary } from './stats.js';
import { composedFloorPerS, targets } from './targets.js';
import type { Aggregate } from './workers.js';

export interface DbRun extends PlatformFigures {
  readonly engine: 'sqlite' | 'postgres';
  /** Platform processes serving (src/server/workers.ts); absent in runs before it existed. */
  readonly processes?: number;
  /** The rows the database held before the run (bench --seed-orders, --seed-accounts). */
  readonly seeded?: {
    readonly orders: number;
    readonly accounts: number;
    readonly seconds: number;
    readonly bytes: StorageBytes;
  };
  /** Desks and screens held open during an open loop (bench --screens). */
  readonly screens?: ScreensFigures;
}

export interface BenchResult {
  readonly at: string;
  readonly quick: boolean;
  readonly machine: { cpus: number; node: string };
  readonly shape: Shape & { workers: number };
  readonly sizes: { requestBytes: number; answerBytes: number };
  readonly ceilings: {
    bareHttp: Aggregate;
    fastifyNoop: Aggregate;
    /** HTTP and the envelope, nothing else (ceilings/envelope-floor.ts); absent in runs before it existed. */
    envelopeFloor?: Aggregate;
    /** Processes that served the envelope floor (bench --floor-processes); one when absent. */
    envelopeFloorProcesses?: number;
    sqliteCommitsPerS: number;
    /** The SQL of a durable recharge alone (probes/recharge-sql-floor.ts); absent in runs before it existed. */
    sqlFloor?: SqlFloor;
    pgbench: PgbenchResult | null;
  };
  readonly runs: DbRun[];
  readonly client?: { sm: LatencySummary; aes: LatencySummary };
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BEGIN = '<!-- bench:begin (written by bench/run.ts) -->';
const END = '<!-- bench:end -->';

function ceilingsLine(r: BenchResult): string {
  const { bareHttp, fastifyNoop, envelopeFloor, sqliteCommitsPerS, sqlFloor, pgbench } = r.ceilings;
  const floorProcesses = r.ceilings.envelopeFloorProcesses ?? 1;
  const composed = composedFloorPerS(r);
  const parts = [
    `bare node:http ${bareHttp.perSecond}/s`,
    `Fastify no-op ${fastifyNoop.perSecond}/s`,
    ...(envelopeFloor
      ? [
          `envelope floor ${envelopeFloor.perSecond}/s${floorProcesses > 1 ? ` (${floorProcesses} processes)` : ''}`,
        ]
      : []),
    `SQLite synchronous=FULL ${sqliteCommitsPerS} commits/s`,
    ...(sqlFloor ? [`SQL floor of a recharge ${sqlFloor.wallUs} µs (commit ${sqlFloor.commitUs})`] : []),
    ...(composed ? [`composed floor ${composed}/s`] : []),
    pgbench
      ? `pgbench TPC-B ${pgbench.tps} tps (-c ${pgbench.clients} -s ${pgbench.scale})`
      : 'pgbench not run',
  ];
  return `Floors and ceilings: ${parts.join(', ')}.`;
}

function table(r: BenchResult): string {
  const lines = [
    `Run of ${r.at} (${r.machine.cpus} CPUs shared with the load generators, node ${r.machine.node};`,
    `${r.shape.workers} load processes × ${r.shape.connections} connections, ${r.shape.durationMs / 1000} s per phase).`,
    '',
    ceilingsLine(r),
    '',
    '| what | figure | ratio | target | met |',
    '|---|---|---|---|---|',
    ...targets(r).map(
      (t) =>
        `| ${t.what} | ${t.figure} | ${t.ratio} | ${t.target} | ${t.met === null ? '—' : t.met ? 'yes' : 'no'} |`,
    ),
  ];
  return lines.join('\n');
}

/** Writes the JSON (bench/results/<timestamp>.json, or the temp dir for quick runs) and, when asked, the docs table. */
export function writeResults(r: BenchResult, options: { docs: boolean }): string {
  const dir = r.quick ? tmpdir() : join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${r.at.replace(/[:.]/g, '-')}${r.quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify({ ...r, targets: targets(r) }, null, 2)}\n`);
  if (options.docs) {
    const docs = join(ROOT, 'docs', 'benchmarks.md');
    let text: string;
    try {
      text = readFileSync(docs, 'utf8');
    } catch {
      text = `# Benchmarks\n\n${BEGIN}\n${END}\n`;
    }
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    const block = `${BEGIN}\n${table(r)}\n${END}`;
    text =
      start >= 0 && end > start
        ? text.slice(0, start) + block + text.slice(end + END.length)
        : `${text}\n${block}\n`;
    writeFileSync(docs, text);
  }
  console.log(table(r));
  return file;
}

export async function dropSchemaQuietly(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } catch {
    // A leftover bench schema is harmless; the run's figures matter more than its cleanup.
  } finally {
    await client.end().catch(() => {});
  }
}
