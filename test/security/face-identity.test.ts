/**
 * Face identity answers only about the patient of its own session: whoever
 * holds a face link cannot post another ID number and have the platform
 * return that patient's name, cards and balances as "verified".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { cashRecharge, OPERATOR } from '../../src/testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';

const face = { ...OPERATOR, Business_type: '01', CardListType: '2', extra: {} };
const VICTIM_ID = '350203199001011234';

async function act(url: string, fields: Record<string, string>): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: 'succ', ...fields }).toString(),
  });
  return res.status;
}

for (const database of TEST_DATABASES) {
  describe(`face identity and another patient's ID number, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      // The victim: a patient with a deposit, found by ID number.
      const opened = await t.client.recharge({
        ...cashRecharge('VIC1', 'VIC1-C', '888.00'),
        idNo: VICTIM_ID,
        userName: '林小梅',
      });
      assert.equal(opened.respCode, '000000', opened.respMsg);
    });
    after(async () => {
      if (!availability.skip) await t.close();
    });

    it(
      'posting another ID number on the face page verifies nobody and reveals nothing',
      availability,
      async () => {
        const first = await t.client.faceQuery({ ...face, outTradeNo: 'FX1' });
        const url = String((first['param'] as Record<string, unknown>)['qrcode']);
        assert.equal(await act(url, { idNo: VICTIM_ID, name: '林小梅' }), 200);
        const done = await t.client.faceQuery({ ...face, outTradeNo: 'FX1' });
        assert.equal(done.respCode, '039001', JSON.stringify(done));
        const text = JSON.stringify(done);
        for (const secret of [VICTIM_ID, '林小梅', '888.00', 'VIC1'])
          assert.ok(!text.includes(secret), secret);
      },
    );

    it('the face page shows, and verifies, the session’s own patient', availability, async () => {
      const named = { ...face, outTradeNo: 'FX2', extra: { idNo: VICTIM_ID, userName: '林小梅' } };
      const first = await t.client.faceQuery(named);
      const url = String((first['param'] as Record<string, unknown>)['qrcode']);
      const page = await (await fetch(url)).text();
      assert.ok(page.includes(VICTIM_ID), 'the session names its patient');
      assert.equal(await act(url, {}), 200);
      const done = await t.client.faceQuery(named);
      assert.equal(done.respCode, '000000', done.respMsg);
      const cards = (done['param'] as Record<string, unknown>)['SelectCard'] as Record<string, string>[];
      assert.deepEqual(
        cards.map((c) => c['cardNo']),
        ['VIC1'],
      );
    });
  });
}
