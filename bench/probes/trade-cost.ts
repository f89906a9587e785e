/**
 * What one trade costs the platform, without HTTP in the way: an in-process
 * platform on SQLite answers `count` sealed requests from `concurrency`
 * loops through handleApiCall, then prints CPU per call, database time per
 * statement, and which tables and indexes the WAL pages written belong to
 * (the commit's cost follows the pages it writes). Used for docs/benchmarks.md.
 *
 *   node --import tsx bench/probes/trade-cost.ts [recharge|query] [count] [concurrency]
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { handleApiCall } from '../../src/platform/gateway/api.js';
import { TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform } from '../../src/testing/platform.js';
import { pindata, seal } from '../lib/requests.js';
import { takeStatementTimes } from './sql-timing.js';

const op = process.argv[2] === 'query' ? 'query' : 'recharge';
const count = Number(process.argv[3] ?? 10_000);
const concurrency = Number(process.argv[4] ?? 32);
const WARM = 500;

const sqlite = TEST_DATABASES.find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('no sqlite');
const t = await startTestPlatform(sqlite, { suite: 'AES' });
const store = t.running.platform.store;
// Every page written stays in the WAL, so the pages can be counted afterwards.
await sql`pragma wal_autocheckpoint = 0`.execute(store.db);
const creds = { appid: t.appid, secret: t.secret, suite: 'AES' as const };
const call = (kind: 'recharge' | 'query', n: number) =>
  handleApiCall(t.running.platform, seal(creds, pindata(kind, 'P', n)).body.toString());

for (let n = 0; n < WARM; n++) await call('recharge', 1_000_000 + n);
takeStatementTimes();
const path = store.where.slice('sqlite:'.length);
const walBefore = readFileSync(`${path}-wal`).length;

const cpu = process.cpuUsage();
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const n = next++;
      const answer = await call(op, op === 'query' ? 1_000_000 + (n % WARM) : n);
      if (answer.status !== 200) throw new Error(answer.body);
      // Each request of a server arrives in its own turn of the event loop; without this the
      // loops would run on microtasks alone and starve the timers the group commit waits on.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }),
);
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
console.log(
  `${op}: ${count} in ${wallMs.toFixed(0)} ms, ${((used.user + used.system) / count).toFixed(0)} µs CPU a call`,
);
let sqlMs = 0;
for (const s of takeStatementTimes()) {
  sqlMs += s.ms;
  console.log(`${((s.ms / count) * 1000).toFixed(1).padStart(7)} µs  ${s.calls}×  ${s.sql.slice(0, 90)}`);
}
console.log(`${((sqlMs / count) * 1000).toFixed(1).padStart(7)} µs  in the database`);

// WAL frames written during the run, by the table or index owning each page.
const wal = readFileSync(`${path}-wal`);
const pageSize = wal.readUInt32BE(8);
const frameBytes = 24 + pageSize;
const firstFrame = Math.max(walBefore, 32);
const peer = new Database(path, { readonly: true });
const owner = new Map<number, string>();
for (const row of peer.prepare('select name, pageno from dbstat').all() as { name: string; pageno: number }[])
  owner.set(row.pageno, row.name);
peer.close();
const pages = new Map<string, number>();
let frames = 0;
for (let at = firstFrame; at + frameBytes <= wal.length; at += frameBytes) {
  const name = owner.get(wal.readUInt32BE(at)) ?? '(freed)';
  pages.set(name, (pages.get(name) ?? 0) + 1);
  frames++;
}
console.log(`WAL pages written: ${(frames / count).toFixed(2)} a call`);
for (const [name, n] of [...pages].sort((a, b) => b[1] - a[1]).filter(([, n]) => n / count >= 0.01))
  console.log(`  ${(n / count).toFixed(2)}  ${name}`);
await t.close();
