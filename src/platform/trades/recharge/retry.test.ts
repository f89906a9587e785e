import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { cashRecharge, OPERATOR } from '../../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import { sandboxCode } from '../../channels/sandbox/harness.js';

function p(answer: Record<string, unknown>): Record<string, unknown> {
  return (answer['param'] ?? {}) as Record<string, unknown>;
}

/** A WeChat barcode recharge; the sandbox declines a code ending in 6 and pays one ending in 0. */
function barcode(outChargeNo: string, lastDigit: number, amount = '12.00'): Record<string, unknown> {
  const base = cashRecharge('RT1', outChargeNo, amount);
  const extra = base['extra'] as Record<string, unknown>;
  return { ...base, depositType: 'WX_BAR', extra: { ...extra, authCode: sandboxCode('WX', lastDigit) } };
}

for (const database of TEST_DATABASES) {
  describe(`a merchant number used again, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database);
    });
    after(async () => {
      if (!availability.skip) await t.closeCheckingLedger();
    });

    it(
      'a failed order is paid again under its number; the paid one then holds it',
      availability,
      async () => {
        const declined = await t.client.recharge(barcode('RT-1', 6));
        assert.notEqual(declined.respCode, '000000');
        assert.notEqual(declined.respCode, '030001');
        const failedTrace = p(declined)['traceNo'];
        const paid = await t.client.recharge(barcode('RT-1', 0));
        assert.equal(paid.respCode, '000000', paid.respMsg);
        assert.notEqual(p(paid)['traceNo'], failedTrace, 'a new attempt, with its own trace number');
        const query = await t.client.query({
          ...OPERATOR,
          cardType: '03',
          cardNo: 'RT1',
          accountType: '01',
          tradeType: 'hop.trade.recharge',
          outTradeNo: 'RT-1',
        });
        assert.equal(p(query)['result'], 'succ', 'the number now names the paid attempt');
        assert.deepEqual(await t.client.recharge(barcode('RT-1', 0)), paid, 'the same request replays');
        const other = await t.client.recharge(barcode('RT-1', 0, '13.00'));
        assert.equal(other.respCode, '030001', 'paid numbers stay taken, and say 流水号重复, not 已支付');
      },
    );

    it('an unpaid (pending) order’s number with other parameters is 030001', availability, async () => {
      const open = await t.client.recharge({ ...cashRecharge('RT2', 'RT-2', '5.00'), depositType: 'WX_QR' });
      assert.equal(open.respCode, '000000', open.respMsg);
      const again = await t.client.recharge({ ...cashRecharge('RT2', 'RT-2', '6.00'), depositType: 'WX_QR' });
      assert.equal(again.respCode, '030001', again.respMsg);
    });
  });
}
