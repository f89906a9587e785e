/**
 * Sandbox and live apps kept apart. A live app's money moves only through
 * adapters configured for it: until one is, its wallet channels answer
 * 020007 and nothing is stored; cash and POS are the operator's record (never
 * invented card numbers); the sandbox's wallet, identity pages and providers
 * serve sandbox apps alone.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PayClient } from '../../src/client/index.js';
import type { App } from '../../src/platform/apps/registry.js';
import type { ChannelAdapter } from '../../src/platform/channels/types.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { cashRecharge, OPERATOR } from '../../src/testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';

function p(answer: Record<string, unknown>): Record<string, unknown> {
  return (answer['param'] ?? {}) as Record<string, unknown>;
}

function qrRecharge(cardNo: string, outChargeNo: string, depositType: string): Record<string, unknown> {
  return { ...cashRecharge(cardNo, outChargeNo, '500.00'), depositType };
}

for (const database of TEST_DATABASES) {
  describe(`live and sandbox apps on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let live: PayClient;
    let liveAppid: string;
    let liveSecret: string;
    /** Channels the fake "real" adapter below took, by trace number. */
    const taken: string[] = [];

    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      liveAppid = `live${randomBytes(4).toString('hex')}`;
      const secret = randomBytes(24).toString('base64url');
      liveSecret = secret;
      await t.running.platform.apps.create({ name: '正式医院', appid: liveAppid, secret, mode: 'live' });
      live = new PayClient({
        serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
        appid: liveAppid,
        appsecret: secret,
      });
      // A live app whose Alipay merchant is configured: ALI_QR only, through an adapter of its own.
      const alipay: ChannelAdapter = {
        channels: ['ALI_QR'],
        async pay(payment) {
          taken.push(payment.traceNo);
          return { state: 'pending', qrcode: `https://qr.alipay.example/${payment.traceNo}` };
        },
        query: async () => ({ state: 'pending' }),
        close: async () => ({ state: 'closed' }),
        cancel: async () => ({ state: 'revoked' }),
        refund: async () => ({ state: 'fail', message: 'not in this test' }),
        refundQuery: async () => ({ state: 'fail' }),
      };
      t.running.platform.channels.addLiveSource(async (app: App, code) =>
        app.appid === liveAppid && alipay.channels.includes(code) ? alipay : undefined,
      );
    });
    after(async () => {
      if (!availability.skip) await t.closeCheckingLedger();
    });

    it(
      'a live app without a merchant for WX_QR answers 020007 and stores nothing',
      availability,
      async () => {
        const answer = await live.recharge(qrRecharge('L1', 'LIVE-WX-1', 'WX_QR'));
        assert.equal(answer.respCode, '020007', answer.respMsg);
        assert.match(answer.respMsg, /尚未为本院配置商户/);
        const orders = await t.running.platform.store.db
          .selectFrom('orders')
          .select('trace_no')
          .where('appid', '=', liveAppid)
          .execute();
        assert.equal(orders.length, 0, 'no order, no account, nothing half-written');
        const sandboxRows = await t.running.platform.store.db
          .selectFrom('sandbox_payments')
          .select('trace_no')
          .execute();
        assert.equal(sandboxRows.length, 0, 'the sandbox never saw a live order');
      },
    );

    it(
      'every wallet channel of a live app is refused until configured; the configured one goes to its own adapter',
      availability,
      async () => {
        for (const code of ['UP_QR', 'ONE_QR', 'ICBC_QR', 'JHLK_QR', 'WX_QR']) {
          const answer = await live.recharge(qrRecharge('L2', `LIVE-${code}`, code));
          assert.equal(answer.respCode, '020007', `${code}: ${answer.respMsg}`);
        }
        const barcode = await live.recharge({
          ...qrRecharge('L2', 'LIVE-BAR', 'WX_BAR'),
          extra: { deskflak: '1', authCode: '134567890123456780' },
        });
        assert.equal(
          barcode.respCode,
          '020007',
          'the documented sandbox payment code pays nothing on a live app',
        );
        const ali = await live.recharge(qrRecharge('L2', 'LIVE-ALI-1', 'ALI_QR'));
        assert.equal(ali.respCode, '000000', ali.respMsg);
        assert.equal(p(ali)['tradeState'], '1', 'to be paid');
        assert.match(String(p(ali)['qrcode']), /^https:\/\/qr\.alipay\.example\//);
        assert.equal(taken.length, 1, 'the app’s own adapter took it');
        const balance = await live.accountInfo({
          ...OPERATOR,
          cardType: '03',
          cardNo: 'L2',
          accountType: '01',
        });
        assert.notEqual(p(balance)['balance'], '500.00', 'nothing credited for an unpaid order');
      },
    );

    it(
      'cash and POS stay the operator’s record on a live app; the slip is what was reported, masked',
      availability,
      async () => {
        const cash = await live.recharge(cashRecharge('L3', 'LIVE-CASH-1', '20.00'));
        assert.equal(cash.respCode, '000000', cash.respMsg);
        const pos = await live.recharge({
          ...cashRecharge('L3', 'LIVE-POS-1', '30.00'),
          depositType: 'POS',
          extra: {
            deskflak: '1',
            BankCardNo: '6222021234567890123',
            posIssuingBank: '中国银行',
            BankCardType: '借记卡',
          },
        });
        assert.equal(pos.respCode, '000000', pos.respMsg);
        const extra = (pos['extra'] ?? p(pos)['extra']) as Record<string, unknown>;
        assert.equal(
          extra['posIssuingBank'],
          '中国银行',
          'the issuer the slip says, not one the platform made up',
        );
        assert.equal(extra['BankCardNo'], '6222***********0123');
      },
    );

    it('the sandbox identity providers serve sandbox apps only', availability, async () => {
      const face = { ...OPERATOR, Business_type: '01', CardListType: '1', outTradeNo: 'LF1', extra: {} };
      const answer = await live.faceQuery(face);
      assert.equal(answer.respCode, '032001', answer.respMsg);
    });

    it('a sandbox app still takes simulated money (the quick start)', availability, async () => {
      const answer = await t.client.recharge(qrRecharge('S1', 'SBX-WX-1', 'WX_QR'));
      assert.equal(answer.respCode, '000000', answer.respMsg);
      assert.match(String(p(answer)['qrcode']), /\/q\//);
    });

    it('app list tells the modes apart', availability, async () => {
      const modes = new Map((await t.running.platform.apps.list()).map((a) => [a.appid, a.mode]));
      assert.equal(modes.get(liveAppid), 'live');
      assert.equal(modes.get(t.appid), 'sandbox');
    });

    it('a sandbox app’s pages say 测试环境; a live app’s do not', availability, async () => {
      const deskOf = (appid: string, appsecret: string, cardNo: string) =>
        new Promise<string>((resolve, reject) => {
          const param = cashRecharge(cardNo, `${cardNo}-D`, '3.00');
          const withDesk = new PayClient({
            serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
            appid,
            appsecret,
            desk: { show: resolve, timeoutMs: 1000 },
          });
          const extra = { ...(param['extra'] as Record<string, unknown>), deskflak: '0' };
          withDesk
            .recharge({ ...param, extra })
            .then((a) => reject(new Error(`no desk: ${a.respCode}`)), reject);
        });
      const sandboxDesk = await (await fetch(await deskOf(t.appid, t.secret, 'BN1'))).text();
      assert.match(sandboxDesk, /测试环境/);
      const liveDesk = await (await fetch(await deskOf(liveAppid, liveSecret, 'BN2'))).text();
      assert.doesNotMatch(liveDesk, /测试环境/);
      assert.match(liveDesk, /收银台/);
    });
  });
}
