import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import type { Store } from './open.js';

const postgres = TEST_DATABASES.find((d) => d.name === 'postgres');

describe('named statements on PostgreSQL', async () => {
  const availability = postgres ? await databaseAvailability(postgres) : { skip: 'no postgres' };
  let store: Store;
  before(async () => {
    if (!availability.skip && postgres) store = await postgres.open();
  });
  after(async () => {
    await store?.close();
  });

  it(
    'a data statement is prepared once per connection and reused; DDL is not named',
    availability,
    async () => {
      const prepared = await store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 3; i++) {
          const rows = await trx.selectFrom('apps').select('appid').where('appid', '=', `a${i}`).execute();
          assert.deepEqual(rows, []);
        }
        await sql`create temporary table scratch_named (x int)`.execute(trx);
        const { rows } = await sql<{ statement: string }>`
        select statement from pg_prepared_statements where name like 'onepay_%'`.execute(trx);
        return rows.map((r) => r.statement);
      });
      const selects = prepared.filter((s) => s.startsWith('select "appid" from "apps"'));
      assert.equal(
        selects.length,
        1,
        `the select was prepared ${selects.length} times: ${prepared.join(' | ')}`,
      );
      assert.ok(!prepared.some((s) => /create temporary/i.test(s)), 'DDL was named');
    },
  );

  it('answers stay right when the same statement runs with other values', availability, async () => {
    await store.db
      .insertInto('apps')
      .values({ appid: 'named1', name: 'n', secret_sealed: 's', channels: '[]', config: '{}', created_at: 1 })
      .execute();
    for (const [appid, n] of [
      ['named1', 1],
      ['nobody', 0],
      ['named1', 1],
    ] as const) {
      const rows = await store.db.selectFrom('apps').select('appid').where('appid', '=', appid).execute();
      assert.equal(rows.length, n);
    }
  });
});
