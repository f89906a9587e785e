import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

/**
 * BENCH_STALLS=1: what the platform's main thread was doing when its event
 * loop stopped. A 1 ms timer; a gap of more than STALL_MS between two ticks
 * is split, from the kernel's count for the thread (/proc/<pid>/task/<pid>/schedstat),
 * into time on a core (the platform's own work; the garbage collector's part
 * from Node's gc entries), time runnable but waiting for a core (the machine
 * busy with other processes), and the rest: asleep in a system call (fsync,
 * a checkpoint's writes). One summary a second on stderr, with the wall
 * clock, so it can be laid beside the bench's phases (printed by run.ts with
 * the same variable set).
 */
const STALL_MS = 5;
const TICK_MS = 1;

interface Sched {
  readonly cpuMs: number;
  readonly waitMs: number;
}

function readSched(): Sched | undefined {
  try {
    const [cpu, wait] = readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(' ');
    return { cpuMs: Number(cpu) / 1e6, waitMs: Number(wait) / 1e6 };
  } catch {
    return undefined; // not Linux: the gaps are still counted, not split
  }
}

export function watchStalls(): void {
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });

  const window = { stalls: 0, stalledMs: 0, worstMs: 0, cpuMs: 0, waitMs: 0, gcMs: 0 };
  let last = performance.now();
  let sched = readSched();
  let gcAtLast = gcMs;
  setInterval(() => {
    const now = performance.now();
    const next = readSched();
    const gap = now - last - TICK_MS;
    if (gap > STALL_MS) {
      window.stalls++;
      window.stalledMs += gap;
      window.worstMs = Math.max(window.worstMs, gap);
      if (sched && next) {
        window.cpuMs += next.cpuMs - sched.cpuMs;
        window.waitMs += next.waitMs - sched.waitMs;
      }
      window.gcMs += gcMs - gcAtLast;
    }
    last = now;
    sched = next;
    gcAtLast = gcMs;
  }, TICK_MS).unref();

  setInterval(() => {
    if (window.stalls > 0) {
      const asleep = Math.max(0, window.stalledMs - window.cpuMs - window.waitMs);
      process.stderr.write(
        `stalls ${new Date().toISOString()} ${window.stalls} over ${STALL_MS} ms, ${window.stalledMs.toFixed(0)} ms in all (worst ${window.worstMs.toFixed(1)}): on a core ${window.cpuMs.toFixed(0)} (GC ${window.gcMs.toFixed(0)}), waiting for a core ${window.waitMs.toFixed(0)}, asleep in a call ${asleep.toFixed(0)}\n`,
      );
    }
    Object.assign(window, { stalls: 0, stalledMs: 0, worstMs: 0, cpuMs: 0, waitMs: 0, gcMs: 0 });
  }, 1_000).unref();
}
