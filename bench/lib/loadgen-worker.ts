/**
 * A load-generator process (forked by workers.ts). Runs one job at a time on
 * request of its parent over IPC; remembers which of its recharges succeeded
 * so later query and refund jobs name real orders.
 */
import { performance } from 'node:perf_hooks';
import { Conn, type Reply } from './conn.js';
import type { Job, JobResult } from './job.js';
import { answerCode, pindata, type Sealed, seal } from './requests.js';

const tag = process.env['BENCH_WORKER_TAG'] ?? String(process.pid);
/** Recharge numbers of this worker that answered 000000. */
const recharged: number[] = [];
let refundCursor = 0;
let session = '';

interface Prepared {
  readonly bodies: Buffer[];
  readonly sealed: Sealed[] | undefined;
  readonly numbers: number[];
}

function prepare(job: Job): Prepared {
  const p = job.payload;
  if (p.kind === 'static') return { bodies: [Buffer.from(p.body)], sealed: undefined, numbers: [] };
  if (p.session !== session) {
    session = p.session;
    recharged.length = 0;
    refundCursor = 0;
  }
  const numbers: number[] = [];
  if (p.op === 'recharge') for (let i = 0; i < p.maxOps; i++) numbers.push(p.firstN + i);
  else if (p.op === 'query')
    for (let i = 0; i < p.maxOps && recharged.length > 0; i++)
      numbers.push(recharged[i % recharged.length] ?? 0);
  else {
    // A refund per order: the platform refuses a second refund of one order within its interval.
    const end = Math.min(recharged.length, refundCursor + p.maxOps);
    for (let i = refundCursor; i < end; i++) numbers.push(recharged[i] ?? 0);
    refundCursor = end;
  }
  const sealed = numbers.map((n) => seal(p.creds, pindata(p.op, tag, n)));
  return { bodies: sealed.map((s) => s.body), sealed, numbers };
}

async function run(job: Job): Promise<JobResult> {
  const prepared = prepare(job);
  const staticBody = job.payload.kind === 'static';
  const total = staticBody ? Number.POSITIVE_INFINITY : prepared.bodies.length;
  const conns = await Promise.all(
    Array.from({ length: job.loop.connections }, () => Conn.open(job.host, job.port, job.path)),
  );
  const latencies: number[] = [];
  const replies: (Reply | undefined)[] = [];
  let next = 0;
  let answered = 0;
  let errors = 0;
  let sent = 0;
  let ranOut = false;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + job.loop.durationMs;

  const send = async (conn: Conn, index: number, intendedAt: number): Promise<void> => {
    const body = staticBody ? prepared.bodies[0] : prepared.bodies[index];
    sent++;
    try {
      const reply = await conn.post(body as Buffer);
      latencies.push(performance.now() - intendedAt);
      answered++;
      if (!staticBody) replies[index] = reply;
      else if (reply.status !== 200) throw new Error(`status ${reply.status}`);
    } catch (error) {
      errors++;
      firstError ??= (error as Error).message;
    }
  };

  if (job.loop.kind === 'closed') {
    await Promise.all(
      conns.map(async (conn) => {
        while (performance.now() < deadline && next < total) {
          const index = next++;
          await send(conn, index, performance.now());
        }
        if (next >= total && performance.now() < deadline) ranOut = true;
      }),
    );
  } else {
    const intervalMs = 1000 / job.loop.ratePerS;
    const free = [...conns];
    const queue: { index: number; at: number }[] = [];
    let inFlight = 0;
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (free.length > 0 && queue.length > 0) {
          const conn = free.pop() as Conn;
          const item = queue.shift() as { index: number; at: number };
          inFlight++;
          void send(conn, item.index, item.at).then(() => {
            inFlight--;
            free.push(conn);
            pump();
          });
        }
        if (next >= total && queue.length === 0 && inFlight === 0) resolve();
      };
      // Latency counts from the intended send time, so a stalled server is
      // charged for the requests it kept waiting (no coordinated omission).
      let intended = start;
      const tick = () => {
        const now = performance.now();
        while (intended <= now && intended < deadline && next < total) {
          queue.push({ index: next++, at: intended });
          intended += intervalMs;
        }
        if (intended >= deadline || next >= total) {
          ranOut = next >= total && intended < deadline;
          next = total;
          pump();
          return;
        }
        pump();
        setTimeout(tick, Math.max(0, intended - performance.now()));
      };
      tick();
    });
  }
  const elapsedMs = performance.now() - start;
  for (const conn of conns) conn.close();
  if (process.env['BENCH_STALLS'] === '1' && job.payload.kind === 'op') {
    // Beside the platform's stall lines (stall-watch.ts): which phase ran when.
    const from = new Date(Date.now() - elapsedMs).toISOString();
    process.stderr.write(`phase ${job.payload.op} ${job.loop.kind} ${from} to ${new Date().toISOString()}\n`);
  }

  const codes: Record<string, number> = {};
  if (job.verify && prepared.sealed && job.payload.kind === 'op') {
    for (let i = 0; i < replies.length; i++) {
      const reply = replies[i];
      const sealed = prepared.sealed[i];
      if (!reply || !sealed) continue;
      const code = answerCode(job.payload.creds, reply.body, sealed.nonce);
      codes[code] = (codes[code] ?? 0) + 1;
      if (job.payload.op === 'recharge' && code === '000000') recharged.push(prepared.numbers[i] ?? 0);
    }
  }
  return {
    sent,
    answered,
    errors,
    ...(firstError ? { firstError } : {}),
    elapsedMs,
    latenciesMs: latencies,
    codes,
    exhausted: ranOut,
  };
}

process.on('message', (job: Job) => {
  run(job).then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: (error as Error).message }),
  );
});
process.send?.({ ready: true });
