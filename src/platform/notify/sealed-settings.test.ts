import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { SecretBox } from '../apps/secret-box.js';
import type { Store } from '../store/index.js';
import { loadNotifyConfig, saveNotifyConfig, sealPlainNotifyConfigs } from './config.js';

const WEBHOOK_SECRET = 'webhook-secret-0123456789';

for (const database of TEST_DATABASES) {
  describe(`webhook and WeChat secrets at rest, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let store: Store;
    before(async () => {
      if (!availability.skip) store = await database.open();
    });
    after(async () => {
      await store?.close();
    });

    it(
      'are sealed in the row, read back whole, and rows from before are sealed at start',
      availability,
      async () => {
        const where = { store, secrets: new SecretBox(randomBytes(32)) };
        const input = { centre: true, webhook: { url: 'https://hook.example/x', secret: WEBHOOK_SECRET } };
        await saveNotifyConfig(where, 'n1', input, 1, false);
        const row = await store.db
          .selectFrom('notify_settings')
          .select('config')
          .where('appid', '=', 'n1')
          .executeTakeFirstOrThrow();
        assert.ok(!row.config.includes(WEBHOOK_SECRET) && !row.config.includes('hook.example'));
        assert.equal((await loadNotifyConfig(where, 'n1')).webhook?.secret, WEBHOOK_SECRET);

        await store.db
          .insertInto('notify_settings')
          .values({ appid: 'n2', config: JSON.stringify(input), updated_at: 1 })
          .execute();
        assert.equal(
          (await loadNotifyConfig(where, 'n2')).webhook?.secret,
          WEBHOOK_SECRET,
          'a row from before reads as it is',
        );
        assert.equal(await sealPlainNotifyConfigs(where, 2), 1);
        const after = await store.db
          .selectFrom('notify_settings')
          .select('config')
          .where('appid', '=', 'n2')
          .executeTakeFirstOrThrow();
        assert.ok(!after.config.includes(WEBHOOK_SECRET));
        assert.equal((await loadNotifyConfig(where, 'n2')).webhook?.secret, WEBHOOK_SECRET);
      },
    );
  });
}
