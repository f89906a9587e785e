import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ORDER_NO_MAX } from '../../protocol/catalog/fields.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { cashRecharge, cashRefund, OPERATOR } from '../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';

/** A merchant number of exactly `length` characters, unique per call. */
let serial = 0;
function numberOf(length: number, prefix: string): string {
  serial += 1;
  const head = `${prefix}${serial}-`;
  return head + 'X'.repeat(length - head.length);
}

const param = (answer: Record<string, unknown>) => answer['param'] as Record<string, string>;

for (const database of TEST_DATABASES) {
  describe(`one length for one number on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database);
    });
    after(() => t?.closeCheckingLedger());

    it(
      `a recharge under a ${ORDER_NO_MAX}-character number is queried, closed and refunded under it`,
      availability,
      async () => {
        const chargeNo = numberOf(ORDER_NO_MAX, 'C');
        const refundNo = numberOf(ORDER_NO_MAX, 'R');
        const paid = await t.client.recharge(cashRecharge('ON1', chargeNo, '9.00'));
        assert.equal(paid.respCode, '000000', paid.respMsg);

        const card = { ...OPERATOR, cardType: '03', cardNo: 'ON1', accountType: '01' };
        const found = await t.client.query({
          ...card,
          tradeType: 'hop.trade.recharge',
          outTradeNo: chargeNo,
        });
        assert.equal(found.respCode, '000000', found.respMsg);
        assert.equal(param(found)['result'], 'succ');
        assert.equal(param(found)['traceNo'], param(paid)['traceNo']);

        // A paid order cannot be closed: the answer says so, rather than refusing the number's length.
        const close = await t.client.rechargeClose({ ...card, outChargeNo: chargeNo });
        assert.equal(close.respCode, '033001', close.respMsg);

        const refunded = await t.client.refund(cashRefund('ON1', chargeNo, refundNo, '4.00'));
        assert.equal(refunded.respCode, '000000', refunded.respMsg);
        const refundFound = await t.client.query({
          ...card,
          tradeType: 'hop.trade.refund',
          outTradeNo: refundNo,
        });
        assert.equal(refundFound.respCode, '000000', refundFound.respMsg);
        assert.equal(param(refundFound)['result'], 'succ');
      },
    );

    it(
      `one character more than ${ORDER_NO_MAX} is 020005 everywhere, before anything is stored`,
      availability,
      async () => {
        const tooLong = numberOf(ORDER_NO_MAX + 1, 'L');
        const card = { ...OPERATOR, cardType: '03', cardNo: 'ON2', accountType: '01' };
        const answers = [
          await t.client.recharge(cashRecharge('ON2', tooLong, '1.00')),
          await t.client.query({ ...card, tradeType: 'hop.trade.recharge', outTradeNo: tooLong }),
          await t.client.rechargeClose({ ...card, outChargeNo: tooLong }),
          await t.client.refund(cashRefund('ON2', tooLong, 'R-ok', '1.00')),
          await t.client.refund(cashRefund('ON2', 'C-ok', tooLong, '1.00')),
        ];
        for (const answer of answers) assert.equal(answer.respCode, '020005', answer.respMsg);
      },
    );
  });
}
