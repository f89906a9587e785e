import type { BenchResult } from './report.js';
import { curveTargets, dataTarget, screensTarget } from './scale-targets.js';
import { round } from './stats.js';

/** One line of the bench's table: a figure, its ratio to a floor or ceiling of the same run, and the verdict. */
export interface Target {
  readonly what: string;
  readonly figure: string;
  readonly ratio: string;
  readonly target: string;
  /** null: a line of context, or a target this run does not measure. */
  readonly met: boolean | null;
}

/** Issue 19's open-loop bound, at 1,000/s on each engine. */
const P99_BOUND_MS = 10;

/**
 * The composed floor of a durable SQLite recharge: one thread doing only the
 * envelope (its floor's time a request) and the recharge's SQL (the SQL
 * floor's time) one after the other, nothing else: 1 / (envelope + SQL).
 */
export function composedFloorPerS(r: BenchResult): number | undefined {
  const { envelopeFloor, sqlFloor } = r.ceilings;
  if (!envelopeFloor || !sqlFloor) return undefined;
  return Math.round(1 / (1 / envelopeFloor.perSecond + sqlFloor.wallUs / 1e6));
}

const times = (a: number, b: number) => `${round(a / b, 2)}×`;

type Run = BenchResult['runs'][number];

/** Target 1 (SQLite, against the composed floor) or 3 (PostgreSQL, against pgbench). */
function rechargeTarget(r: BenchResult, run: Run, name: string): Target {
  const { sqliteCommitsPerS, pgbench } = r.ceilings;
  const figure = `${run.recharge.perSecond}/s`;
  if (run.engine === 'sqlite') {
    const composed = composedFloorPerS(r);
    return {
      what: `1. ${name}: durable cash recharge, closed loop`,
      figure,
      ratio:
        (composed
          ? `${times(run.recharge.perSecond, composed)} composed floor (${composed}/s)`
          : 'no floor') + `; ${times(run.recharge.perSecond, sqliteCommitsPerS)} raw FULL commits`,
      target: '≥ 0.8× composed floor',
      met: composed ? run.recharge.perSecond >= 0.8 * composed : null,
    };
  }
  return {
    what: `3. ${name}: durable cash recharge, closed loop`,
    figure,
    ratio: pgbench ? `${times(run.recharge.perSecond, pgbench.tps)} pgbench TPC-B` : 'pgbench not run',
    target: '≥ 1.5× pgbench',
    met: pgbench ? run.recharge.perSecond >= 1.5 * pgbench.tps : null,
  };
}

/** Target 2: query against the one-process envelope floor. */
function queryTarget(r: BenchResult, run: Run, name: string): Target {
  const { fastifyNoop, envelopeFloor } = r.ceilings;
  const floorProcesses = r.ceilings.envelopeFloorProcesses ?? 1;
  const ofFloor = envelopeFloor
    ? `${times(run.query.perSecond, envelopeFloor.perSecond)} envelope floor` +
      (floorProcesses > 1 ? ` of ${floorProcesses} processes` : '')
    : 'no envelope floor';
  return {
    what: `2. ${name}: query, closed loop`,
    figure: `${run.query.perSecond}/s`,
    ratio: `${ofFloor}; ${times(run.query.perSecond, fastifyNoop.perSecond)} Fastify`,
    target: '≥ 0.8× one-process envelope floor',
    // The target is against one process's floor: a floor of several is another yardstick.
    met: envelopeFloor && floorProcesses === 1 ? run.query.perSecond >= 0.8 * envelopeFloor.perSecond : null,
  };
}

/** Target 4: the open loop's p99 at 1,000/s. */
function openLoopTarget(r: BenchResult, run: Run, name: string): Target {
  const open = run.openLoopRecharge;
  return {
    what: `4. ${name}: recharge at ${r.shape.openRatePerS}/s open loop`,
    figure: `p50 ${open.p50Ms} / p99 ${open.p99Ms} / max ${open.maxMs} ms`,
    ratio: `p99 ${times(open.p99Ms, P99_BOUND_MS)} the bound`,
    target: `p99 ≤ ${P99_BOUND_MS} ms (in each of five runs)`,
    met: open.p99Ms <= P99_BOUND_MS,
  };
}

/** Figures without a target of their own: refunds and the open loop at half the closed-loop rate. */
function contextLines(r: BenchResult, run: Run, name: string): Target[] {
  const { sqliteCommitsPerS, pgbench } = r.ceilings;
  const refundRatio =
    run.engine === 'sqlite'
      ? `${times(run.refund.perSecond, sqliteCommitsPerS)} raw FULL commits`
      : pgbench
        ? `${times(run.refund.perSecond, pgbench.tps)} pgbench`
        : '';
  const half = run.openLoopHalfLoad;
  return [
    {
      what: `${name}: cash refund, closed loop`,
      figure: `${run.refund.perSecond}/s (p99 ${run.refund.p99Ms} ms)`,
      ratio: refundRatio,
      target: '(context)',
      met: null,
    },
    {
      what: `${name}: recharge at ${half.ratePerS}/s open loop (half its closed-loop rate)`,
      figure: `p50 ${half.p50Ms} / p99 ${half.p99Ms} / max ${half.maxMs} ms`,
      ratio: '',
      target: '(context)',
      met: null,
    },
  ];
}

/** Issue 19's targets (each a ratio within this run), lines of context, and which targets this run did not measure. */
export function targets(r: BenchResult): Target[] {
  const out: Target[] = [];
  for (const run of r.runs) {
    const processes = run.processes ?? 1;
    const name = processes > 1 ? `${run.engine} (${processes} platform processes)` : run.engine;
    out.push(rechargeTarget(r, run, name), queryTarget(r, run, name), openLoopTarget(r, run, name));
    const data = dataTarget(r.runs, run);
    if (data) out.push(data);
    const screens = screensTarget(run);
    if (screens) out.push(screens);
    out.push(...contextLines(r, run, name));
  }
  if (!r.runs.some((run) => run.screens)) {
    out.push({
      what: '6. cost as terminals grow (2,000 desks and 2,000 screens open)',
      figure: '—',
      ratio: 'not measured by this run (--screens 2000)',
      target: 'p99 ≤ 20 ms, < 50 KB a screen, none starved',
      met: null,
    });
  }
  out.push(...curveTargets(r, r.machine.cpus));
  if (r.client) {
    out.push({
      what: 'payTrans round trip (query, loopback), median',
      figure: `SM ${r.client.sm.p50Ms} ms, AES ${r.client.aes.p50Ms} ms`,
      ratio: 'one call at a time (the envelope alone is ~0.1 ms, bench/envelope.ts)',
      target: '(context)',
      met: null,
    });
  }
  return out;
}
