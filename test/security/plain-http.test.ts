/**
 * Plain http off this machine hands signed messages and patients' data to
 * anyone on the path: the platform refuses it for the HIS, the notification
 * webhook and WeChat, and a caller's notifyUrl, unless the app allows it on
 * purpose (`onepay app set <appid> allowInsecureHttp=true`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { plainHttpRefusal } from '../../src/platform/apps/url-policy.js';
import { saveNotifyConfig } from '../../src/platform/notify/config.js';
import { deliverTradeEvent } from '../../src/platform/notify/trade-events.js';
import { TRADE_TOPICS } from '../../src/platform/trades/outbox.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { OPERATOR } from '../../src/testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';

const examItem = {
  wardDept: '体检中心',
  doctorCode: 'D01',
  phyExamNo: 'PE001',
  purchaseCode: 'P1',
  itemNum: '1',
  itemPrice: '30.00',
  totPrice: '30.00',
  itemSeq: '1',
  itemName: '血常规',
};

function bill(n: number, notifyUrl: string) {
  return {
    ...OPERATOR,
    cardType: '03',
    cardNo: `PH${n}`,
    accountType: '01',
    depositType: 'CASH',
    rechargeAmount: '30.00',
    consumeAmount: '30.00',
    outTradeNo: `PH${n}-T`,
    hisCustId: `H${n}`,
    extra: { examList: [examItem], patientType: '00', deskflak: '1', notifyUrl },
  };
}

describe('the plain-http rule', () => {
  it('https anywhere, http to this machine only, anything else never', () => {
    assert.equal(plainHttpRefusal('u', 'https://his.example/x', false), undefined);
    assert.equal(plainHttpRefusal('u', 'http://127.0.0.1:8080/x', false), undefined);
    assert.equal(plainHttpRefusal('u', 'http://[::1]/x', false), undefined);
    assert.match(plainHttpRefusal('u', 'http://his.example/x', false) ?? '', /https/);
    assert.match(plainHttpRefusal('u', 'http://127.0.0.1.evil.example/x', false) ?? '', /https/);
    assert.equal(plainHttpRefusal('u', 'http://his.example/x', true), undefined);
    assert.match(plainHttpRefusal('u', 'ftp://his.example/x', true) ?? '', /https/);
    assert.match(plainHttpRefusal('u', 'not a url', true) ?? '', /URL/);
  });
});

for (const database of TEST_DATABASES) {
  describe(`plain http to other hosts, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
    });
    after(async () => {
      if (!availability.skip) await t.closeCheckingLedger();
    });
    const allow = (on: boolean) => t.running.platform.apps.update(t.appid, { allowInsecureHttp: on });

    it(
      'a notifyUrl over plain http to another host is refused with 020000, before anything is paid',
      availability,
      async () => {
        const refused = await t.client.recpay(bill(1, 'http://his.example/paid'));
        assert.equal(refused.respCode, '020000', refused.respMsg);
        assert.match(refused.respMsg, /extra\.notifyUrl.*https/);
        const orders = await t.running.platform.store.db.selectFrom('orders').select('trace_no').execute();
        assert.equal(orders.length, 0, 'nothing was stored');
        assert.equal((await t.client.recpay(bill(2, 'https://his.example/paid'))).respCode, '000000');
        assert.equal((await t.client.recpay(bill(3, 'http://127.0.0.1:9/paid'))).respCode, '000000');
        await allow(true);
        try {
          assert.equal((await t.client.recpay(bill(4, 'http://his.example/paid'))).respCode, '000000');
        } finally {
          await allow(false);
        }
      },
    );

    it(
      'a queued callback to plain http is not sent once the app no longer allows it',
      availability,
      async () => {
        const { platform } = t.running;
        const row = {
          topic: TRADE_TOPICS.callback,
          appid: t.appid,
          event_id: 'cb-1',
          payload: JSON.stringify({ url: 'http://his.example/paid', body: { result: 'succ' } }),
        };
        const result = await deliverTradeEvent(platform, row, platform.clock(), 1_000);
        assert.equal(result.ok, false);
        assert.ok(!result.ok && result.permanent && /https/.test(result.error), JSON.stringify(result));
      },
    );

    it(
      'webhook and WeChat settings over plain http to another host are refused unless allowed',
      availability,
      async () => {
        const { platform } = t.running;
        const secret = 'webhook-secret-0123456789';
        const save = (config: unknown, insecure: boolean) =>
          saveNotifyConfig(platform, t.appid, config, platform.clock(), insecure);
        await assert.rejects(
          save({ webhook: { url: 'http://hooks.example/h', secret } }, false),
          /webhook\.url.*https/,
        );
        await assert.rejects(
          save({ wechat: { baseUrl: 'http://wx.example', appId: 'wx1', appSecret: 's' } }, false),
          /wechat\.baseUrl.*https/,
        );
        await save({ webhook: { url: 'https://hooks.example/h', secret } }, false);
        await save({ webhook: { url: 'http://hooks.example/h', secret } }, true);
      },
    );
  });
}
