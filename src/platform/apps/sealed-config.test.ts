import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import type { Store } from '../store/index.js';
import { AppRegistry } from './registry.js';

const HIS_KEY = 'his-shared-key-0123456789';

for (const database of TEST_DATABASES) {
  describe(`an app's HIS key at rest, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let store: Store;
    let apps: AppRegistry;
    const masterKey = randomBytes(32);
    before(async () => {
      if (availability.skip) return;
      store = await database.open();
      apps = new AppRegistry(store, masterKey);
    });
    after(async () => {
      await store?.close();
    });

    it('is sealed in the row and open in memory', availability, async () => {
      await apps.create({
        name: '医院',
        appid: 'his1',
        config: { depositProvider: { kind: 'his-http', baseUrl: 'https://his.example', key: HIS_KEY } },
      });
      const row = await store.db
        .selectFrom('apps')
        .select('config')
        .where('appid', '=', 'his1')
        .executeTakeFirstOrThrow();
      assert.ok(!row.config.includes(HIS_KEY), 'the key is not in the database in clear');
      assert.match(row.config, /keySealed/);
      assert.equal(
        (await new AppRegistry(store, masterKey).find('his1'))?.config.depositProvider?.key,
        HIS_KEY,
      );
      await assert.rejects(
        new AppRegistry(store, randomBytes(32)).find('his1'),
        'another master key opens nothing',
      );
    });

    it(
      'a row stored in clear before is sealed by sealPlainKeys, and read the same',
      availability,
      async () => {
        await apps.create({ name: '旧医院', appid: 'his2' });
        const plain = { depositProvider: { kind: 'his-http', baseUrl: 'https://his.example', key: HIS_KEY } };
        await store.db
          .updateTable('apps')
          .set({ config: JSON.stringify(plain) })
          .where('appid', '=', 'his2')
          .execute();
        const fresh = new AppRegistry(store, masterKey);
        assert.equal(await fresh.sealPlainKeys(), 1);
        assert.equal(await fresh.sealPlainKeys(), 0, 'nothing left in clear');
        const row = await store.db
          .selectFrom('apps')
          .select('config')
          .where('appid', '=', 'his2')
          .executeTakeFirstOrThrow();
        assert.ok(!row.config.includes(HIS_KEY));
        assert.equal(
          (await new AppRegistry(store, masterKey).find('his2'))?.config.depositProvider?.key,
          HIS_KEY,
        );
      },
    );
  });
}
