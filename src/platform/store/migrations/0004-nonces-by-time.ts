import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Nonce claims keyed by (ts_s, appid, nonce) instead of (appid, nonce).
 *
 * Every request writes one claim. Keyed by a random nonce, each claim dirtied
 * its own page of the index, and on SQLite a commit costs about 13 µs per
 * dirty page (measured in docs/benchmarks.md): a random page per request was
 * the largest part of a query's commit. Keyed by time first, claims append
 * to the same few pages, and the purge of claims older than the window is a
 * range at the start of the key, so the separate ts_s index goes too.
 *
 * A replay is the same envelope sent again, with the same ts, which the mac
 * covers; it still meets its claim. Reusing a nonce under a new ts requires
 * the app's key, which the nonce never guarded against (docs/wire-format.md).
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('nonce_claims')
    .addColumn('ts_s', 'bigint', (c) => c.notNull())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('nonce_claims_pk', ['ts_s', 'appid', 'nonce'])
    // SQLite: the primary key IS the table, one B-tree instead of a table plus an index.
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  // Claims still inside the window keep refusing their replays across the upgrade.
  await sql`insert into nonce_claims (ts_s, appid, nonce) select ts_s, appid, nonce from nonces`.execute(db);
  await db.schema.dropTable('nonces').execute();
}
