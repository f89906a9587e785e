/**
 * Ceiling: raw SQLite commits per second with the platform's pragmas (WAL,
 * synchronous=FULL), one tiny insert per transaction through better-sqlite3
 * with no framework around it. An fsync per commit caps any design that
 * commits once per request; group commit is measured against this.
 * Prints {"commitsPerS": n}. Args: <dir> <durationMs>
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';

const [dir, durationArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: sqlite-commits.ts <dir> <durationMs>');
const durationMs = Number(durationArg ?? '2000');
const db = new Database(join(dir, 'ceiling.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('create table if not exists t (id integer primary key, v text not null)');
const insert = db.prepare('insert into t (v) values (?)');
const commit = db.transaction((v: string) => insert.run(v));
const end = performance.now() + durationMs;
let commits = 0;
while (performance.now() < end) {
  commit('x'.repeat(100));
  commits++;
}
db.close();
process.stdout.write(`${JSON.stringify({ commitsPerS: Math.round((commits / durationMs) * 1000) })}\n`);
