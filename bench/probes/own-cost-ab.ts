/**
 * Two versions of the platform in one process, answering alternate blocks of
 * the same calls: the platform's own CPU a call, old against new, under the
 * same load of the machine. On a shared machine two runs minutes apart differ
 * by more than a change of a few microseconds; blocks a second apart in one
 * process do not. Each tree (a checkout of the code, e.g. a second
 * `git worktree`) starts its own in-process platform on SQLite; every request
 * is sealed before its block's clock starts; blocks alternate which side
 * goes first. Prints CPU (process.cpuUsage) and GC time (perf_hooks 'gc')
 * a call for each block, then each side's median.
 *
 *   node --import tsx bench/probes/own-cost-ab.ts <old tree> <new tree> recharge|query [blocks] [calls a block]
 */
import { resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';

type Op = 'recharge' | 'query';
const [oldTree, newTree, opArg, blocksArg, sizeArg] = process.argv.slice(2);
if (!oldTree || !newTree)
  throw new Error('usage: own-cost-ab.ts <old tree> <new tree> recharge|query [blocks] [size]');
const op: Op = opArg === 'query' ? 'query' : 'recharge';
const blocks = Number(blocksArg ?? 10);
const size = Number(sizeArg ?? 2_000);
const CONCURRENCY = 32;
const QUERIED = 2_000;

interface Side {
  readonly name: string;
  readonly call: (body: string) => Promise<{ status: number; body: string }>;
  readonly sealed: (kind: Op, n: number) => string;
  readonly close: () => Promise<void>;
  readonly cpu: number[];
  readonly gc: number[];
}

async function side(name: string, tree: string): Promise<Side> {
  const from = (path: string) => import(resolve(tree, path));
  const { handleApiCall } = await from('src/platform/gateway/api.ts');
  const { TEST_DATABASES } = await from('src/testing/databases.ts');
  const { startTestPlatform } = await from('src/testing/platform.ts');
  const { pindata, seal } = await from('bench/lib/requests.ts');
  const sqlite = TEST_DATABASES.find((d: { name: string }) => d.name === 'sqlite');
  const t = await startTestPlatform(sqlite, { suite: 'AES' });
  const creds = { appid: t.appid, secret: t.secret, suite: 'AES' };
  return {
    name,
    call: (body) => handleApiCall(t.running.platform, body),
    sealed: (kind, n) => seal(creds, pindata(kind, 'P', n)).body.toString(),
    close: () => t.close(),
    cpu: [],
    gc: [],
  };
}

async function run(s: Side, bodies: string[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const answer = await s.call(bodies[next++] as string);
        if (answer.status !== 200) throw new Error(`${s.name}: ${answer.body}`);
        // One request a turn of the event loop, as a server receives them (the group commit's timers run).
        await new Promise((done) => setImmediate(done));
      }
    }),
  );
}

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

const sides = [await side('old', oldTree), await side('new', newTree)];
const bodiesFor = (s: Side, block: number) =>
  Array.from({ length: size }, (_, i) =>
    op === 'query'
      ? s.sealed('query', 1_000_000 + ((block * size + i) % QUERIED))
      : s.sealed('recharge', block * size + i),
  );
for (const s of sides) {
  await run(
    s,
    Array.from({ length: QUERIED }, (_, n) => s.sealed('recharge', 1_000_000 + n)),
  );
  await run(
    s,
    Array.from({ length: QUERIED }, (_, n) => s.sealed('query', 1_000_000 + n)),
  );
}
for (let block = 0; block < blocks; block++) {
  const order = block % 2 === 0 ? sides : [...sides].reverse();
  const line: string[] = [];
  for (const s of order) {
    const bodies = bodiesFor(s, block);
    // Let the previous side's group commit and any collection finish outside the measure.
    await new Promise((done) => setTimeout(done, 50));
    const gcBefore = gcMs;
    const cpu = process.cpuUsage();
    await run(s, bodies);
    const used = process.cpuUsage(cpu);
    await new Promise((done) => setImmediate(done));
    s.cpu.push((used.user + used.system) / size);
    s.gc.push(((gcMs - gcBefore) * 1000) / size);
    line.push(`${s.name} ${(s.cpu.at(-1) ?? 0).toFixed(1)} µs (GC ${(s.gc.at(-1) ?? 0).toFixed(1)})`);
  }
  console.log(`block ${block + 1}: ${line.join(', ')}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
for (const s of sides)
  console.log(
    `${op} ${s.name}: median ${median(s.cpu).toFixed(1)} µs CPU a call, GC ${median(s.gc).toFixed(1)} µs ` +
      `(range ${Math.min(...s.cpu).toFixed(1)}–${Math.max(...s.cpu).toFixed(1)})`,
  );
for (const s of sides) await s.close();
