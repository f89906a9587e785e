import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import type { App } from '../../apps/registry.js';
import type { OrderTable } from '../../store/index.js';
import { holderOf, holderOfRefund } from './index.js';

/** A refund row as far as choosing its holder reads it. */
function refundRow(appid: string, detail: Record<string, unknown>): OrderTable {
  return { trace_no: 'R1', appid, detail: JSON.stringify(detail) } as OrderTable;
}

for (const database of TEST_DATABASES) {
  describe(`who holds an order's money, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let app: App;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      const found = await t.running.platform.apps.find(t.appid);
      assert.ok(found);
      app = found;
    });
    after(async () => {
      await t?.closeCheckingLedger();
    });

    it(
      'is the ledger for deposits and revenue for exam bills when the app names no HIS',
      availability,
      async () => {
        const platform = t.running.platform;
        assert.equal((await holderOf(platform, app, 'recharge')).name, 'ledger');
        assert.equal((await holderOf(platform, app, 'refund')).name, 'ledger');
        assert.equal((await holderOf(platform, app, 'recpay')).name, 'revenue');
        assert.equal((await holderOf(platform, app, 'cancel')).name, 'revenue');
        assert.equal((await holderOf(platform, app, 'recharge')).keepsAccounts, true);
      },
    );

    it(
      'a refund finishes with the holder it recorded, and one begun with an HIS the app no longer has is not guessed',
      availability,
      async () => {
        const platform = t.running.platform;
        assert.equal((await holderOfRefund(platform, refundRow(t.appid, {}))).name, 'ledger');
        assert.equal(
          (await holderOfRefund(platform, refundRow(t.appid, { holder: 'revenue' }))).name,
          'revenue',
        );
        await assert.rejects(
          holderOfRefund(platform, refundRow(t.appid, { holder: 'his' })),
          /no longer has/,
        );
      },
    );

    it(
      'is the external HIS for deposits once the app names one; exam bills stay revenue',
      availability,
      async () => {
        const platform = t.running.platform;
        await platform.apps.configure(t.appid, {
          depositProvider: { kind: 'his-http', baseUrl: 'http://127.0.0.1:9', key: 'k', timeoutMs: 100 },
        });
        const configured = await platform.apps.find(t.appid);
        assert.ok(configured);
        const deposit = await holderOf(platform, configured, 'recharge');
        assert.equal(deposit.name, 'his');
        assert.equal(deposit.keepsAccounts, false);
        assert.deepEqual(deposit.settlesFrom, ['ing', 'init', 'exp']);
        assert.equal((await holderOf(platform, configured, 'recpay')).name, 'revenue');
        assert.equal((await holderOfRefund(platform, refundRow(t.appid, { holder: 'his' }))).name, 'his');
      },
    );
  });
}
