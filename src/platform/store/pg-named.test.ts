import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { openStore, type Store } from './open.js';

const postgres = TEST_DATABASES.find((d) => d.name === 'postgres');

describe('named statements on PostgreSQL', async () => {
  const availability = postgres ? await databaseAvailability(postgres) : { skip: 'no postgres' };
  let store: Store;
  let shared: Awaited<ReturnType<NonNullable<typeof postgres>['shared']>> | undefined;
  /** Another session on the same schema, standing for another process or a migration. */
  let other: pg.Client;
  before(async () => {
    if (availability.skip || !postgres) return;
    shared = await postgres.shared();
    // One connection, so every call below meets the statements this connection prepared.
    store = await openStore(shared.url, { pgSchema: shared.pgSchema as string, pgPoolMax: 1 });
    other = new pg.Client({ connectionString: shared.url, options: `-c search_path=${shared.pgSchema}` });
    await other.connect();
    await store.db
      .insertInto('apps')
      .values({ appid: 'named1', name: 'n', secret_sealed: 's', channels: '[]', config: '{}', created_at: 1 })
      .execute();
  });
  after(async () => {
    await other?.end();
    await store?.close();
    await shared?.dropSchema();
  });

  const preparedTexts = async () => {
    const { rows } = await sql<{ statement: string }>`
      select statement from pg_prepared_statements where name like 'onepay_%'`.execute(store.db);
    return rows.map((r) => r.statement);
  };

  it(
    'a data statement is prepared once per connection and reused; DDL and `*` are not named',
    availability,
    async () => {
      for (const appid of ['a1', 'named1', 'a3']) {
        await store.db.selectFrom('apps').select('name').where('appid', '=', appid).execute();
        await store.db.selectFrom('apps').selectAll().where('appid', '=', appid).execute();
      }
      await sql`create temporary table scratch_named (x int)`.execute(store.db);
      const prepared = await preparedTexts();
      assert.equal(
        prepared.filter((s) => s.startsWith('select "name" from "apps"')).length,
        1,
        prepared.join(' | '),
      );
      assert.ok(!prepared.some((s) => s.startsWith('select * from')), 'a `*` result list was named');
      assert.ok(!prepared.some((s) => /create temporary/i.test(s)), 'DDL was named');
    },
  );

  it('answers stay right when the same statement runs with other values', availability, async () => {
    for (const [appid, n] of [
      ['named1', 1],
      ['nobody', 0],
      ['named1', 1],
    ] as const) {
      const rows = await store.db.selectFrom('apps').select('appid').where('appid', '=', appid).execute();
      assert.equal(rows.length, n);
    }
  });

  it('a column added by another process leaves prepared statements working', availability, async () => {
    const find = () =>
      store.db.selectFrom('apps').select(['appid', 'name']).where('appid', '=', 'named1').execute();
    assert.equal((await find()).length, 1);
    await other.query('alter table apps add column added_later text');
    assert.deepEqual(await find(), [{ appid: 'named1', name: 'n' }]);
    const all = await store.db.selectFrom('apps').selectAll().where('appid', '=', 'named1').execute();
    assert.ok(all[0] && 'added_later' in all[0]);
  });

  it(
    'a statement whose plan no longer fits fails once, then runs under a fresh name',
    availability,
    async () => {
      const find = () =>
        store.db.selectFrom('apps').select('channels').where('appid', '=', 'named1').execute();
      await find();
      await other.query('alter table apps alter column channels type varchar(4000)');
      await assert.rejects(find(), /cached plan must not change result type/);
      assert.deepEqual(await find(), [{ channels: '[]' }]);
    },
  );
});
