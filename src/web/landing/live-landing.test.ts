import assert from 'node:assert/strict';
import { createPublicKey, createVerify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { OneCodeRouter } from '../../platform/channels/live/one-code.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import {
  ALIPAY_UA,
  DESKTOP_UA,
  type LiveOneQr,
  liveOneQr,
  payData,
  WECHAT_UA,
} from './live-one-qr.test-util.js';

/**
 * The one QR of a live app with Alipay and WeChat Pay: the landing page routes
 * by the wallet's browser through the wallet's web authorization (the
 * doubles') to a trade in that wallet, paid there, settled through payTrans.
 */
for (const database of TEST_DATABASES) {
  describe(`the one-QR landing of a live app on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let s: LiveOneQr;
    before(async () => {
      if (!availability.skip) s = await liveOneQr(database);
    });
    after(async () => {
      if (!availability.skip) await s.close();
    });

    it('the QR code is the platform landing page, not one wallet’s code', availability, async () => {
      const { qrcode } = await s.order('L0', 'L0-1');
      assert.match(qrcode, new RegExp(`^${s.t.running.url}/q/[0-9A-Za-z_-]+\\.[0-9A-Za-z_-]{22}$`));
      const forged = await fetch(`${qrcode.slice(0, -4)}AAAA`, { headers: { 'user-agent': ALIPAY_UA } });
      assert.equal(forged.status, 404, 'a token with a wrong mac names no order');
      assert.equal(s.ali.oauth.issued.length, 0, 'nothing reached Alipay for it');
    });

    it(
      'Alipay: auth_base through the double, a trade for that buyer, tradePay with its number; paid → succ, ALI_PUB',
      availability,
      async () => {
        const { traceNo, qrcode } = await s.order('L1', 'L1-1');
        const page = await fetch(qrcode, { headers: { 'user-agent': ALIPAY_UA } });
        assert.equal(page.status, 200);
        assert.ok(page.redirected, 'went through the authorization');
        const html = await page.text();
        assert.match(html, /data-wallet="alipay"/);
        assert.match(html, /wallet-pay\.js/);
        const trade = s.ali.trade(traceNo);
        assert.equal(trade?.kind, 'create', 'alipay.trade.create made the trade');
        assert.equal(trade?.buyer, s.ali.oauth.userId, 'for the buyer the authorization named');
        assert.equal(payData(html)['tradeNO'], trade?.tradeNo);
        assert.deepEqual(
          s.ali.oauth.issued.slice(-2).map((e) => e.split(' ')[0]),
          ['authorize', 'token'],
        );
        assert.equal((await s.result('L1', 'L1-1'))['result'], 'ing');
        await s.ali.pay(traceNo);
        const done = await s.result('L1', 'L1-1');
        assert.equal(done['result'], 'succ', JSON.stringify(done));
        assert.equal(done['tradeMode'], 'ALI_PUB');
        const again = await fetch(qrcode, { headers: { 'user-agent': ALIPAY_UA } });
        assert.equal(again.status, 409, 'a paid order is not paid again');
      },
    );

    it(
      'WeChat: snsapi_base through the double, a JSAPI order, the package signed by the merchant key; paid → succ, WX_PUB',
      availability,
      async () => {
        const { traceNo, qrcode } = await s.order('L2', 'L2-1');
        const page = await fetch(qrcode, { headers: { 'user-agent': WECHAT_UA } });
        assert.equal(page.status, 200);
        const html = await page.text();
        assert.match(html, /data-wallet="wechat"/);
        const data = payData(html);
        assert.equal(data['appId'], s.wechatAppid);
        assert.equal(data['signType'], 'RSA');
        assert.match(data['package'] ?? '', /^prepay_id=/);
        const signed = `${data['appId']}\n${data['timeStamp']}\n${data['nonceStr']}\n${data['package']}\n`;
        const merchantPublic = createPublicKey(s.wechatKeyPem);
        assert.ok(
          createVerify('RSA-SHA256')
            .update(signed)
            .verify(merchantPublic, data['paySign'] ?? '', 'base64'),
          'paySign verifies with the merchant public key',
        );
        assert.ok(
          !createVerify('RSA-SHA256')
            .update(signed.replace('prepay_id=', 'prepay_id=x'))
            .verify(merchantPublic, data['paySign'] ?? '', 'base64'),
          'and only for this package',
        );
        const order = s.wx.order(traceNo);
        assert.ok(order, 'the JSAPI order is at WeChat Pay');
        assert.equal(
          order.openid,
          s.wx.oauth.openidOf(s.wechatAppid),
          'for the openid the authorization named',
        );
        assert.equal(s.ali.trade(traceNo), undefined, 'and nothing at Alipay');
        await s.wx.pay(traceNo);
        const done = await s.result('L2', 'L2-1');
        assert.equal(done['result'], 'succ', JSON.stringify(done));
        assert.equal(done['tradeMode'], 'WX_PUB');
      },
    );

    it('any other browser: the instruction page, no authorization, no trade', availability, async () => {
      const { traceNo, qrcode } = await s.order('L3', 'L3-1');
      const issued = s.ali.oauth.issued.length + s.wx.oauth.issued.length;
      const page = await fetch(qrcode, { headers: { 'user-agent': DESKTOP_UA } });
      assert.equal(page.status, 200);
      assert.equal(page.redirected, false);
      const html = await page.text();
      assert.match(html, /请用支付宝、微信或云闪付扫码/);
      assert.match(html, /12\.34/);
      assert.doesNotMatch(html, /沙箱|模拟/, 'a live page offers no simulated payment');
      assert.equal(s.ali.oauth.issued.length + s.wx.oauth.issued.length, issued);
      assert.equal(s.ali.trade(traceNo), undefined);
      assert.equal(s.wx.order(traceNo), undefined);
      assert.equal((await s.result('L3', 'L3-1'))['result'], 'ing', 'unscanned: still payable');
    });

    it(
      'a second wallet after the first makes no second trade, here or in another process',
      availability,
      async () => {
        const { traceNo, qrcode } = await s.order('L4', 'L4-1');
        assert.equal((await fetch(qrcode, { headers: { 'user-agent': ALIPAY_UA } })).status, 200);
        const second = await fetch(qrcode, { headers: { 'user-agent': WECHAT_UA } });
        assert.equal(second.status, 409);
        assert.match(await second.text(), /已在支付宝中下单/);
        assert.equal(s.wx.order(traceNo), undefined, 'no WeChat order');
        // Another process: a router that never saw the landing asks Alipay before WeChat is sent anything.
        const { platform } = s.t.running;
        const appid = String(
          (
            await platform.store.db
              .selectFrom('orders')
              .select('appid')
              .where('trace_no', '=', traceNo)
              .executeTakeFirstOrThrow()
          ).appid,
        );
        const fresh = new OneCodeRouter(
          async (wallet) => platform.gateways.forGateway({ appid }, wallet === 'ALI' ? 'alipay' : 'wechat'),
          (no) => `x/${no}`,
        );
        const refused = await fresh.payAtLanding(
          {
            traceNo,
            appid,
            channel: 'ONE_QR',
            amountFen: 1234,
            subject: '缴费',
            termNo: 'T1',
            extra: {},
            expireAt: Date.now() + 600_000,
          },
          'WX',
          s.wx.oauth.openidOf(s.wechatAppid),
        );
        assert.equal(refused.state, 'fail');
        assert.match(refused.message ?? '', /支付宝/);
        assert.equal(s.wx.order(traceNo), undefined, 'still no WeChat order');
        const sameWallet = await fetch(qrcode, { headers: { 'user-agent': ALIPAY_UA } });
        assert.equal(sameWallet.status, 200, 'the same wallet again gets its trade again');
        assert.equal(payData(await sameWallet.text())['tradeNO'], s.ali.trade(traceNo)?.tradeNo);
      },
    );
    it(
      'closed before any wallet took it: a scan afterwards is refused, nothing is made',
      availability,
      async () => {
        const { traceNo, qrcode } = await s.order('L5', 'L5-1');
        const { platform } = s.t.running;
        const { appid } = await platform.store.db
          .selectFrom('orders')
          .select('appid')
          .where('trace_no', '=', traceNo)
          .executeTakeFirstOrThrow();
        const router = platform.gateways.oneCodeRouter(appid);
        const ref = { appid, traceNo, channel: 'ONE_QR' };
        assert.equal((await router.query(ref)).state, 'pending', 'unscanned: pending, not unknown');
        assert.equal((await router.close(ref)).state, 'closed');
        const late = await fetch(qrcode, { headers: { 'user-agent': WECHAT_UA } });
        assert.equal(late.status, 409);
        assert.match(await late.text(), /已关闭/);
        assert.equal(s.wx.order(traceNo), undefined, 'no WeChat order after the close');
        assert.equal((await router.query(ref)).state, 'closed');
      },
    );
    it(
      'two processes made a trade at each wallet: the one the patient paid settles the order',
      availability,
      async () => {
        const { traceNo, qrcode } = await s.order('L6', 'L6-1');
        assert.equal((await fetch(qrcode, { headers: { 'user-agent': ALIPAY_UA } })).status, 200);
        const { platform } = s.t.running;
        const { appid } = await platform.store.db
          .selectFrom('orders')
          .select('appid')
          .where('trace_no', '=', traceNo)
          .executeTakeFirstOrThrow();
        // Another process, in the same instant, sent the patient's WeChat to WeChat Pay.
        const wechat = await platform.gateways.forGateway({ appid }, 'wechat');
        const made = await wechat?.pay({
          traceNo,
          appid,
          channel: 'WX_PUB',
          amountFen: 1234,
          subject: '缴费',
          termNo: 'T1',
          extra: { openId: s.wx.oauth.openidOf(s.wechatAppid) },
          expireAt: Date.now() + 600_000,
        });
        assert.equal(made?.state, 'pending');
        await s.wx.pay(traceNo);
        const done = await s.result('L6', 'L6-1');
        assert.equal(done['result'], 'succ', JSON.stringify(done));
        assert.equal(done['tradeMode'], 'WX_PUB', 'settled by the wallet that has the money');
        assert.equal(
          s.ali.trade(traceNo)?.status,
          'WAIT_BUYER_PAY',
          'the unpaid Alipay trade moved no money',
        );
      },
    );
  });
}
