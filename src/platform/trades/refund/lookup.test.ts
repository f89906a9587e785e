import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { cashRecharge, cashRefund } from '../../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import { findOrder, findOrderByOutNo } from '../orders.js';
import { findRefundAndOriginal } from './lookup.js';

for (const database of TEST_DATABASES) {
  describe(`a refund's three reads in one statement, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
      const paid = await t.client.recharge(cashRecharge('RL', 'RL-C', '10.00'));
      assert.equal(paid.respCode, '000000', paid.respMsg);
    });
    after(() => t?.close());

    const refund = (outRefundNo: string) => t.client.refund(cashRefund('RL', 'RL-C', outRefundNo, '1.00'));

    it('finds what the separate reads find', availability, async () => {
      const db = t.running.platform.store.db;
      const orig = await findOrderByOutNo(db, t.appid, 'recharge', 'RL-C');
      assert.ok(orig);
      const none = await findRefundAndOriginal(db, t.appid, 'RL-R1', { traceNo: '', outChargeNo: 'RL-C' });
      assert.deepEqual(none, { existing: undefined, orig });

      assert.equal((await refund('RL-R1')).respCode, '000000');
      assert.equal((await refund('RL-R2')).respCode, '000000');
      const r1 = await findOrderByOutNo(db, t.appid, 'refund', 'RL-R1');
      const r2 = await findOrderByOutNo(db, t.appid, 'refund', 'RL-R2');
      assert.ok(r1 && r2);
      const byNumber = await findRefundAndOriginal(db, t.appid, 'RL-R1', {
        traceNo: '',
        outChargeNo: 'RL-C',
      });
      assert.deepEqual(byNumber.existing, r1);
      assert.deepEqual(byNumber.orig, await findOrder(db, t.appid, orig.trace_no));

      // traceNo wins over outChargeNo, and names an order of any kind (the caller answers 040008).
      const byTrace = await findRefundAndOriginal(db, t.appid, 'RL-R9', {
        traceNo: r1.trace_no,
        outChargeNo: 'RL-C',
      });
      assert.equal(byTrace.existing, undefined);
      assert.deepEqual(byTrace.orig, r1);
    });

    it('another app finds nothing of these, by number or by trace', availability, async () => {
      const db = t.running.platform.store.db;
      const orig = await findOrderByOutNo(db, t.appid, 'recharge', 'RL-C');
      assert.ok(orig);
      for (const original of [
        { traceNo: '', outChargeNo: 'RL-C' },
        { traceNo: orig.trace_no, outChargeNo: '' },
      ]) {
        assert.deepEqual(await findRefundAndOriginal(db, 'someoneelse', 'RL-R1', original), {
          existing: undefined,
          orig: undefined,
        });
      }
    });
  });
}
