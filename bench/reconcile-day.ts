/**
 * How long a day of N channel trades takes to reconcile (default 1,000,000):
 * seeds the day's orders and the sandbox channel's books with multi-row
 * INSERTs, a few of each kind of difference among them, then times
 * reconcileDay (load the statement, match by SQL joins).
 *
 *   node --import tsx bench/reconcile-day.ts [--db postgres://…|sqlite:/path] [--trades 1000000]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createLogger } from '../src/platform/log/logger.js';
import { beijingDayBounds } from '../src/platform/reconcile/day.js';
import { reconcileDay } from '../src/platform/reconcile/run.js';
import { startPlatform } from '../src/server/serve.js';

const { values } = parseArgs({
  options: { db: { type: 'string' }, trades: { type: 'string', default: '1000000' } },
});
const trades = Number(values.trades);
const dataDir = mkdtempSync(join(tmpdir(), 'onepay-reconcile-bench-'));
const pgSchema = `bench_${randomBytes(4).toString('hex')}`;
const db = values.db ?? `sqlite:${join(dataDir, 'bench.db')}`;
const appid = 'benchapp';
const running = await startPlatform({
  port: 0,
  dataDir,
  db,
  ...(db.startsWith('postgres') ? { pgSchema } : {}),
  devApps: [`${appid}:${randomBytes(24).toString('base64url')}`],
  log: createLogger({ level: 'silent' }),
  announce: false,
});
const store = running.platform.store.db;
const day = '2026-12-01';
const { from } = beijingDayBounds(day);
const BATCH = 1000;

const seedStarted = performance.now();
for (let start = 0; start < trades; start += BATCH) {
  const orders = [];
  const payments = [];
  for (let i = start; i < Math.min(trades, start + BATCH); i++) {
    const trace = `B${String(i).padStart(12, '0')}`;
    const at = from + Math.floor((i / trades) * 86_000_000);
    // Every 100,000th trade is a difference: amount (…1), short (…2), long (…3).
    const amount = 1000 + (i % 977);
    const kind = i % 100_000;
    if (kind !== 3)
      orders.push({
        trace_no: trace,
        appid,
        kind: 'recharge' as const,
        out_no: `O${i}`,
        request_hash: 'h',
        state: 'succ' as const,
        amount_fen: amount,
        channel: 'ALI_QR',
        account_no: null,
        orig_trace_no: null,
        refunded_fen: 0,
        answer: null,
        detail: '{}',
        term_no: 'T01',
        created_at: at,
        updated_at: at,
        finished_at: at,
        expire_at: null,
      });
    if (kind !== 2)
      payments.push({
        trace_no: trace,
        appid,
        channel: 'ALI_QR',
        amount_fen: kind === 1 ? amount + 1 : amount,
        subject: 's',
        term_no: 'T01',
        token: null,
        state: 'success' as const,
        scenario: 'wallet',
        queries: 0,
        paid_channel: 'ALI_QR',
        channel_trade_no: `C${i}`,
        pos_no: null,
        result_extra: null,
        message: null,
        refunded_fen: 0,
        refund_outcome: null,
        expire_at: at + 3_600_000,
        paid_at: at,
        created_at: at,
        updated_at: at,
      });
  }
  if (orders.length) await store.insertInto('orders').values(orders).execute();
  if (payments.length) await store.insertInto('sandbox_payments').values(payments).execute();
}
// A day's tables in service have statistics (autovacuum); freshly seeded ones not yet.
if (running.platform.store.dialect === 'postgres') await sql`analyze`.execute(store);
const seedMs = performance.now() - seedStarted;
const summary = await reconcileDay(running.platform, appid, day);
const again = await reconcileDay(running.platform, appid, day);
console.log(
  JSON.stringify(
    {
      engine: running.platform.store.dialect,
      trades,
      seedSeconds: Math.round(seedMs / 100) / 10,
      reconcileSeconds: Math.round(summary.ms / 100) / 10,
      rerunSeconds: Math.round(again.ms / 100) / 10,
      summary,
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    },
    null,
    2,
  ),
);
await running.close();
if (db.startsWith('postgres')) {
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: db });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
  await client.end();
}
