import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { cashRecharge } from '../../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';

const param = (answer: Record<string, unknown>) => answer['param'] as Record<string, string>;

for (const database of TEST_DATABASES) {
  describe(`PosNo on a POS recharge without the desk, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database);
    });
    after(() => t?.closeCheckingLedger());

    it('the slip is taken on the terminal the HIS named, and the order keeps it', availability, async () => {
      const paid = await t.client.recharge({
        ...cashRecharge('POS1', 'POS-2', '12.00'),
        depositType: 'POS',
        PosNo: '2',
      });
      assert.equal(paid.respCode, '000000', paid.respMsg);
      const traceNo = param(paid)['traceNo'] as string;
      const db = t.running.platform.store.db;
      const slip = await db
        .selectFrom('sandbox_payments')
        .select(['pos_no', 'message'])
        .where('trace_no', '=', traceNo)
        .executeTakeFirstOrThrow();
      assert.equal(slip.pos_no, '2');
      const order = await db
        .selectFrom('orders')
        .select('detail')
        .where('trace_no', '=', traceNo)
        .executeTakeFirstOrThrow();
      assert.equal((JSON.parse(order.detail) as { param: Record<string, unknown> }).param['PosNo'], '2');

      const unnamed = await t.client.recharge({
        ...cashRecharge('POS1', 'POS-1', '1.00'),
        depositType: 'POS',
      });
      const first = await db
        .selectFrom('sandbox_payments')
        .select('pos_no')
        .where('trace_no', '=', param(unnamed)['traceNo'] as string)
        .executeTakeFirstOrThrow();
      assert.equal(first.pos_no, '1', 'without PosNo a desk with one terminal means terminal 1');
    });
  });
}
