import type { FastifyReply, FastifyRequest } from 'fastify';
import { changes } from '../../platform/events/bus.js';
import { maxConnections } from '../../platform/http-guards.js';

/** How long a quiet stream waits before re-reading the database (changes made by other processes, time passing). */
export const POLL_MS = 1_000;
/**
 * Re-reads of quiet streams this process makes a second, at most. Up to this
 * many streams each re-reads every POLL_MS; past it they re-read less often,
 * so thousands of open screens cost the process and the database a bounded
 * share instead of a read each a second (issue 19 target 6: 4,000 streams
 * re-reading every second took the platform's whole core and its open loop
 * stopped answering). A change made in this process still wakes its streams
 * at once through the bus; only what the bus does not carry (another
 * process's change, a lease or a display time running out) shows later.
 */
export const QUIET_REREADS_PER_S = 500;
/** A comment line keeps proxies and the browser from dropping an idle stream. */
export const HEARTBEAT_MS = 15_000;
/** A stream ends after this long; EventSource reconnects by itself, so a stuck loop cannot live forever. */
const MAX_STREAM_MS = 30 * 60_000;
/** Connections the live streams leave to calls, desks' clicks and pages, however many screens are open. */
export const CONNECTIONS_LEFT_TO_CALLS = 300;
/**
 * Streams open at once in this process; past it a screen gets 503 and retries
 * later (follow() in browser/common.js). Every connection the process accepts
 * (ONEPAY_MAX_CONNECTIONS) but CONNECTIONS_LEFT_TO_CALLS: 500 by default; a
 * hospital with 2,000 desks and 2,000 screens on one process raises the
 * connection cap (docs/deployment.md).
 */
export function maxStreams(): number {
  return Math.max(1, maxConnections() - CONNECTIONS_LEFT_TO_CALLS);
}
/** Streams open at once on one link (one desk, one screen): one link cannot take every stream. */
export const MAX_STREAMS_PER_LINK = 8;

let open = 0;
const openPerLink = new Map<string, number>();

/** How long a quiet stream waits between re-reads while `streams` are open (the budget above). */
export function quietRereadMs(streams: number): number {
  return Math.max(POLL_MS, Math.ceil((streams * 1000) / QUIET_REREADS_PER_S));
}

export interface Snapshot {
  /** No more changes will come: the stream sends this one and ends. */
  readonly final?: boolean;
  /** The server's clock (ms), so the browser's countdown does not trust the PC's clock. */
  readonly now?: number;
  readonly [field: string]: unknown;
}

/** What a snapshot says; the server's clock rides along for the countdowns but is no change worth sending. */
function meaningOf(snapshot: Snapshot): string {
  const { now: _now, ...meaning } = snapshot;
  return JSON.stringify(meaning);
}

/**
 * Reads a stream's snapshot; null when the thing is gone (the stream ends).
 * `fresh` is true for the first read and after the bus said something
 * changed: the read must then see the database as it is now. A quiet
 * re-read (false) may take what this process read for every stream less than
 * POLL_MS ago (the screens' shared look at active orders), and may hand back
 * the very snapshot object it returned last when nothing it shows changed
 * (SnapshotMemo): nothing is serialised or sent then.
 */
export type ReadSnapshot = (fresh: boolean) => Promise<Snapshot | null>;

/**
 * Server-sent events of a status: sends the snapshot whenever it changes,
 * waking on the in-process bus or, at the latest, every quietRereadMs(open).
 */
export async function streamSnapshots(
  req: FastifyRequest,
  reply: FastifyReply,
  keys: () => readonly string[],
  read: ReadSnapshot,
): Promise<void> {
  const link = req.url.split('?')[0] ?? '';
  const onLink = openPerLink.get(link) ?? 0;
  if (open >= maxStreams() || onLink >= MAX_STREAMS_PER_LINK) {
    return reply.code(503).header('retry-after', '5').send('too many live screens');
  }
  open++;
  openPerLink.set(link, onLink + 1);
  const abort = new AbortController();
  req.raw.on('close', () => abort.abort());
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    // nginx and friends buffer otherwise, and the cashier sees the result late.
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  const started = Date.now();
  let last = '';
  let lastSnapshot: Snapshot | undefined;
  let lastWrite = Date.now();
  let fresh = true;
  try {
    while (!abort.signal.aborted && Date.now() - started < MAX_STREAM_MS) {
      const snapshot = await read(fresh);
      if (snapshot === null) break;
      // The same object is the same snapshot (SnapshotMemo): nothing to serialise or compare.
      const text = snapshot === lastSnapshot ? last : meaningOf(snapshot);
      lastSnapshot = snapshot;
      if (text !== last) {
        res.write(`data: ${JSON.stringify(snapshot)}\n\n`);
        last = text;
        lastWrite = Date.now();
      } else if (Date.now() - lastWrite > HEARTBEAT_MS) {
        res.write(': still here\n\n');
        lastWrite = Date.now();
      }
      if (snapshot.final) break;
      fresh = await changes.wait(keys(), quietRereadMs(open), abort.signal);
    }
  } catch (error) {
    req.log.warn({ err: error }, 'status stream failed');
  } finally {
    open--;
    const left = (openPerLink.get(link) ?? 1) - 1;
    if (left > 0) openPerLink.set(link, left);
    else openPerLink.delete(link);
    res.end();
  }
}
