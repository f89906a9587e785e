/**
 * The platform's own CPU per call, in-process and without the client's work:
 * every request is sealed before the clock starts (trade-cost.ts seals inside
 * its loop, so its figure carries the client's crypto too). An in-process
 * platform on SQLite answers them through handleApiCall from `concurrency`
 * loops; prints CPU a call (process.cpuUsage) and GC time a call (perf_hooks
 * 'gc' entries), and with `--cpu-prof FILE` writes a profile of the measured
 * phase alone (no start-up, no sealing). Run old and new code alternately.
 *
 *   node --import tsx bench/probes/own-cost.ts recharge|query [count] [concurrency] [--cpu-prof FILE]
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { handleApiCall } from '../../src/platform/gateway/api.js';
import { TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform } from '../../src/testing/platform.js';
import { answerCode, pindata, seal } from '../lib/requests.js';

const args = process.argv.slice(2);
const profAt = args.indexOf('--cpu-prof');
const profFile = profAt >= 0 ? args.splice(profAt, 2)[1] : undefined;
const op = args[0] === 'query' ? 'query' : 'recharge';
const count = Number(args[1] ?? 10_000);
const concurrency = Number(args[2] ?? 32);
const WARM = 2_000;

const sqlite = TEST_DATABASES.find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('no sqlite');
const t = await startTestPlatform(sqlite, { suite: 'AES' });
const creds = { appid: t.appid, secret: t.secret, suite: 'AES' as const };
const sealed = (kind: 'recharge' | 'query', n: number) => {
  const request = seal(creds, pindata(kind, 'P', n));
  return { body: request.body.toString(), nonce: request.nonce };
};

/** Answers every request; the answers are opened and their codes checked after the clock stops. */
async function run(requests: { body: string; nonce: string }[]): Promise<void> {
  const answers: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const at = next++;
        const answer = await handleApiCall(t.running.platform, (requests[at] as { body: string }).body);
        if (answer.status !== 200) throw new Error(answer.body);
        answers[at] = answer.body;
        // Each request of a server arrives in its own turn of the event loop; without this the
        // loops would run on microtasks alone and starve the timers the group commit waits on.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }),
  );
  checks.push(() => {
    for (const [at, body] of answers.entries()) {
      const code = answerCode(creds, Buffer.from(body), (requests[at] as { nonce: string }).nonce);
      if (code !== '000000') throw new Error(`answer ${at}: ${code}`);
    }
  });
}
const checks: (() => void)[] = [];

// Warm-up: the orders the queries ask for, and the JIT's view of both paths.
await run(Array.from({ length: WARM }, (_, n) => sealed('recharge', 1_000_000 + n)));
await run(Array.from({ length: WARM }, (_, n) => sealed('query', 1_000_000 + n)));

const bodies = Array.from({ length: count }, (_, n) =>
  op === 'query' ? sealed('query', 1_000_000 + (n % WARM)) : sealed('recharge', n),
);
let gcMs = 0;
const gc = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});
const session = profFile ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
gc.observe({ entryTypes: ['gc'] });
const cpu = process.cpuUsage();
const started = performance.now();
await run(bodies);
const used = process.cpuUsage(cpu);
const wallMs = performance.now() - started;
gc.disconnect();
if (session && profFile) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profFile, JSON.stringify(profile));
}
for (const check of checks) check();
console.log(
  `${op}: ${count} in ${wallMs.toFixed(0)} ms, ${((used.user + used.system) / count).toFixed(1)} µs CPU a call ` +
    `(user ${(used.user / count).toFixed(1)}, system ${(used.system / count).toFixed(1)}), ` +
    `GC ${((gcMs * 1000) / count).toFixed(1)} µs a call`,
);
await t.close();
