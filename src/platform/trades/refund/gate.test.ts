import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { cashRecharge, cashRefund } from '../../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';

for (const database of TEST_DATABASES) {
  describe(`the minimum interval between refunds of one order, under concurrency, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip)
        t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 60_000 } });
    });
    after(async () => {
      if (!availability.skip) await t.closeCheckingLedger();
    });

    it(
      'twelve refunds of one order at once: one passes, the others get 044003, nothing else moves',
      availability,
      async () => {
        assert.equal((await t.client.recharge(cashRecharge('GT1', 'GT1-C', '50.00'))).respCode, '000000');
        const answers = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            t.client.refund(cashRefund('GT1', 'GT1-C', `GT1-R${i}`, '1.00')),
          ),
        );
        const codes = answers.map((a) => a.respCode).sort();
        assert.deepEqual(
          codes,
          ['000000', ...Array.from({ length: 11 }, () => '044003')],
          JSON.stringify(codes),
        );
        const orig = await t.running.platform.store.db
          .selectFrom('orders')
          .select('refunded_fen')
          .where('out_no', '=', 'GT1-C')
          .executeTakeFirstOrThrow();
        assert.equal(Number(orig.refunded_fen), 100, 'one refund of 1.00, no more');
        const refunds = await t.running.platform.store.db
          .selectFrom('orders')
          .select('trace_no')
          .where('kind', '=', 'refund')
          .where('out_no', 'like', 'GT1-R%')
          .execute();
        assert.equal(refunds.length, 1, 'a refused refund leaves no row behind');
      },
    );

    it('another order is not held up by the first one’s gate', availability, async () => {
      assert.equal((await t.client.recharge(cashRecharge('GT2', 'GT2-C', '5.00'))).respCode, '000000');
      assert.equal((await t.client.refund(cashRefund('GT2', 'GT2-C', 'GT2-R1', '1.00'))).respCode, '000000');
    });
  });
}
