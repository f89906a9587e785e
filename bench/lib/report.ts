import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PgbenchResult } from '../ceilings/pgbench.js';
import type { PlatformFigures, Shape } from './phases.js';
import type { LatencySummary } from './stats.js';
import { round } from './stats.js';
import type { Aggregate } from './workers.js';

export interface DbRun extends PlatformFigures {
  readonly engine: 'sqlite' | 'postgres';
  /** Platform processes serving (src/server/workers.ts); absent in runs before it existed. */
  readonly processes?: number;
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
    pgbench: PgbenchResult | null;
  };
  readonly runs: DbRun[];
  readonly client?: { sm: LatencySummary; aes: LatencySummary };
}

export interface Target {
  readonly what: string;
  readonly figure: string;
  readonly ratio: string;
  readonly target: string;
  readonly met: boolean | null;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BEGIN = '<!-- bench:begin (written by bench/run.ts) -->';
const END = '<!-- bench:end -->';

/** The targets of issue 6, each as a figure, its ratio to a ceiling of the same run, and whether it is met. */
export function targets(r: BenchResult): Target[] {
  const out: Target[] = [];
  const { bareHttp, fastifyNoop, envelopeFloor, sqliteCommitsPerS, pgbench } = r.ceilings;
  const x = (a: number, b: number) => `${round(a / b, 2)}×`;
  for (const run of r.runs) {
    const e = run.engine;
    const processes = run.processes ?? 1;
    const name = processes > 1 ? `${e} (${processes} platform processes)` : e;
    out.push({
      what: `${name}: durable cash recharge, closed loop`,
      figure: `${run.recharge.perSecond}/s`,
      ratio:
        e === 'sqlite'
          ? `${x(run.recharge.perSecond, sqliteCommitsPerS)} raw FULL commits; ${x(run.recharge.perSecond, fastifyNoop.perSecond)} Fastify`
          : pgbench
            ? `${x(run.recharge.perSecond, pgbench.tps)} pgbench TPC-B`
            : 'pgbench missing',
      target: e === 'sqlite' ? '≥ 10,000/s' : '≥ 2× pgbench',
      met:
        e === 'sqlite'
          ? run.recharge.perSecond >= 10_000
          : pgbench
            ? run.recharge.perSecond >= 2 * pgbench.tps
            : null,
    });
    out.push({
      what: `${name}: query, closed loop`,
      figure: `${run.query.perSecond}/s`,
      ratio:
        `${x(run.query.perSecond, fastifyNoop.perSecond)} Fastify; ${x(run.query.perSecond, bareHttp.perSecond)} node:http` +
        (envelopeFloor ? `; ${x(run.query.perSecond, envelopeFloor.perSecond)} envelope floor` : ''),
      target: '≥ 0.5× Fastify',
      met: run.query.perSecond >= 0.5 * fastifyNoop.perSecond,
    });
    out.push({
      what: `${name}: cash refund, closed loop`,
      figure: `${run.refund.perSecond}/s (p99 ${run.refund.p99Ms} ms)`,
      ratio:
        e === 'sqlite'
          ? `${x(run.refund.perSecond, sqliteCommitsPerS)} raw FULL commits`
          : pgbench
            ? `${x(run.refund.perSecond, pgbench.tps)} pgbench`
            : '',
      target: '(no target)',
      met: null,
    });
    out.push({
      what: `${name}: recharge at ${r.shape.openRatePerS}/s open loop, p99`,
      figure: `p50 ${run.openLoopRecharge.p50Ms} / p99 ${run.openLoopRecharge.p99Ms} / max ${run.openLoopRecharge.maxMs} ms`,
      ratio: `${x(r.shape.openRatePerS, e === 'sqlite' ? sqliteCommitsPerS : (pgbench?.tps ?? Number.NaN))} of the engine's ceiling offered`,
      target: 'p99 ≤ 10 ms',
      met: run.openLoopRecharge.p99Ms <= 10,
    });
    const half = run.openLoopHalfLoad;
    out.push({
      what: `${name}: recharge at ${half.ratePerS}/s open loop (half its closed-loop rate)`,
      figure: `p50 ${half.p50Ms} / p99 ${half.p99Ms} / max ${half.maxMs} ms`,
      ratio: `${x(half.ratePerS, e === 'sqlite' ? sqliteCommitsPerS : (pgbench?.tps ?? Number.NaN))} of the engine's ceiling offered`,
      target: '(context for the line above)',
      met: null,
    });
  }
  if (r.client) {
    out.push({
      what: 'payTrans round trip (query, loopback), median',
      figure: `SM ${r.client.sm.p50Ms} ms, AES ${r.client.aes.p50Ms} ms`,
      ratio: 'one call at a time: no same-run ceiling (the envelope alone is ~0.1 ms, bench/envelope.ts)',
      target: '≤ 1 ms',
      met: r.client.sm.p50Ms <= 1,
    });
  }
  return out;
}

function table(r: BenchResult): string {
  const { bareHttp, fastifyNoop, envelopeFloor, sqliteCommitsPerS, pgbench } = r.ceilings;
  const lines = [
    `Run of ${r.at} (${r.machine.cpus} CPUs shared with the load generators, node ${r.machine.node};`,
    `${r.shape.workers} load processes × ${r.shape.connections} connections, ${r.shape.durationMs / 1000} s per phase).`,
    '',
    `Ceilings: bare node:http ${bareHttp.perSecond}/s, Fastify no-op ${fastifyNoop.perSecond}/s` +
      (envelopeFloor
        ? `, envelope floor ${envelopeFloor.perSecond}/s` +
          ((r.ceilings.envelopeFloorProcesses ?? 1) > 1
            ? ` (${r.ceilings.envelopeFloorProcesses} processes)`
            : '')
        : '') +
      `, SQLite synchronous=FULL ${sqliteCommitsPerS} commits/s` +
      (pgbench
        ? `, pgbench TPC-B ${pgbench.tps} tps (-c ${pgbench.clients} -s ${pgbench.scale}).`
        : ', pgbench not run.'),
    '',
    '| what | figure | ratio to ceiling | target | met |',
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
