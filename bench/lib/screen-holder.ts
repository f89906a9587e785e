/**
 * A process that holds many desks' and extension screens' live streams open,
 * as their browsers would (bench --screens, issue 19 target 6), so the
 * platform process carries only the server's half. Commanded over IPC by
 * screens.ts: prepare (desk orders, each on its own terminal), open (every
 * desk's and every screen's status stream), report (what each stream
 * received), close.
 */
import { type ClientRequest, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { API_PATH } from '../../src/platform/http.js';
import { Conn } from './conn.js';
import { type Credentials, deskRechargePindata, openAnswer, seal } from './requests.js';
import { summarize } from './stats.js';

export type HolderCommand =
  | { readonly cmd: 'prepare'; readonly base: string; readonly creds: Credentials; readonly count: number }
  | { readonly cmd: 'open' }
  | { readonly cmd: 'report' }
  | { readonly cmd: 'close' };

/** What one stream received since it was opened (times in ms of this process's clock). */
interface Stream {
  readonly kind: 'desk' | 'screen';
  readonly path: string;
  readonly openedAt: number;
  status?: number;
  firstAt?: number;
  lastAt?: number;
  longestSilenceMs: number;
  messages: number;
  ended: boolean;
  req?: ClientRequest;
}

const tag = `SCR${process.pid}`;
/** Requests in flight while preparing and opening: a ramp, not 4,000 connects at once. */
const CONCURRENCY = 16;
let base = new URL('http://127.0.0.1');
let links: { desk: string; screen: string }[] = [];
const streams: Stream[] = [];

async function eachLimited<T>(
  items: readonly T[],
  work: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i] as T, i);
      }
    }),
  );
}

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The desk's page names its terminal's screen link; the holder follows it as the cashier would. */
function screenLinkOf(html: string): string | undefined {
  const found = /href="(\/screen\/[^"]+)"/.exec(html)?.[1];
  return found?.replaceAll('&amp;', '&');
}

/** `count` recharges left at the desk, terminal SCR<i> each: one desk and one screen per order. */
async function prepare(creds: Credentials, count: number): Promise<{ desks: number; failures: string[] }> {
  const conns = await Promise.all(
    Array.from({ length: CONCURRENCY }, () => Conn.open(base.hostname, Number(base.port), API_PATH)),
  );
  const failures: string[] = [];
  const found: { desk: string; screen: string }[] = [];
  const numbers = Array.from({ length: count }, (_, i) => i);
  // A connection carries one request at a time: each request takes a free one and gives it back
  // (handing them out in turn put two requests on one connection when an answer was slow).
  const free = [...conns];
  await eachLimited(numbers, async (n) => {
    const mine = free.pop() as Conn;
    const sealed = seal(creds, deskRechargePindata(tag, n, `SCR${n}`));
    let body: Buffer;
    try {
      body = (await mine.post(sealed.body)).body;
    } finally {
      free.push(mine);
    }
    const answer = openAnswer(creds, body, sealed.nonce);
    const deskUrl =
      typeof answer === 'string' ? undefined : (answer['param'] as { deskUrl?: string })?.deskUrl;
    if (!deskUrl) {
      failures.push(typeof answer === 'string' ? answer : String(answer['respCode']));
      return;
    }
    const desk = new URL(deskUrl).pathname;
    const screen = screenLinkOf((await get(desk)).body);
    if (!screen) failures.push('no screen link on the desk page');
    else found.push({ desk, screen });
  });
  for (const c of conns) c.close();
  links = found;
  return { desks: found.length, failures: failures.slice(0, 5) };
}

/** Opens one status stream and notes every event and heartbeat it brings, as EventSource would see them. */
function openStream(kind: Stream['kind'], path: string): Promise<void> {
  const stream: Stream = {
    kind,
    path,
    openedAt: performance.now(),
    longestSilenceMs: 0,
    messages: 0,
    ended: false,
  };
  streams.push(stream);
  return new Promise((resolve) => {
    const req = request(
      new URL(path, base),
      { agent: false, headers: { accept: 'text/event-stream' } },
      (res) => {
        stream.status = res.statusCode ?? 0;
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          pending += chunk;
          let end = pending.indexOf('\n\n');
          while (end >= 0) {
            const block = pending.slice(0, end);
            pending = pending.slice(end + 2);
            end = pending.indexOf('\n\n');
            // "retry:" only sets the reconnect delay; data and ": still here" are what a screen lives on.
            if (!block.startsWith('data:') && !block.startsWith(':')) continue;
            const now = performance.now();
            stream.longestSilenceMs = Math.max(
              stream.longestSilenceMs,
              now - (stream.lastAt ?? stream.openedAt),
            );
            stream.firstAt ??= now;
            stream.lastAt = now;
            stream.messages++;
            resolve();
          }
        });
        res.on('close', () => {
          stream.ended = true;
          resolve();
        });
        if (stream.status !== 200) res.resume();
      },
    );
    req.on('error', () => {
      stream.ended = true;
      resolve();
    });
    stream.req = req;
    req.end();
  });
}

async function open() {
  const all = links.flatMap((l) => [
    { kind: 'desk' as const, path: `${l.desk}/status` },
    { kind: 'screen' as const, path: l.screen.replace('?', '/status?') },
  ]);
  await eachLimited(all, (s) => openStream(s.kind, s.path));
  const refused: Record<string, number> = {};
  for (const s of streams)
    if (s.status !== 200)
      refused[String(s.status ?? 'error')] = (refused[String(s.status ?? 'error')] ?? 0) + 1;
  const firstEvent = summarize(
    streams.filter((s) => s.firstAt !== undefined).map((s) => (s.firstAt ?? 0) - s.openedAt),
  );
  return {
    desks: streams.filter((s) => s.kind === 'desk' && s.status === 200).length,
    screens: streams.filter((s) => s.kind === 'screen' && s.status === 200).length,
    refused,
    firstEvent,
  };
}

/**
 * Per stream the platform accepted: its longest silence so far, the one still
 * running included; null for one that ended (a screen would have to reconnect).
 */
function report() {
  const now = performance.now();
  const accepted = streams.filter((s) => s.status === 200);
  return {
    silencesMs: accepted.map((s) =>
      s.ended ? null : Math.max(s.longestSilenceMs, now - (s.lastAt ?? s.openedAt)),
    ),
  };
}

function close() {
  for (const s of streams) s.req?.destroy();
  streams.length = 0;
  return { closed: true };
}

async function handle(command: HolderCommand): Promise<unknown> {
  if (command.cmd === 'prepare') {
    base = new URL(command.base);
    return prepare(command.creds, command.count);
  }
  if (command.cmd === 'open') return open();
  if (command.cmd === 'report') return report();
  return close();
}

process.on('message', (command: HolderCommand) => {
  handle(command).then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: (error as Error).message }),
  );
});
process.send?.({ ready: true });
