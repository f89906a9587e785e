import { randomBytes } from 'node:crypto';
import { API_PATH } from '../../src/platform/http.js';
import type { Job, Loop, Payload } from './job.js';
import type { Credentials, Op } from './requests.js';
import type { ServerProcess } from './spawn.js';
import type { Aggregate, Workers } from './workers.js';

export interface Shape {
  /** Connections per load worker in closed-loop phases. */
  readonly connections: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** The fixed rate of the open-loop phase, for all workers together. */
  readonly openRatePerS: number;
  /** Highest rate any phase is sealed for; the pre-sealed requests bound the phase. */
  readonly maxRatePerS: number;
}

function job(server: ServerProcess, loop: Loop, payload: Payload, verify: boolean): Job {
  const url = new URL(server.url);
  return { host: url.hostname, port: server.port, path: API_PATH, loop, payload, verify };
}

/** Closed-loop throughput of a ceiling server answering a fixed body. */
export async function ceilingHttp(workers: Workers, server: ServerProcess, body: string, shape: Shape) {
  const payload: Payload = { kind: 'static', body };
  const warm: Loop = { kind: 'closed', connections: shape.connections, durationMs: shape.warmupMs };
  await workers.run(() => job(server, warm, payload, false));
  const loop: Loop = { kind: 'closed', connections: shape.connections, durationMs: shape.durationMs };
  return workers.run(() => job(server, loop, payload, false));
}

/**
 * Closed-loop throughput of the envelope floor (ceilings/envelope-floor.ts)
 * under real sealed requests: recharges, which it opens and answers without
 * doing them. Its own session, so no worker takes its "orders" for real ones.
 */
export async function ceilingEnvelope(
  workers: Workers,
  server: ServerProcess,
  creds: Credentials,
  shape: Shape,
) {
  const session = randomBytes(4).toString('hex');
  // Twice the platform's highest rate: the floor runs faster than any platform phase.
  const maxOps = (ms: number) => Math.ceil((2 * shape.maxRatePerS * ms) / 1000 / workers.size) + 100;
  let firstN = 0;
  const run = async (durationMs: number) => {
    const payload: Payload = {
      kind: 'op',
      op: 'recharge',
      creds,
      maxOps: maxOps(durationMs),
      firstN,
      session,
    };
    firstN += payload.maxOps;
    const loop: Loop = { kind: 'closed', connections: shape.connections, durationMs };
    return workers.run(() => job(server, loop, payload, true));
  };
  await run(shape.warmupMs);
  return run(shape.durationMs);
}

/** Recharge numbers used so far on one platform: a later phase's recharges are new orders, not replays. */
export interface Numbering {
  next: number;
}

const perWorkerOf = (workers: Workers) => (rate: number, ms: number) =>
  Math.ceil((rate * ms) / 1000 / workers.size) + 100;

/** Recharges at the open loop's fixed rate for `durationMs` (bench --screens runs it with the streams open). */
export function openLoopRecharges(
  workers: Workers,
  server: ServerProcess,
  creds: Credentials,
  shape: Shape,
  numbering: Numbering,
  durationMs: number,
): Promise<Aggregate> {
  const session = randomBytes(4).toString('hex');
  const maxOps = perWorkerOf(workers)(shape.openRatePerS, durationMs);
  const firstN = numbering.next;
  numbering.next += maxOps;
  const loop: Loop = {
    kind: 'open',
    connections: shape.connections,
    durationMs,
    ratePerS: shape.openRatePerS / workers.size,
  };
  return workers.run(() =>
    job(server, loop, { kind: 'op', op: 'recharge', creds, maxOps, firstN, session }, true),
  );
}

export interface PlatformFigures {
  readonly recharge: Aggregate;
  readonly query: Aggregate;
  readonly refund: Aggregate;
  readonly openLoopRecharge: Aggregate;
  /** The same at half the closed-loop rate: latency where the platform is not saturated. */
  readonly openLoopHalfLoad: Aggregate & { ratePerS: number };
}

/**
 * The platform's phases, in an order where each has data: warm-up recharges,
 * recharge (closed loop), query of those orders, one refund per order, then
 * recharges at a fixed rate for latency.
 */
export async function platformPhases(
  workers: Workers,
  server: ServerProcess,
  creds: Credentials,
  shape: Shape,
  numbering: Numbering = { next: 0 },
): Promise<PlatformFigures> {
  const session = randomBytes(4).toString('hex');
  const run = async (op: Op, loop: Loop, maxOps: number) => {
    const firstN = numbering.next;
    numbering.next += maxOps;
    return workers.run(() => job(server, loop, { kind: 'op', op, creds, maxOps, firstN, session }, true));
  };
  const perWorker = perWorkerOf(workers);
  const closed = (ms: number): Loop => ({ kind: 'closed', connections: shape.connections, durationMs: ms });
  // Warm-ups also size the timed phases: sealing twice what the warm-up rate
  // could use keeps the pre-sealing (done while the server idles) short.
  const warmRecharge = await run(
    'recharge',
    closed(shape.warmupMs),
    perWorker(shape.maxRatePerS, shape.warmupMs),
  );
  const warmQuery = await run('query', closed(shape.warmupMs), perWorker(shape.maxRatePerS, shape.warmupMs));
  const cap = (warm: Aggregate) => Math.min(shape.maxRatePerS * 2, Math.max(2_000, warm.perSecond * 2.5));
  const recharge = await run(
    'recharge',
    closed(shape.durationMs),
    perWorker(cap(warmRecharge), shape.durationMs),
  );
  const query = await run('query', closed(shape.durationMs), perWorker(cap(warmQuery), shape.durationMs));
  const refund = await run(
    'refund',
    closed(shape.durationMs),
    perWorker(cap(warmRecharge), shape.durationMs),
  );
  const open: Loop = {
    kind: 'open',
    connections: shape.connections,
    durationMs: shape.durationMs,
    ratePerS: shape.openRatePerS / workers.size,
  };
  const openLoopRecharge = await run('recharge', open, perWorker(shape.openRatePerS, shape.durationMs));
  const halfRate = Math.max(50, Math.round(recharge.perSecond / 2));
  const half: Loop = { ...open, ratePerS: halfRate / workers.size };
  const openLoopHalfLoad = {
    ...(await run('recharge', half, perWorker(halfRate, shape.durationMs))),
    ratePerS: halfRate,
  };
  return { recharge, query, refund, openLoopRecharge, openLoopHalfLoad };
}

export function freshCredentials(): Credentials {
  return {
    appid: `bench${randomBytes(4).toString('hex')}`,
    secret: randomBytes(24).toString('base64url'),
    suite: 'AES',
  };
}
