/**
 * The whole road through payTrans for a live app with only WeChat Pay
 * configured, against the WeChat Pay gateway double, on both engines.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PayClient } from '../../../client/index.js';
import { wechatTestMerchant } from '../../../gateway-doubles/wechat/merchant.js';
import { WechatGatewayDouble, wechatDoubleCode } from '../../../gateway-doubles/wechat/server.js';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { OPERATOR } from '../../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import { sweepPending } from '../../trades/sweep.js';

const opening = { userSex: '2', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };
const card = (cardNo: string) => ({ ...OPERATOR, cardType: '03', cardNo, accountType: '01' });

function p(answer: Record<string, unknown>): Record<string, unknown> {
  return (answer['param'] ?? {}) as Record<string, unknown>;
}

for (const database of TEST_DATABASES) {
  describe(`WeChat Pay through payTrans on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let client: PayClient;
    let appid: string;
    let double: WechatGatewayDouble;

    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database, {
        settings: { barcodePollIntervalMs: 20, barcodePollMax: 3, refundMinIntervalMs: 0, sweepGraceMs: 0 },
      });
      double = new WechatGatewayDouble();
      const { config } = wechatTestMerchant(double, await double.listen());
      appid = `live${randomBytes(4).toString('hex')}`;
      const secret = randomBytes(24).toString('base64url');
      await t.running.platform.apps.create({ name: '正式医院', appid, secret, mode: 'live' });
      await t.running.platform.credentials.set(appid, 'wechat', config);
      client = new PayClient({
        serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
        appid,
        appsecret: secret,
      });
    });
    after(async () => {
      if (availability.skip) return;
      await double.close();
      await t.closeCheckingLedger();
    });

    const recharge = (
      cardNo: string,
      outChargeNo: string,
      depositType: string,
      amount = '12.34',
      extra = {},
    ) =>
      client.recharge({
        ...card(cardNo),
        hisCustId: `H${cardNo}`,
        userName: '李四',
        idNo: '',
        amount,
        outChargeNo,
        depositType,
        extra: { ...opening, ...extra },
      });
    const result = async (cardNo: string, outTradeNo: string, tradeType = 'hop.trade.recharge') =>
      p(await client.query({ ...card(cardNo), tradeType, outTradeNo }));

    it(
      'WX_QR: the code from WeChat Pay, paid through the notice, the platform asks and settles once',
      availability,
      async () => {
        const pending = await recharge('W1', 'W1-C', 'WX_QR');
        assert.equal(pending.respCode, '000000', pending.respMsg);
        const traceNo = String(p(pending)['traceNo']);
        assert.ok(double.order(traceNo), 'the order reached the double');
        assert.equal((await result('W1', 'W1-C'))['result'], 'ing');
        await double.pay(traceNo, false);
        assert.deepEqual(await double.notify(traceNo, { twice: true }), [204, 204]);
        const done = await result('W1', 'W1-C');
        assert.equal(done['result'], 'succ', JSON.stringify(done));
        assert.equal(done['tradeMode'], 'WX_QR');
        assert.equal(double.order(traceNo)?.total, 1234, 'yuan 12.34 is 1234 fen at WeChat Pay');
      },
    );

    it(
      'a gateway that says it took another amount settles nothing: a person decides',
      availability,
      async () => {
        const pending = await recharge('W19', 'W19-C', 'WX_QR', '5.00');
        const traceNo = String(p(pending)['traceNo']);
        await double.pay(traceNo, false);
        const order = double.order(traceNo);
        assert.ok(order);
        order.total = 1; // the gateway's record says 0.01
        assert.deepEqual(await double.notify(traceNo), [204]);
        const held = await result('W19', 'W19-C');
        assert.equal(held['result'], 'exp', JSON.stringify(held));
        assert.match(String(held['resultDesc']), /0\.01.*5\.00.*人工/);
        const info = await client.accountInfo(card('W19'));
        assert.equal(info.respCode, '031003', 'no account was opened, nothing credited');
        await sweepPending(t.running.platform);
        assert.equal((await result('W19', 'W19-C'))['result'], 'exp', 'the sweep leaves it to a person');
      },
    );

    it('a forged or late notice moves nothing', availability, async () => {
      const pending = await recharge('W2', 'W2-C', 'WX_QR', '1.00');
      const traceNo = String(p(pending)['traceNo']);
      await double.pay(traceNo, false);
      assert.deepEqual(await double.notify(traceNo, { forged: true }), [401]);
      assert.deepEqual(await double.notify(traceNo, { ageSeconds: 400 }), [401]);
      assert.equal((await result('W2', 'W2-C'))['result'], 'ing');
    });

    it('WX_BAR: paid at once, password then paid, paying until revoked, declined', availability, async () => {
      const paid = await recharge('W3', 'W3-C', 'WX_BAR', '1.00', { authCode: wechatDoubleCode('paid') });
      assert.equal(paid.respCode, '000000', paid.respMsg);
      assert.equal(p(paid)['tradeMode'], 'WX_BAR');
      const password = await recharge('W4', 'W4-C', 'WX_BAR', '1.00', {
        authCode: wechatDoubleCode('password'),
      });
      assert.equal(password.respCode, '000000', password.respMsg);
      assert.equal((await result('W4', 'W4-C'))['result'], 'succ');
      const stuck = await recharge('W5', 'W5-C', 'WX_BAR', '1.00', { authCode: wechatDoubleCode('paying') });
      assert.equal(stuck.respCode, '032002', stuck.respMsg);
      const stuckNow = await result('W5', 'W5-C');
      assert.equal(stuckNow['result'], 'fail');
      const stuckOrder = double.order(String(stuckNow['traceNo']));
      assert.equal(stuckOrder?.state, 'REVOKED', 'reversed at WeChat Pay, so it can never be paid later');
      const declined = await recharge('W6', 'W6-C', 'WX_BAR', '1.00', {
        authCode: wechatDoubleCode('declined'),
      });
      assert.equal(declined.respCode, '032002', declined.respMsg);
    });

    it('an unpaid WX_QR order past its time is closed at WeChat Pay', availability, async () => {
      await t.running.platform.apps.configure(appid, { orderTtlMinutes: 0 });
      try {
        const pending = await recharge('W7', 'W7-C', 'WX_QR', '2.00');
        const traceNo = String(p(pending)['traceNo']);
        const stats = await sweepPending(t.running.platform);
        assert.ok(stats.closed >= 1, JSON.stringify(stats));
        assert.equal((await result('W7', 'W7-C'))['result'], 'closed');
        assert.equal(double.order(traceNo)?.state, 'CLOSED');
      } finally {
        await t.running.platform.apps.configure(appid, {});
      }
    });

    it('refund partial, then the rest, back to WeChat Pay', availability, async () => {
      const paid = await recharge('W8', 'W8-C', 'WX_BAR', '10.00', { authCode: wechatDoubleCode('paid') });
      assert.equal(paid.respCode, '000000', paid.respMsg);
      const refund = (outRefundNo: string, amount: string) =>
        client.refund({
          ...card('W8'),
          hisCustId: 'HW8',
          amount,
          withdrawMode: '1',
          refundType: 'hisDecide',
          outChargeNo: 'W8-C',
          outRefundNo,
          tradeChannel: 'WX_BAR',
          refundDeskMode: '1',
          extra: { deskflak: '1' },
        });
      const part = await refund('W8-R1', '4.00');
      assert.equal(part.respCode, '000000', part.respMsg);
      assert.equal((await result('W8', 'W8-R1', 'hop.trade.refund'))['result'], 'succ');
      const rest = await refund('W8-R2', '6.00');
      assert.equal(rest.respCode, '000000', rest.respMsg);
      const traceNo = String(p(paid)['traceNo']);
      assert.equal(double.order(traceNo)?.refunded, 1000, 'all 10.00 went back at WeChat Pay');
    });

    it('ALI_QR on an app with only WeChat Pay answers 020007', availability, async () => {
      const answer = await recharge('W9', 'W9-C', 'ALI_QR', '1.00');
      assert.equal(answer.respCode, '020007', answer.respMsg);
    });
  });
}
