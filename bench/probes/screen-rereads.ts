/**
 * What quiet live streams cost the platform (issue 19 target 6): an in-process
 * platform (SQLite unless PROBE_DB says otherwise), `count` desks and `count` extension screens holding
 * their status streams open from a holder process of their own
 * (bench/lib/screen-holder.ts, as in `bench --screens`), nothing changing.
 * After every stream has re-read at least once, the platform's process CPU
 * (process.cpuUsage: the platform alone, the holder is another process) and
 * GC time are taken over `holdSeconds`, and printed per second of the
 * streams open and per quiet re-read (QUIET_REREADS_PER_S bounds them).
 *
 *   node --import tsx bench/probes/screen-rereads.ts [count=2000] [holdSeconds=20] [profile.cpuprofile]
 *
 * With a third argument the window alone is profiled (V8's CPU profile, to that file).
 * PROBE_DB=postgres runs it on the test PostgreSQL (DATABASE_URL) instead of SQLite,
 * and adds the CPU of the machine's `postgres` processes over the window (the
 * server's side of the reads; whatever else uses that server is in it too).
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform } from '../../src/testing/platform.js';
import { quietRereadMs } from '../../src/web/shared/sse.js';
import type { HolderCommand } from '../lib/screen-holder.js';

/** CPU seconds (user + system) of every process named `postgres` on this machine, from Linux /proc. */
function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks / 100;
}

const count = Number(process.argv[2] ?? 2_000);
const holdSeconds = Number(process.argv[3] ?? 20);
const profileTo = process.argv[4];
// Every stream a connection: the default cap leaves 200 streams.
process.env['ONEPAY_MAX_CONNECTIONS'] ??= String(2 * count + 400);

const engine = process.env['PROBE_DB'] ?? 'sqlite';
const database = TEST_DATABASES.find((d) => d.name === engine);
if (!database) throw new Error(`no test database ${engine}`);
const t = await startTestPlatform(database, { suite: 'AES' });
const holder = fork(fileURLToPath(new URL('../lib/screen-holder.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
await new Promise((resolve) => holder.once('message', resolve));
const ask = <T>(command: HolderCommand) =>
  new Promise<T>((resolve, reject) => {
    holder.once('message', (msg: { ok: boolean; result?: T; error?: string }) =>
      msg.ok ? resolve(msg.result as T) : reject(new Error(msg.error)),
    );
    holder.send(command);
  });

try {
  const creds = { appid: t.appid, secret: t.secret, suite: 'AES' as const };
  const prepared = await ask<{ desks: number }>({ cmd: 'prepare', base: t.running.url, creds, count });
  const opened = await ask<{ desks: number; screens: number; refused: object }>({ cmd: 'open' });
  const streams = opened.desks + opened.screens;
  // Past the HIS's lease the screens show their welcome; then every stream re-reads once before the window.
  await delay(Math.max(7_000, quietRereadMs(streams) + 1_000));
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const profiler = profileTo ? new Session() : undefined;
  profiler?.connect();
  await profiler?.post('Profiler.enable');
  await profiler?.post('Profiler.start');
  const serverBefore = engine === 'postgres' ? postgresCpuSeconds() : 0;
  const cpu = process.cpuUsage();
  await delay(holdSeconds * 1000);
  const used = process.cpuUsage(cpu);
  const serverMsPerS = ((postgresCpuSeconds() - serverBefore) * 1000) / holdSeconds;
  if (profiler && profileTo) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(profileTo, JSON.stringify(profile));
  }
  gc.disconnect();
  const cpuUs = used.user + used.system;
  const rereadsPerS = (streams * 1000) / quietRereadMs(streams);
  const seen = await ask<{ silencesMs: (number | null)[] }>({ cmd: 'report' });
  const ended = seen.silencesMs.filter((s) => s === null).length;
  console.log(
    `${prepared.desks} desks, ${opened.desks} + ${opened.screens} streams open (refused ${JSON.stringify(opened.refused)}, ended ${ended}); ` +
      `${rereadsPerS.toFixed(0)} quiet re-reads/s; over ${holdSeconds} s: ` +
      `${(cpuUs / holdSeconds / 1000).toFixed(1)} ms CPU a second (system ${(used.system / holdSeconds / 1000).toFixed(1)}), ` +
      `${(cpuUs / holdSeconds / rereadsPerS).toFixed(1)} µs CPU a re-read, GC ${(gcMs / holdSeconds).toFixed(1)} ms a second` +
      (engine === 'postgres' ? `; postgres processes ${serverMsPerS.toFixed(1)} ms CPU a second` : ''),
  );
  await ask({ cmd: 'close' });
} finally {
  holder.kill('SIGTERM');
  await t.close();
}
