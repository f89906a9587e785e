import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { cashRecharge } from '../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';

// What a HIS written against the vendor's DLL sends: extra fields, the spec's spaced transType, number amounts.
for (const database of TEST_DATABASES) {
  describe(`liberal in what a HIS sends, strict on request, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database);
    });
    after(async () => {
      if (!availability.skip) await t.closeCheckingLedger();
    });

    it(
      'fields the table does not list are ignored; an app set to strictParams refuses them, naming them',
      availability,
      async () => {
        const withExtra = {
          ...cashRecharge('LN1', 'LN1-C', '1.00'),
          hisPatientType: 'inpatient',
          userAge: '35',
        };
        assert.equal((await t.client.recharge(withExtra)).respCode, '000000');
        await t.running.platform.apps.update(t.appid, { strictParams: true });
        try {
          const strict = await t.client.recharge({ ...withExtra, outChargeNo: 'LN1-C2' });
          assert.equal(strict.respCode, '020000', strict.respMsg);
          assert.match(strict.respMsg, /hisPatientType/);
          assert.match(strict.respMsg, /userAge/);
        } finally {
          await t.running.platform.apps.update(t.appid, { strictParams: false });
        }
      },
    );

    it('the spec’s own spaced transType and a JSON number amount are understood', availability, async () => {
      const pindata = JSON.stringify({
        transType: 'hop. trade. recharge',
        param: { ...cashRecharge('LN2', 'LN2-C', '1.00'), amount: 100.5 },
      });
      const answer = JSON.parse(await t.client.payTrans(pindata)) as {
        respCode: string;
        param?: Record<string, unknown>;
      };
      assert.equal(answer.respCode, '000000', JSON.stringify(answer));
      assert.equal(answer.param?.['balance'], '100.50');
    });
  });
}
