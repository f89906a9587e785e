/**
 * Where SQLite's WAL checkpoint lands in the latency of a durable commit.
 * Commits recharge-sized batches at a fixed pace (the open loop's 1,000/s:
 * a batch of 8 every 8 ms, synchronous=FULL) and reports each commit's wall
 * time and how late the next batch started, for one way of checkpointing:
 *
 * - `auto`: SQLite's default, a checkpoint inside the commit that takes the
 *   WAL past 1,000 pages (it writes those pages to the database file and
 *   fsyncs it before the commit returns);
 * - `worker`: wal_autocheckpoint off, a PASSIVE checkpoint every 250 ms from
 *   a second connection on a worker thread (it never waits for the writer,
 *   and the writer restarts the WAL once a checkpoint has copied all of it).
 *
 *   node --import tsx bench/probes/checkpoint-stall.ts auto|worker [seconds]
 *
 * Prints one JSON line: commits, p50/p99/max commit ms, the event loop's
 * worst lateness, checkpoints seen and the WAL's largest size.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';

const mode = process.argv[2] ?? 'auto';
const seconds = Number(process.argv[3] ?? 10);
const BATCH = 8;
const PACE_MS = 8;
const dir = mkdtempSync(join(tmpdir(), 'onepay-ckpt-'));
const file = join(dir, 'probe.db');
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
if (mode === 'worker') db.pragma('wal_autocheckpoint = 0');
db.exec(`
  create table accounts (account_no text primary key, card_no text not null unique, balance_fen integer not null);
  create table orders (trace_no text primary key, out_no text not null unique, account_no text,
    answer text, detail text not null, created_at integer not null);
  create index orders_account on orders (account_no);
  create table transfers (id integer primary key, trace_no text not null, amount_fen integer not null);
`);
const ACCOUNTS = 20_000;
const openAccount = db.prepare('insert into accounts values (?, ?, 0)');
db.transaction(() => {
  for (let i = 0; i < ACCOUNTS; i++) openAccount.run(`A${(i * 7919) % 1_000_003}`, `K${i}`);
})();
const insertOrder = db.prepare('insert into orders values (?, ?, ?, ?, ?, ?)');
const entry = db.prepare('insert into transfers (trace_no, amount_fen) values (?, ?)');
const balance = db.prepare('update accounts set balance_fen = balance_fen + ? where card_no = ?');
const begin = db.prepare('begin');
const commit = db.prepare('commit');
// As wide as the platform's order row: its stored answer and detail are ~1.3 KB of JSON.
const wide = 'x'.repeat(1300);

const checkpointer =
  mode === 'worker'
    ? new Worker(
        `const Database = require('better-sqlite3');
         const { parentPort, workerData } = require('node:worker_threads');
         const db = new Database(workerData.file);
         db.pragma('busy_timeout = 0');
         let done = 0;
         setInterval(() => {
           try { db.pragma('wal_checkpoint(PASSIVE)'); done++; parentPort.postMessage(done); } catch {}
         }, 250);`,
        { eval: true, workerData: { file } },
      )
    : undefined;
let checkpoints = 0;
checkpointer?.on('message', (n: number) => {
  checkpoints = n;
});

const commitMs: number[] = [];
let worstLate = 0;
let maxWal = 0;
let n = 0;
const end = performance.now() + seconds * 1000;
let due = performance.now();
const step = () => {
  const now = performance.now();
  worstLate = Math.max(worstLate, now - due);
  begin.run();
  for (let i = 0; i < BATCH; i++, n++) {
    const card = `K${(n * 104_729) % ACCOUNTS}`;
    balance.run(100, card);
    entry.run(`T${n}`, 100);
    insertOrder.run(`T${n}`, `O${n}`, card, wide.slice(0, 400), wide, n);
  }
  const t = performance.now();
  commit.run();
  commitMs.push(performance.now() - t);
  if (n % 512 === 0) maxWal = Math.max(maxWal, statSync(`${file}-wal`).size);
  due += PACE_MS;
  if (performance.now() < end) setTimeout(step, Math.max(0, due - performance.now()));
  else finish();
};
const finish = () => {
  void checkpointer?.terminate();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  const sorted = commitMs.sort((a, b) => a - b);
  const at = (q: number) => Number((sorted[Math.floor(q * (sorted.length - 1))] ?? 0).toFixed(2));
  console.log(
    JSON.stringify({
      mode,
      commits: sorted.length,
      p50: at(0.5),
      p99: at(0.99),
      max: at(1),
      over10ms: sorted.filter((v) => v > 10).length,
      worstLateMs: Number(worstLate.toFixed(1)),
      checkpoints: mode === 'worker' ? checkpoints : 'inside commits',
      maxWalKB: Math.round(maxWal / 1024),
    }),
  );
};
step();
