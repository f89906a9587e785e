import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PayClient } from '../../../client/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { cashRecharge, cashRefund } from '../../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';

// The spec's deskflak: absent means 0 (the desk pops), for a refund as for a recharge.
for (const database of TEST_DATABASES) {
  describe(`deskflak absent on a refund, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
    });
    after(async () => {
      if (!availability.skip) await t.close();
    });

    it('pops the refund desk, as a recharge without it pops the cashier desk', availability, async () => {
      assert.equal((await t.client.recharge(cashRecharge('DD1', 'DD1-C', '9.00'))).respCode, '000000');
      const shown: string[] = [];
      const client = new PayClient({
        serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
        appid: t.appid,
        appsecret: t.secret,
        desk: { show: (url) => shown.push(url), timeoutMs: 500 },
      });
      const { extra: _none, ...noDeskflak } = cashRefund('DD1', 'DD1-C', 'DD1-R', '1.00');
      const answer = await client.refund(noDeskflak);
      assert.match(shown[0] ?? '', /\/refund-desk\//, 'the refund desk was shown');
      assert.equal(answer.respCode, '040038', 'nobody finished the desk within the wait');
    });
  });
}
