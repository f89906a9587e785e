import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { databaseAvailability, POSTGRES_URL, TEST_DATABASES } from '../../testing/databases.js';
import { migrateToLatest } from './migrate.js';

const postgres = TEST_DATABASES.find((d) => d.name === 'postgres');
if (!postgres) throw new Error('no postgres in TEST_DATABASES');

describe('migrating a PostgreSQL schema named only by the connection', async () => {
  const availability = await databaseAvailability(postgres);
  const mine = `mig_${randomBytes(4).toString('hex')}`;
  const other = `mig_${randomBytes(4).toString('hex')}`;
  const dbs: Kysely<unknown>[] = [];
  const on = (schema: string) => {
    const db = new Kysely<unknown>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: POSTGRES_URL, max: 2, options: `-c search_path=${schema}` }),
      }),
    });
    dbs.push(db);
    return db;
  };
  after(async () => {
    if (availability.skip) return;
    const admin = on('public');
    await sql
      .raw(`drop schema if exists ${mine} cascade; drop schema if exists ${other} cascade`)
      .execute(admin);
    for (const db of dbs) await db.destroy();
  });

  it('is not confused by another schema that holds migration tables', availability, async () => {
    const admin = on('public');
    await sql.raw(`create schema ${other}; create schema ${mine}`).execute(admin);
    // Another schema of the same database, already migrated (another app's or another tenant's).
    await migrateToLatest(on(other), 'postgres', other);
    // The platform's schema chosen by the connection's search_path, as a URL's options would.
    await migrateToLatest(on(mine), 'postgres');
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables
      where table_schema = ${mine} and table_name in ('orders', 'kysely_migration')`.execute(admin);
    assert.deepEqual(tables.rows.map((r) => r.table_name).sort(), ['kysely_migration', 'orders']);
  });
});

describe('another schema dropped while Kysely reads the catalogue', async () => {
  const availability = await databaseAvailability(postgres);

  it('migrating succeeds while other schemas come and go', availability, async () => {
    const admin = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: POSTGRES_URL, max: 2 }) }),
    });
    const mine = Array.from({ length: 3 }, () => `mig_${randomBytes(4).toString('hex')}`);
    let churning = true;
    const churn = (async () => {
      for (let i = 0; churning; i++) {
        const name = `mig_churn_${randomBytes(3).toString('hex')}`;
        await sql.raw(`create schema ${name}; create table ${name}.t (a int)`).execute(admin);
        await sql.raw(`drop schema ${name} cascade`).execute(admin);
      }
    })();
    try {
      for (const schema of mine) {
        await sql.raw(`create schema ${schema}`).execute(admin);
        const db = new Kysely<unknown>({
          dialect: new PostgresDialect({
            pool: new pg.Pool({
              connectionString: POSTGRES_URL,
              max: 2,
              options: `-c search_path=${schema}`,
            }),
          }),
        });
        try {
          await migrateToLatest(db, 'postgres', schema);
        } finally {
          await db.destroy();
        }
      }
    } finally {
      churning = false;
      await churn;
      await sql.raw(mine.map((s) => `drop schema if exists ${s} cascade;`).join(' ')).execute(admin);
      await admin.destroy();
    }
  });
});
