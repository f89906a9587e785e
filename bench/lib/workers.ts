import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Job, JobResult } from './job.js';
import { type LatencySummary, round, summarize } from './stats.js';

const WORKER = fileURLToPath(new URL('./loadgen-worker.ts', import.meta.url));
/**
 * A job that has not reported long after its duration is a hung worker, not
 * a slow one. An open loop the server cannot keep up with sends its backlog
 * after the duration: a long loop gets a grace in proportion.
 */
const graceMs = (durationMs: number) => 120_000 + 5 * durationMs;

export interface Aggregate extends LatencySummary {
  readonly perSecond: number;
  readonly answered: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly codes: Record<string, number>;
  readonly exhausted: boolean;
}

/** Load-generator processes, forked once and reused for every phase of a run. */
export class Workers {
  private constructor(private readonly children: ChildProcess[]) {}

  static async start(count: number, runTag: string): Promise<Workers> {
    const children = await Promise.all(
      Array.from(
        { length: count },
        (_, i) =>
          new Promise<ChildProcess>((resolve, reject) => {
            const child = fork(WORKER, [], {
              execArgv: ['--import', 'tsx'],
              env: { ...process.env, BENCH_WORKER_TAG: `${runTag}W${i}` },
              stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            });
            child.once('message', () => resolve(child));
            child.once('error', reject);
            child.once('exit', (code) => reject(new Error(`load worker exited with ${code}`)));
          }),
      ),
    );
    return new Workers(children);
  }

  get size(): number {
    return this.children.length;
  }

  /** Runs `jobFor(i)` on every worker at once and merges what they measured. */
  async run(jobFor: (worker: number) => Job): Promise<Aggregate> {
    const results = await Promise.all(this.children.map((child, i) => runOne(child, jobFor(i))));
    const latencies: number[] = [];
    const codes: Record<string, number> = {};
    let answered = 0;
    let errors = 0;
    let elapsed = 0;
    let firstError: string | undefined;
    for (const r of results) {
      for (const l of r.latenciesMs) latencies.push(l);
      for (const [code, n] of Object.entries(r.codes)) codes[code] = (codes[code] ?? 0) + n;
      answered += r.answered;
      errors += r.errors;
      elapsed = Math.max(elapsed, r.elapsedMs);
      firstError ??= r.firstError;
    }
    return {
      ...summarize(latencies),
      perSecond: round((answered / elapsed) * 1000, 0),
      answered,
      errors,
      ...(firstError ? { firstError } : {}),
      codes,
      exhausted: results.some((r) => r.exhausted),
    };
  }

  stop(): void {
    for (const child of this.children) child.kill('SIGTERM');
  }
}

function runOne(child: ChildProcess, job: Job): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('load worker did not report')),
      job.loop.durationMs + graceMs(job.loop.durationMs),
    );
    child.once('message', (msg: { ok: boolean; result?: JobResult; error?: string }) => {
      clearTimeout(timer);
      if (msg.ok && msg.result) resolve(msg.result);
      else reject(new Error(msg.error ?? 'load worker failed'));
    });
    child.send(job);
  });
}
