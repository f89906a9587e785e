/**
 * What quiet live streams cost the platform (issue 19 target 6): an in-process
 * platform on SQLite, `count` desks and `count` extension screens holding
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
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform } from '../../src/testing/platform.js';
import { quietRereadMs } from '../../src/web/shared/sse.js';
import type { HolderCommand } from '../lib/screen-holder.js';

const count = Number(process.argv[2] ?? 2_000);
const holdSeconds = Number(process.argv[3] ?? 20);
const profileTo = process.argv[4];
// Every stream a connection: the default cap leaves 200 streams.
process.env['ONEPAY_MAX_CONNECTIONS'] ??= String(2 * count + 400);

const sqlite = TEST_DATABASES.find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('no sqlite');
const t = await startTestPlatform(sqlite, { suite: 'AES' });
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
  const cpu = process.cpuUsage();
  await delay(holdSeconds * 1000);
  const used = process.cpuUsage(cpu);
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
      `${(cpuUs / holdSeconds / rereadsPerS).toFixed(1)} µs CPU a re-read, GC ${(gcMs / holdSeconds).toFixed(1)} ms a second`,
  );
  await ask({ cmd: 'close' });
} finally {
  holder.kill('SIGTERM');
  await t.close();
}
