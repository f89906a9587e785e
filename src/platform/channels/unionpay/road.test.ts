/**
 * The whole road through payTrans for a live app with only UnionPay
 * configured, against the UnionPay gateway double, on both engines.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PayClient } from '../../../client/index.js';
import { unionpayTestMerchant } from '../../../gateway-doubles/unionpay/merchant.js';
import { UnionpayGatewayDouble, unionpayDoubleCode } from '../../../gateway-doubles/unionpay/server.js';
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
  describe(`UnionPay through payTrans on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let double: UnionpayGatewayDouble;
    let url: string;
    let client: PayClient;
    let appid: string;

    /** A live app with only UnionPay configured (the given fields changed), and its client. */
    async function liveApp(change: (config: Record<string, string>) => Record<string, string> = (c) => c) {
      const { config } = unionpayTestMerchant(double, url);
      const id = `live${randomBytes(4).toString('hex')}`;
      const secret = randomBytes(24).toString('base64url');
      await t.running.platform.apps.create({ name: '正式医院', appid: id, secret, mode: 'live' });
      await t.running.platform.credentials.set(id, 'unionpay', change(config));
      const payClient = new PayClient({
        serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
        appid: id,
        appsecret: secret,
      });
      return { id, payClient };
    }

    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database, {
        settings: { barcodePollIntervalMs: 20, barcodePollMax: 3, refundMinIntervalMs: 0, sweepGraceMs: 0 },
      });
      double = new UnionpayGatewayDouble();
      url = await double.listen();
      ({ id: appid, payClient: client } = await liveApp());
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
      by = client,
    ) =>
      by.recharge({
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

    it('UP_QR: the code from UnionPay, paid through the notice, settled once', availability, async () => {
      const pending = await recharge('U1', 'U1-C', 'UP_QR');
      assert.equal(pending.respCode, '000000', pending.respMsg);
      const traceNo = String(p(pending)['traceNo']);
      assert.match(String(p(pending)['qrcode']), /^https:\/\/qr\.95516\.com\//);
      assert.equal((await result('U1', 'U1-C'))['result'], 'ing');
      await double.pay(traceNo, false);
      assert.deepEqual(await double.notify(traceNo, { twice: true }), [200, 200]);
      const done = await result('U1', 'U1-C');
      assert.equal(done['result'], 'succ', JSON.stringify(done));
      assert.equal(done['tradeMode'], 'UP_QR');
      assert.equal(double.order(traceNo)?.txnAmt, 1234, 'yuan 12.34 is txnAmt 1234 fen');
    });

    it('a forged notice, or one with another amount, moves nothing', availability, async () => {
      const pending = await recharge('U2', 'U2-C', 'UP_QR', '1.00');
      const traceNo = String(p(pending)['traceNo']);
      await double.pay(traceNo, false);
      assert.deepEqual(await double.notify(traceNo, { forged: true }), [401]);
      assert.deepEqual(await double.notify(traceNo, { txnAmt: 1 }), [400]);
      assert.equal((await result('U2', 'U2-C'))['result'], 'ing');
      assert.deepEqual(await double.notify(traceNo, { delayMs: 50 }), [200], 'a late genuine one is taken');
      assert.equal((await result('U2', 'U2-C'))['result'], 'succ');
    });

    it('UP_BAR: paid, paying then paid, paying until revoked, declined', availability, async () => {
      const paid = await recharge('U3', 'U3-C', 'UP_BAR', '1.00', { authCode: unionpayDoubleCode('paid') });
      assert.equal(paid.respCode, '000000', paid.respMsg);
      assert.equal(p(paid)['tradeMode'], 'UP_BAR');
      const password = await recharge('U4', 'U4-C', 'UP_BAR', '1.00', {
        authCode: unionpayDoubleCode('password'),
      });
      assert.equal(password.respCode, '000000', password.respMsg);
      assert.equal((await result('U4', 'U4-C'))['result'], 'succ');
      const stuck = await recharge('U5', 'U5-C', 'UP_BAR', '1.00', {
        authCode: unionpayDoubleCode('paying'),
      });
      assert.equal(stuck.respCode, '032002', stuck.respMsg);
      const stuckNow = await result('U5', 'U5-C');
      assert.equal(stuckNow['result'], 'fail');
      const stuckOrder = double.order(String(stuckNow['traceNo']));
      assert.equal(stuckOrder?.revoked, true, '消费撤销 at UnionPay, so it can never be paid later');
      const declined = await recharge('U6', 'U6-C', 'UP_BAR', '1.00', {
        authCode: unionpayDoubleCode('declined'),
      });
      assert.equal(declined.respCode, '032002', declined.respMsg);
    });

    it('an unpaid UP_QR past its payTimeout is closed by the sweep', availability, async () => {
      await t.running.platform.apps.configure(appid, { orderTtlMinutes: 0 });
      try {
        const pending = await recharge('U7', 'U7-C', 'UP_QR', '2.00');
        assert.equal(pending.respCode, '000000', pending.respMsg);
        // payTimeout has a resolution of one second; a loaded machine may need a later sweep too.
        let closed = 0;
        for (let i = 0; i < 10 && closed === 0; i++) {
          await new Promise((r) => setTimeout(r, 1100));
          closed = (await sweepPending(t.running.platform)).closed;
        }
        assert.ok(closed >= 1, 'the sweep closed it');
        assert.equal((await result('U7', 'U7-C'))['result'], 'closed');
      } finally {
        await t.running.platform.apps.configure(appid, {});
      }
    });

    it('refund partial, then the rest, back through UnionPay', availability, async () => {
      const paid = await recharge('U8', 'U8-C', 'UP_BAR', '10.00', { authCode: unionpayDoubleCode('paid') });
      assert.equal(paid.respCode, '000000', paid.respMsg);
      const refund = (outRefundNo: string, amount: string) =>
        client.refund({
          ...card('U8'),
          hisCustId: 'HU8',
          amount,
          withdrawMode: '1',
          refundType: 'hisDecide',
          outChargeNo: 'U8-C',
          outRefundNo,
          tradeChannel: 'UP_BAR',
          refundDeskMode: '1',
          extra: { deskflak: '1' },
        });
      const part = await refund('U8-R1', '4.00');
      assert.equal(part.respCode, '000000', part.respMsg);
      assert.equal((await result('U8', 'U8-R1', 'hop.trade.refund'))['result'], 'succ');
      const rest = await refund('U8-R2', '6.00');
      assert.equal(rest.respCode, '000000', rest.respMsg);
      const traceNo = String(p(paid)['traceNo']);
      assert.equal(double.order(traceNo)?.refunded, 1000, 'all 10.00 went back at UnionPay');
    });

    const refundUnder = (c: string, mode: 'lost' | 'error5xx') =>
      it(
        `a refund UnionPay did not answer (${mode}) stays in flight; the sweep settles it once`,
        availability,
        async () => {
          const paid = await recharge(c, `${c}-C`, 'UP_BAR', '5.00', {
            authCode: unionpayDoubleCode('paid'),
          });
          assert.equal(paid.respCode, '000000', paid.respMsg);
          double.mode = mode;
          let answer: Record<string, unknown>;
          try {
            answer = await client.refund({
              ...card(c),
              hisCustId: `H${c}`,
              amount: '3.00',
              withdrawMode: '1',
              refundType: 'hisDecide',
              outChargeNo: `${c}-C`,
              outRefundNo: `${c}-R1`,
              tradeChannel: 'UP_BAR',
              refundDeskMode: '1',
              extra: { deskflak: '1' },
            });
          } finally {
            double.mode = 'normal';
          }
          assert.notEqual(answer['respCode'], '000000', 'not called done while unknown');
          const inFlight = await result(c, `${c}-R1`, 'hop.trade.refund');
          assert.notEqual(inFlight['result'], 'fail', 'unknown is never failure');
          const stats = await sweepPending(t.running.platform);
          assert.ok(stats.refunds >= 1, JSON.stringify(stats));
          const traceNo = String(p(paid)['traceNo']);
          // lost: UnionPay made the refund and its query says so. 5xx: nothing reached UnionPay, and the
          // sweep sends the refund again under the same number. Either way it is made exactly once.
          assert.equal((await result(c, `${c}-R1`, 'hop.trade.refund'))['result'], 'succ');
          await sweepPending(t.running.platform);
          assert.equal(double.order(traceNo)?.refunded, 300, 'refunded once at UnionPay');
        },
      );
    refundUnder('U20', 'lost');
    refundUnder('U21', 'error5xx');

    it('ONE_QR on an app whose only QR wallet is UnionPay shows a UnionPay code', availability, async () => {
      const oneQr = await recharge('U22', 'U22-C', 'ONE_QR', '1.00');
      assert.equal(oneQr.respCode, '000000', oneQr.respMsg);
      assert.match(String(p(oneQr)['qrcode']), /^https:\/\/qr\.95516\.com\//);
      await double.pay(String(p(oneQr)['traceNo']));
      const done = await result('U22', 'U22-C');
      assert.equal(done['result'], 'succ', JSON.stringify(done));
      assert.equal(done['tradeMode'], 'UP_QR', 'the wallet that paid is named');
    });

    it('UP_QR declined at the bank ends failed', availability, async () => {
      const pending = await recharge('U23', 'U23-C', 'UP_QR', '1.00');
      const traceNo = String(p(pending)['traceNo']);
      double.fail(traceNo);
      assert.deepEqual(await double.notify(traceNo), [200]);
      assert.equal((await result('U23', 'U23-C'))['result'], 'fail');
    });

    it('a merchant key UnionPay does not hold is refused, never success', availability, async () => {
      const stranger = unionpayTestMerchant(double, url).config;
      const { payClient } = await liveApp((c) => ({
        ...c,
        pfx: stranger['pfx'] ?? '',
        pfxPassword: stranger['pfxPassword'] ?? '',
      }));
      const before = double.refusedSignatures.length;
      const answer = await recharge('U9', 'U9-C', 'UP_QR', '1.00', {}, payClient);
      assert.notEqual(answer.respCode, '000000', answer.respMsg);
      assert.match(String(answer.respMsg), /验证签名失败/);
      assert.ok(double.refusedSignatures.length > before, 'the double refused the signature');
    });

    it(
      'ALI_QR, WX_BAR and the bank QR codes on an app with only UnionPay answer 020007',
      availability,
      async () => {
        assert.equal((await recharge('U10', 'U10-C', 'ALI_QR', '1.00')).respCode, '020007');
        for (const [i, code] of ['ICBC_QR', 'CCB_QR', 'JHLK_QR'].entries())
          assert.equal((await recharge(`U1${3 + i}`, `U1${3 + i}-C`, code, '1.00')).respCode, '020007', code);
        const wx = await recharge('U11', 'U11-C', 'WX_BAR', '1.00', { authCode: '134567890123456780' });
        assert.equal(wx.respCode, '020007', wx.respMsg);
      },
    );

    it('ONE_BAR with a UnionPay code (62…) is paid at UnionPay', availability, async () => {
      const code = unionpayDoubleCode('paid');
      const paid = await recharge('U12', 'U12-C', 'ONE_BAR', '3.00', { authCode: code });
      assert.equal(paid.respCode, '000000', paid.respMsg);
      assert.equal(p(paid)['tradeMode'], 'UP_BAR');
      assert.equal(double.order(String(p(paid)['traceNo']))?.txnAmt, 300);
    });
  });
}
