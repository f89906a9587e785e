/**
 * The least SQL a durable cash recharge needs on SQLite, with nothing around
 * it: raw better-sqlite3 prepared statements, no Kysely, no savepoints, no
 * envelope, 32 recharges to a synchronous=FULL commit as the group commit
 * makes them. Rows as wide as the platform's (order detail and stored answer),
 * the same unique keys, the order indexes the platform keeps, the journal
 * entry, the balance and the request's nonce claim. Prints wall and CPU time a
 * recharge and the commit's share: with the envelope floor of the bench
 * (ceilings/envelope-floor.ts) it bounds what one thread can do
 * (docs/benchmarks.md).
 *
 *   node --import tsx bench/probes/recharge-sql-floor.ts [recharges] [--json]
 *
 * With --json it prints {"wallUs", "commitUs", "cpuUs"} a recharge: the bench
 * takes the SQL floor of every run this way (bench/lib/sql-floor.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const args = process.argv.slice(2);
const json = args.includes('--json');
const count = Number(args.find((a) => a !== '--json') ?? 64_000);
const BATCH = 32;
const ACCOUNTS = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'onepay-sql-floor-'));
const db = new Database(join(dir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`
  create table accounts (account_no text primary key, appid text not null, card_no text not null,
    balance_fen integer not null, updated_at integer not null, unique (appid, card_no));
  create table orders (trace_no text primary key, appid text not null, kind text not null,
    out_no text not null, request_hash text not null, state text not null, amount_fen integer not null,
    account_no text, answer text, detail text not null, created_at integer not null, expire_at integer,
    unique (appid, kind, out_no));
  create index orders_account on orders (account_no, kind);
  create index orders_pending on orders (state, expire_at);
  create table transfers (id integer primary key, trace_no text not null, debit text not null,
    credit text not null, amount_fen integer not null, created_at integer not null);
  create index transfers_trace on transfers (trace_no);
  create table nonce_claims (ts_s integer not null, appid text not null, nonce text not null);
  create index nonce_claims_ts on nonce_claims (ts_s);
`);
const open = db.prepare('insert into accounts values (?, ?, ?, 0, 0)');
db.transaction(() => {
  // Account numbers out of card order, as real ones are: each recharge lands on a random index page.
  for (let i = 0; i < ACCOUNTS; i++)
    open.run(`A${String((i * 7919) % 1_000_003).padStart(10, '0')}`, 'app1', `K${i}`);
})();

const read = db.prepare(`select a.account_no, a.balance_fen, o.trace_no from accounts a
  left join orders o on o.appid = a.appid and o.kind = 'recharge' and o.out_no = ?
  where a.appid = ? and a.card_no = ?`);
const claim = db.prepare('insert into nonce_claims values (?, ?, ?)');
const insertOrder = db.prepare(`insert into orders (trace_no, appid, kind, out_no, request_hash, state,
  amount_fen, account_no, answer, detail, created_at) values (?, ?, 'recharge', ?, ?, 'succ', ?, ?, ?, ?, ?)`);
const entry = db.prepare(
  'insert into transfers (trace_no, debit, credit, amount_fen, created_at) values (?, ?, ?, ?, ?)',
);
const balance = db.prepare(
  'update accounts set balance_fen = balance_fen + ?, updated_at = ? where account_no = ?',
);
const commit = db.prepare('commit');
const begin = db.prepare('begin');

const detail = JSON.stringify({
  patient: {
    cardType: '03',
    cardNo: 'K12345678',
    accountType: '01',
    hisCustId: 'H1234567',
    userName: '李四',
  },
  payType: 'CASH',
  operator: { operatorId: '001', termNo: 'T01', operatorName: '张三' },
  extra: { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' },
  paidChannel: 'CASH',
  resultDesc: '交易成功',
});
const answer = JSON.stringify({ respCode: '000000', respMsg: '处理成功', pad: 'x'.repeat(480) });

let commitNs = 0n;
const wall = process.hrtime.bigint();
const cpu = process.cpuUsage();
for (let n = 0; n < count; ) {
  begin.run();
  for (let k = 0; k < BATCH && n < count; k++, n++) {
    const now = Date.now();
    const account = read.get(`C${n}`, 'app1', `K${(n * 2_654_435_761) % ACCOUNTS}`) as { account_no: string };
    claim.run(Math.floor(now / 1000), 'app1', `${n}`.padStart(32, '0'));
    const trace = `${now}${String(n).padStart(12, '0')}`;
    insertOrder.run(
      trace,
      'app1',
      `C${n}`,
      `h${n}`.padEnd(64, '0'),
      10_000,
      account.account_no,
      answer,
      detail,
      now,
    );
    entry.run(trace, 'clearing:CASH', `deposit:${account.account_no}`, 10_000, now);
    balance.run(10_000, now, account.account_no);
  }
  const started = process.hrtime.bigint();
  commit.run();
  commitNs += process.hrtime.bigint() - started;
}
const used = process.cpuUsage(cpu);
const micros = (ns: bigint) => Number(ns) / 1000 / count;
const wallUs = micros(process.hrtime.bigint() - wall);
const commitUs = micros(commitNs);
const cpuUs = (used.user + used.system) / count;
console.log(
  json
    ? JSON.stringify({ wallUs, commitUs, cpuUs })
    : `${count} recharges, ${BATCH} a commit: ${wallUs.toFixed(1)} µs wall a recharge ` +
        `(commit ${commitUs.toFixed(1)}), ${cpuUs.toFixed(1)} µs CPU`,
);
db.close();
rmSync(dir, { recursive: true, force: true });
