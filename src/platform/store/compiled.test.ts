import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { compiledOnce } from './compiled.js';
import type { Store } from './open.js';
import { runDirect } from './sqlite/direct.js';

// Slots named in one order, bound by the builder in another, plus a constant of the builder.
const insert = compiledOnce(['nonce', 'ts', 'appid'], (db, slot) =>
  db.insertInto('nonce_claims').values({ ts_s: slot.ts, appid: slot.appid, nonce: slot.nonce }),
);
const find = compiledOnce(['appid', 'from'], (db, slot) =>
  db
    .selectFrom('nonce_claims')
    .select(['nonce', 'ts_s'])
    .where('appid', '=', slot.appid)
    .where('ts_s', '>=', slot.from)
    .where('nonce', '!=', 'never-this')
    .orderBy('ts_s'),
);

for (const database of TEST_DATABASES) {
  describe(`compiledOnce on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let store: Store;
    before(async () => {
      if (!availability.skip) store = await database.open();
    });
    after(async () => {
      await store?.close();
    });

    it('binds each value to its own column, whatever the order of the names', availability, async () => {
      await insert(store.db, { nonce: 'n1', ts: 100, appid: 'a' });
      await insert(store.db, { appid: 'a', ts: 200, nonce: 'n2' });
      await insert(store.db, { appid: 'b', ts: 300, nonce: 'n3' });
      const rows = (await find(store.db, { appid: 'a', from: 150 })).rows;
      assert.deepEqual(rows, [{ nonce: 'n2', ts_s: 200 }]);
      assert.equal((await find(store.db, { appid: 'a', from: 0 })).rows.length, 2);
    });

    it('runs inside a transaction of the same store, and rolls back with it', availability, async () => {
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          await insert(trx, { appid: 'c', ts: 1, nonce: 'undone' });
          assert.equal((await find(trx, { appid: 'c', from: 0 })).rows.length, 1);
          throw new Error('roll back');
        }),
      );
      assert.equal((await find(store.db, { appid: 'c', from: 0 })).rows.length, 0);
    });

    it(
      'answers inside a transaction as through Kysely, straight on SQLite only there',
      availability,
      async () => {
        const probe = { sql: 'select 1 as one', parameters: [] };
        // Outside a transaction Kysely's connection lock must stay in the way; PostgreSQL never goes direct.
        assert.equal(runDirect(store.db, probe), undefined);
        await store.db.transaction().execute(async (trx) => {
          assert.equal(runDirect(trx, probe) !== undefined, database.name === 'sqlite');
          const written = await insert(trx, { appid: 'd', ts: 5, nonce: 'direct' });
          assert.equal(written.numAffectedRows, 1n);
          const again = await insert(trx, { appid: 'd', ts: 6, nonce: 'direct-2' });
          assert.equal(again.numAffectedRows, 1n);
          assert.deepEqual((await find(trx, { appid: 'd', from: 0 })).rows, [
            { nonce: 'direct', ts_s: 5 },
            { nonce: 'direct-2', ts_s: 6 },
          ]);
        });
        assert.equal((await find(store.db, { appid: 'd', from: 0 })).rows.length, 2);
      },
    );
  });
}

describe('compiledOnce refuses a builder that drops a slot', () => {
  it('throws instead of running without the value', async () => {
    const dropped = compiledOnce(['appid', 'unused'], (db, slot) =>
      db.selectFrom('nonce_claims').select(sql<number>`1`.as('one')).where('appid', '=', slot.appid),
    );
    const store = await TEST_DATABASES[0]?.open();
    assert.ok(store);
    try {
      await assert.rejects(dropped(store.db, { appid: 'a', unused: 1 }), /slots not bound: unused/);
    } finally {
      await store.close();
    }
  });
});
