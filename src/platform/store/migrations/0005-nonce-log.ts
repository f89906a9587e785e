import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * On SQLite, nonce claims become an append-only log: rows in arrival order
 * (rowid) with an index on their second alone, no key on the nonce.
 *
 * Since one process serves a SQLite file and decides its claims in memory
 * (gateway/nonces.ts), the table is only read back at start, whole, and purged
 * by second. Keyed by (ts, appid, nonce), each claim still landed on a random
 * page among its second's: 0.44 of the 1.9 pages a cash recharge wrote, and
 * on SQLite a commit costs by the pages it writes (docs/benchmarks.md).
 * Appended, a page takes ~60 claims.
 *
 * PostgreSQL keeps the keyed table: there the database decides the claim,
 * for every platform process sharing it.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'sqlite') return;
  await db.schema
    .createTable('nonce_log')
    .addColumn('ts_s', 'bigint', (c) => c.notNull())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .execute();
  // Claims still inside the window keep refusing their replays across the upgrade.
  await sql`insert into nonce_log (ts_s, appid, nonce) select ts_s, appid, nonce from nonce_claims order by ts_s`.execute(
    db,
  );
  await db.schema.dropTable('nonce_claims').execute();
  await sql`alter table nonce_log rename to nonce_claims`.execute(db);
  await db.schema.createIndex('nonce_claims_ts').on('nonce_claims').column('ts_s').execute();
}
