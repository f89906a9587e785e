/**
 * What one pgbench TPC-B transaction costs PostgreSQL, to set beside a
 * recharge's (bench/probes/pg-trade-cost.ts): pgbench's own script (BEGIN,
 * three UPDATEs, a SELECT, an INSERT, END: 7 round trips), run one at a time
 * through node-postgres with prepared statements, as `pgbench -M prepared`
 * sends it, on tables made by `pgbench -i -s 1` in a schema of its own
 * (dropped afterwards). Prints the CPU of the server process behind the
 * connection (its /proc/<pid>/stat, so PostgreSQL must run on this machine)
 * and of this process, a transaction.
 *
 *   DATABASE_URL=postgres://… node --import tsx bench/probes/pg-tpcb-cost.ts [transactions]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';

const url = process.env['DATABASE_URL'] ?? 'postgres://root@127.0.0.1:5432/test';
const count = Number(process.argv[2] ?? 3_000);
const SCHEMA = 'onepay_probe_tpcb';

/** CPU ticks (10 ms) of a process. */
function ticks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
const init = spawnSync('pgbench', ['-i', '-q', '-s', '1', url], {
  env: { ...process.env, PGOPTIONS: `-c search_path=${SCHEMA}` },
  encoding: 'utf8',
});
if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);

const client = new pg.Client({ connectionString: url, options: `-c search_path=${SCHEMA}` });
await client.connect();
const run = (name: string, text: string, values: unknown[]) => client.query({ name, text, values });
const transaction = async () => {
  const aid = 1 + Math.floor(Math.random() * 100_000);
  const tid = 1 + Math.floor(Math.random() * 10);
  const delta = Math.floor(Math.random() * 10_001) - 5_000;
  await client.query('BEGIN');
  await run('u1', 'UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2', [delta, aid]);
  await run('s1', 'SELECT abalance FROM pgbench_accounts WHERE aid = $1', [aid]);
  await run('u2', 'UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2', [delta, tid]);
  await run('u3', 'UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2', [delta, 1]);
  await run(
    'i1',
    'INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)',
    [tid, 1, aid, delta],
  );
  await client.query('END');
};
try {
  const pid = (client as unknown as { processID: number }).processID;
  for (let n = 0; n < 300; n++) await transaction();
  const server = ticks(pid);
  const cpu = process.cpuUsage();
  for (let n = 0; n < count; n++) await transaction();
  const used = process.cpuUsage(cpu);
  console.log(
    `TPC-B, one at a time, ${count}: server ${(((ticks(pid) - server) * 10_000) / count).toFixed(0)} µs CPU a transaction, ` +
      `client ${((used.user + used.system) / count).toFixed(0)} µs`,
  );
} finally {
  await client.end();
  await admin.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
  await admin.end();
}
