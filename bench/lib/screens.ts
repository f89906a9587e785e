import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { HEARTBEAT_MS, quietRereadMs } from '../../src/web/shared/sse.js';
import type { Credentials } from './requests.js';
import type { HolderCommand } from './screen-holder.js';
import type { ServerProcess } from './spawn.js';
import { type LatencySummary, median, round } from './stats.js';
import type { Aggregate } from './workers.js';

const HOLDER = fileURLToPath(new URL('./screen-holder.ts', import.meta.url));

/**
 * A stream is starved when it went longer than this without an event or a
 * heartbeat: a quiet stream gets ": still here" once HEARTBEAT_MS passed,
 * checked at each re-read (quietRereadMs of the streams open), and a second
 * re-read's worth of slack is left for a loaded event loop.
 */
export function starvedAfterMs(streams: number): number {
  return HEARTBEAT_MS + 2 * quietRereadMs(streams);
}

/** The open loop runs this long with the streams open: every quiet stream owes a heartbeat within it. */
export function screensHoldMs(streams: number, atLeastMs: number): number {
  return Math.max(atLeastMs, HEARTBEAT_MS + quietRereadMs(streams) + 5_000);
}

export interface ScreensFigures {
  /** Streams asked for: this many desks and as many screens. */
  readonly asked: number;
  readonly desks: number;
  readonly screens: number;
  /** Streams the platform refused, by HTTP status. */
  readonly refused: Record<string, number>;
  /** Open to first event, over every stream opened. */
  readonly firstEvent: LatencySummary;
  /** The platform's onepay_open_streams once all were open. */
  readonly openStreamsMetric: number;
  /** The platform process's growth per open stream (RSS; used heap, median of three scrapes). */
  readonly rssBytesPerStream: number;
  readonly heapBytesPerStream: number;
  /** Cores the platform process used holding the streams with no calls (their re-reads and heartbeats). */
  readonly idleCores: number;
  readonly holdMs: number;
  readonly openLoop: Aggregate;
  readonly starved: number;
  readonly starvedAfterMs: number;
  readonly longestSilenceMs: number;
}

/** The holder process (screen-holder.ts), one command at a time. */
class Holder {
  private constructor(private readonly child: ChildProcess) {}

  static start(): Promise<Holder> {
    return new Promise((resolve, reject) => {
      const child = fork(HOLDER, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.once('message', () => resolve(new Holder(child)));
      child.once('error', reject);
    });
  }

  ask<T>(command: HolderCommand): Promise<T> {
    return new Promise((resolve, reject) => {
      this.child.once('message', (msg: { ok: boolean; result?: T; error?: string }) => {
        if (msg.ok) resolve(msg.result as T);
        else reject(new Error(msg.error ?? 'screen holder failed'));
      });
      this.child.send(command);
    });
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

/** CPU seconds (user + system) the process has used so far, from Linux /proc. */
function cpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** How long the streams are held with no load, to see what they alone cost the platform's CPU. */
const IDLE_HOLD_MS = 10_000;

/** The platform process's resident set (Linux /proc) and, from /metrics, its used heap and open streams. */
async function platformMemory(
  server: ServerProcess,
): Promise<{ rss: number; heap: number; streams: number }> {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
  const token = process.env['ONEPAY_OPERATOR_TOKEN'];
  const text = await (
    await fetch(`${server.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {})
  ).text();
  const sum = (name: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(name))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  return { rss, heap: sum('nodejs_heap_size_used_bytes'), streams: sum('onepay_open_streams') };
}

/**
 * Three samples, each after asking the platform process to collect its
 * garbage (bench/lib/platform-process.ts, --expose-gc): the heap then holds
 * what the streams keep, not what their last re-reads left behind.
 */
async function settledMemory(server: ServerProcess) {
  const samples = [];
  for (let i = 0; i < 3; i++) {
    server.child.kill('SIGUSR2');
    await delay(500);
    samples.push(await platformMemory(server));
  }
  return {
    rss: median(samples.map((s) => s.rss)),
    heap: median(samples.map((s) => s.heap)),
    streams: median(samples.map((s) => s.streams)),
  };
}

/**
 * Issue 19 target 6: `count` desks and `count` extension screens hold their
 * live streams open (in a process of their own) while the open loop runs at
 * its rate for `holdMs`. `openLoop` runs that loop. The platform's memory is
 * read before the streams open and once they all are; every stream's longest
 * silence is read at the end. The platform must run with BENCH_GC_ON_SIGNAL=1
 * and --expose-gc (its memory samples collect garbage first).
 */
export async function screensPhase(
  server: ServerProcess,
  creds: Credentials,
  count: number,
  holdMs: number,
  openLoop: (durationMs: number) => Promise<Aggregate>,
  log: (text: string) => void,
): Promise<ScreensFigures> {
  const holder = await Holder.start();
  try {
    const prepared = await holder.ask<{ desks: number; failures: string[] }>({
      cmd: 'prepare',
      base: server.url,
      creds,
      count,
    });
    log(
      `  screens: ${prepared.desks} desk orders ready ${prepared.failures.length ? JSON.stringify(prepared.failures) : ''}`,
    );
    const before = await settledMemory(server);
    const opened = await holder.ask<{
      desks: number;
      screens: number;
      refused: Record<string, number>;
      firstEvent: LatencySummary;
    }>({ cmd: 'open' });
    const after = await settledMemory(server);
    const streams = opened.desks + opened.screens;
    log(
      `  screens: ${opened.desks} desks + ${opened.screens} screens open (refused ${JSON.stringify(opened.refused)}), ` +
        `first event p99 ${opened.firstEvent.p99Ms} ms; platform RSS +${Math.round((after.rss - before.rss) / 1024)} KB, ` +
        `heap +${Math.round((after.heap - before.heap) / 1024)} KB, onepay_open_streams ${after.streams}`,
    );
    const cpuBefore = cpuSeconds(server.child.pid);
    await delay(IDLE_HOLD_MS);
    const idleCores = round((cpuSeconds(server.child.pid) - cpuBefore) / (IDLE_HOLD_MS / 1000), 3);
    log(`  screens: held ${IDLE_HOLD_MS / 1000} s with no calls: the platform used ${idleCores} of a core`);
    const loop = await openLoop(holdMs);
    const seen = await holder.ask<{ silencesMs: (number | null)[] }>({ cmd: 'report' });
    const bound = starvedAfterMs(streams);
    const starved = seen.silencesMs.filter((s) => s === null || s > bound).length;
    const longest = Math.max(0, ...seen.silencesMs.map((s) => s ?? Number.POSITIVE_INFINITY));
    await holder.ask({ cmd: 'close' });
    const per = (delta: number) => (streams > 0 ? Math.round(delta / streams) : Number.NaN);
    return {
      asked: count,
      desks: opened.desks,
      screens: opened.screens,
      refused: opened.refused,
      firstEvent: opened.firstEvent,
      openStreamsMetric: after.streams,
      rssBytesPerStream: per(after.rss - before.rss),
      heapBytesPerStream: per(after.heap - before.heap),
      idleCores,
      holdMs,
      openLoop: loop,
      starved,
      starvedAfterMs: bound,
      longestSilenceMs: round(longest, 0),
    };
  } finally {
    holder.stop();
  }
}
