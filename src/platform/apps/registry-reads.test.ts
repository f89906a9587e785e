import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  SelectQueryNode,
  type UnknownRow,
} from 'kysely';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import type { Store } from '../store/index.js';
import { AppRegistry } from './registry.js';

/** Counts the statements that read the apps table. */
class AppReads implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (SelectQueryNode.is(args.node) && JSON.stringify(args.node.from).includes('"apps"')) this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

for (const database of TEST_DATABASES) {
  describe(`reading an app, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let store: Store;
    const masterKey = randomBytes(32);
    before(async () => {
      if (availability.skip) return;
      store = await database.open();
      await new AppRegistry(store, masterKey).create({ name: '医院', appid: 'app1', channels: ['CASH'] });
    });
    after(async () => {
      await store?.close();
    });

    it('once for every request that finds it unknown at the same moment', availability, async () => {
      const reads = new AppReads();
      const apps = new AppRegistry({ ...store, db: store.db.withPlugin(reads) }, masterKey);
      const found = await Promise.all(Array.from({ length: 20 }, () => apps.find('app1')));
      assert.equal(reads.count, 1);
      assert.ok(found.every((app) => app === found[0] && app?.appid === 'app1'));
      assert.equal(await apps.find('app1'), found[0], 'then from memory');
      assert.equal(reads.count, 1);
      assert.equal(await apps.find('nobody'), undefined);
    });

    it('afresh after this process changed it, even with a read still in flight', availability, async () => {
      const reads = new AppReads();
      const apps = new AppRegistry({ ...store, db: store.db.withPlugin(reads) }, masterKey);
      const before = apps.find('app1');
      await apps.setChannels('app1', ['CASH', 'POS']);
      const after = await apps.find('app1');
      assert.deepEqual([...(after?.channels ?? [])].sort(), ['CASH', 'POS']);
      assert.equal(reads.count, 2, 'the read begun before the change is not shared with one after it');
      await before;
      assert.deepEqual([...((await apps.find('app1'))?.channels ?? [])].sort(), ['CASH', 'POS']);
    });
  });
}
