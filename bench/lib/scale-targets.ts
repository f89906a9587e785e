import type { BenchResult } from './report.js';
import { round } from './stats.js';
import type { Target } from './targets.js';

type Run = BenchResult['runs'][number];

const times = (a: number, b: number) => `${round(a / b, 2)}×`;
const nameOf = (run: Run) =>
  (run.processes ?? 1) > 1 ? `${run.engine} (${run.processes} platform processes)` : run.engine;

/** Issue 19 target 5: a seeded run's figures stay within this fraction of the empty database's. */
const DATA_TOLERANCE = 0.1;
/** Issue 19 target 6: the open loop's p99 with every screen open, and a screen's cost. */
const SCREENS_P99_BOUND_MS = 20;
const SCREEN_BYTES_BOUND = 50 * 1024;

/** The empty-database run this seeded one is compared with: same engine and processes, the nearest before it. */
function emptyTwin(runs: readonly Run[], seeded: Run): Run | undefined {
  const at = runs.indexOf(seeded);
  const twins = runs.filter(
    (r, i) =>
      !r.seeded && r.engine === seeded.engine && (r.processes ?? 1) === (seeded.processes ?? 1) && i !== at,
  );
  return twins.filter((r) => runs.indexOf(r) < at).pop() ?? twins[0];
}

/**
 * Target 5 on a seeded run: each closed-loop rate at least 0.9× the empty
 * database's, the open loop's p99 at most 1.1× (and the bytes a row costs).
 */
export function dataTarget(runs: readonly Run[], run: Run): Target | undefined {
  const seeded = run.seeded;
  const what = `5. ${nameOf(run)}: cost as data grows`;
  if (!seeded) {
    // An empty run with a seeded twin is that twin's yardstick, reported on the twin's line.
    if (runs.some((r) => r.seeded && emptyTwin(runs, r) === run)) return undefined;
    return {
      what: `${what} (10 M orders, 1 M accounts)`,
      figure: 'empty database',
      ratio: 'not measured by this run (--seed-orders, --seed-accounts, --compare-empty)',
      target: 'within 10 % of the empty database',
      met: null,
    };
  }
  const bytes = `${seeded.bytes.perOrder} B an order, ${seeded.bytes.perJournalEntry} B a journal entry, ${seeded.bytes.perAccount} B an account`;
  const head = `${what}: ${seeded.orders} orders, ${seeded.accounts} accounts (seeded in ${seeded.seconds} s)`;
  const empty = emptyTwin(runs, run);
  if (!empty) {
    return {
      what: head,
      figure: bytes,
      ratio: 'no empty-database run to compare with (--compare-empty)',
      target: 'within 10 % of the empty database',
      met: null,
    };
  }
  const rates = (['recharge', 'query', 'refund'] as const).map((k) => ({
    k,
    ratio: run[k].perSecond / empty[k].perSecond,
  }));
  const p99Ratio = run.openLoopRecharge.p99Ms / empty.openLoopRecharge.p99Ms;
  const met = rates.every((r) => r.ratio >= 1 - DATA_TOLERANCE) && p99Ratio <= 1 + DATA_TOLERANCE;
  return {
    what: head,
    figure:
      `${rates.map((r) => `${r.k} ${run[r.k].perSecond}/s`).join(', ')}, open-loop p99 ${run.openLoopRecharge.p99Ms} ms; ` +
      bytes,
    ratio:
      `of the empty database: ${rates.map((r) => `${r.k} ${times(run[r.k].perSecond, empty[r.k].perSecond)}`).join(', ')}, ` +
      `open-loop p99 ${times(run.openLoopRecharge.p99Ms, empty.openLoopRecharge.p99Ms)}`,
    target: 'rates ≥ 0.9×, p99 ≤ 1.1× the empty database',
    met,
  };
}

/** Target 6 on a run that held screens open. */
export function screensTarget(run: Run): Target | undefined {
  const s = run.screens;
  if (!s) return undefined;
  const open = s.desks + s.screens;
  const perStream = Math.max(s.rssBytesPerStream, s.heapBytesPerStream);
  const refused = Object.entries(s.refused)
    .map(([status, n]) => `${n}× ${status}`)
    .join(', ');
  const allOpen = open === 2 * s.asked;
  return {
    what: `6. ${nameOf(run)}: ${s.asked} desks + ${s.asked} screens open, recharge at 1000/s open loop for ${s.holdMs / 1000} s`,
    figure:
      `${open} streams open${refused ? ` (refused: ${refused})` : ''}; p50 ${s.openLoop.p50Ms} / p99 ${s.openLoop.p99Ms} ms; ` +
      `${round(s.rssBytesPerStream / 1024, 1)} KB RSS, ${round(s.heapBytesPerStream / 1024, 1)} KB heap a stream; ` +
      `${s.starved} starved (longest silence ${s.longestSilenceMs} ms)`,
    ratio: `p99 ${times(s.openLoop.p99Ms, SCREENS_P99_BOUND_MS)} the bound; memory ${times(perStream, SCREEN_BYTES_BOUND)} the bound`,
    target: `all open, p99 ≤ ${SCREENS_P99_BOUND_MS} ms, < 50 KB a stream, none silent > ${s.starvedAfterMs / 1000} s`,
    met:
      allOpen &&
      s.openLoop.p99Ms <= SCREENS_P99_BOUND_MS &&
      perStream < SCREEN_BYTES_BOUND &&
      s.starved === 0,
  };
}

/**
 * Target 7: PostgreSQL's figures by platform processes, each against the
 * one-process run of the same invocation (empty databases only).
 */
export function curveTargets(r: BenchResult, cores: number): Target[] {
  const pg = r.runs.filter((run) => run.engine === 'postgres' && !run.seeded);
  const byCount = new Map(pg.map((run) => [run.processes ?? 1, run]));
  const one = byCount.get(1);
  if (byCount.size < 2 || !one) {
    return [
      {
        what: `7. platform processes from 1 to the cores (${cores})`,
        figure: '—',
        ratio: 'not measured by this run (--db postgres://… --workers-curve)',
        target: 'the curve reported',
        met: null,
      },
    ];
  }
  const counts = [...byCount.keys()].sort((a, b) => a - b);
  const lines: Target[] = counts.map((n) => {
    const run = byCount.get(n) as Run;
    return {
      what: `7. postgres with ${n} platform process${n > 1 ? 'es' : ''}`,
      figure: `recharge ${run.recharge.perSecond}/s, query ${run.query.perSecond}/s, open-loop p99 ${run.openLoopRecharge.p99Ms} ms`,
      ratio: `of 1 process: recharge ${times(run.recharge.perSecond, one.recharge.perSecond)}, query ${times(run.query.perSecond, one.query.perSecond)}`,
      target: '(the curve)',
      met: null,
    };
  });
  lines.push({
    what: `7. the curve, 1 to ${cores} processes`,
    figure: `${counts.length} points`,
    ratio: counts.join(', '),
    target: 'the curve reported',
    met: counts.length === cores && counts.every((n, i) => n === i + 1),
  });
  return lines;
}
