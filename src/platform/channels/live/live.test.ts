import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { runAppChannelCli } from '../../../cli/app-channel.js';
import { PayClient } from '../../../client/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { cashRecharge, OPERATOR } from '../../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import type { ChannelAdapter, ChannelResult } from '../types.js';
import type { GatewayDriver } from './gateways.js';
import { noticePath } from './index.js';

/**
 * A gateway of the test's own: it keeps payments in memory, "verifies" a
 * notification by a header equal to the merchant key, and checks its key when
 * configured — enough to see the platform's side of a live channel: sealed
 * credentials, adapters per app, notices verified before anything moves.
 */
function fakeWechat(paid: Map<string, ChannelResult>): GatewayDriver<{ mchId: string; apiKey: string }> {
  return {
    gateway: 'wechat',
    kinds: ['qr'],
    secretFields: ['apiKey'],
    parseConfig(input) {
      const { mchId, apiKey } = input;
      if (!mchId || !/^\d{10}$/.test(mchId)) throw new Error('mchId: 10 digits');
      if (apiKey?.length !== 32) throw new Error('apiKey: 32 characters');
      return { mchId, apiKey };
    },
    create(config, deps): ChannelAdapter {
      return {
        channels: ['WX_QR'],
        pay: async (p) => ({ state: 'pending', qrcode: `weixin://wxpay/${config.mchId}/${p.traceNo}` }),
        query: async (ref) => paid.get(ref.traceNo) ?? { state: 'pending' },
        close: async () => ({ state: 'closed' }),
        cancel: async () => ({ state: 'revoked' }),
        refund: async () => ({ state: 'fail' }),
        refundQuery: async () => ({ state: 'fail' }),
        async handleNotice(appid, notice) {
          const genuine = notice.headers['x-test-signature'] === config.apiKey && appid === deps.appid;
          if (!genuine)
            return { reply: { status: 401, contentType: 'application/json', body: '{"code":"FAIL"}' } };
          const { traceNo } = JSON.parse(notice.body) as { traceNo: string };
          return {
            reply: { status: 200, contentType: 'application/json', body: '{"code":"SUCCESS"}' },
            payment: { appid, traceNo, channel: 'WX_QR' },
          };
        },
      };
    },
  };
}

for (const database of TEST_DATABASES) {
  describe(`live gateways on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let client: PayClient;
    let appid: string;
    let dataDir: string;
    const paid = new Map<string, ChannelResult>();
    const apiKey = 'k'.repeat(32);

    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      dataDir = t.dataDir;
      appid = `live${randomBytes(4).toString('hex')}`;
      const secret = randomBytes(24).toString('base64url');
      await t.running.platform.apps.create({ name: '正式医院', appid, secret, mode: 'live' });
      client = new PayClient({
        serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
        appid,
        appsecret: secret,
      });
      t.running.platform.gateways.addDriver(fakeWechat(paid));
    });
    after(async () => {
      if (!availability.skip) await t.closeCheckingLedger();
    });

    it(
      'credentials are sealed at rest and listed without a secret; a malformed key is refused when set',
      availability,
      async () => {
        const { platform } = t.running;
        assert.equal(
          (await client.recharge({ ...cashRecharge('G1', 'G1-0', '1.00'), depositType: 'WX_QR' })).respCode,
          '020007',
        );
        await platform.credentials.set(appid, 'wechat', { mchId: '1900000109', apiKey });
        const row = await platform.store.db
          .selectFrom('app_gateways')
          .selectAll()
          .where('appid', '=', appid)
          .executeTakeFirstOrThrow();
        assert.ok(
          !row.config_sealed.includes(apiKey) && !row.config_sealed.includes('1900000109'),
          'sealed, not in clear',
        );
        assert.deepEqual(
          (await platform.credentials.list(appid)).map((c) => c.gateway),
          ['wechat'],
        );
        const driver = platform.gateways.driver('wechat');
        assert.throws(() => driver?.parseConfig({ mchId: '19', apiKey }), /mchId/);
      },
    );

    it(
      'the CLI refuses a sandbox app and a gateway this build lacks, and lists without secrets',
      availability,
      async () => {
        const { platform } = t.running;
        const lines: string[] = [];
        await assert.rejects(
          runAppChannelCli(platform.store, dataDir, ['set', t.appid, 'alipay', 'appId=1'], (l) =>
            lines.push(l),
          ),
          /sandbox app/,
        );
        await runAppChannelCli(platform.store, dataDir, ['list', appid], (l) => lines.push(l));
        assert.match(lines.at(-1) ?? '', /live\twechat$/);
        assert.ok(!lines.join('\n').includes(apiKey));
      },
    );

    it(
      'a verified notice makes the platform ask the channel and settle; a forged one moves nothing',
      availability,
      async () => {
        const answer = await client.recharge({ ...cashRecharge('G2', 'G2-1', '8.00'), depositType: 'WX_QR' });
        assert.equal(answer.respCode, '000000', answer.respMsg);
        const traceNo = String((answer['param'] as Record<string, unknown>)['traceNo']);
        const url = `${t.running.url}${noticePath(appid, 'wechat')}`;
        paid.set(traceNo, { state: 'success', paidChannel: 'WX_QR', channelTradeNo: 'WX1' });
        const forged = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-test-signature': 'wrong' },
          body: JSON.stringify({ traceNo }),
        });
        assert.equal(forged.status, 401);
        const before = await t.running.platform.store.db
          .selectFrom('orders')
          .select('state')
          .where('trace_no', '=', traceNo)
          .executeTakeFirstOrThrow();
        assert.equal(before.state, 'ing', 'a forged notice moved nothing');
        const genuine = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-test-signature': apiKey },
          body: JSON.stringify({ traceNo }),
        });
        assert.equal(genuine.status, 200);
        assert.equal(await genuine.text(), '{"code":"SUCCESS"}');
        const query = await client.query({
          ...OPERATOR,
          cardType: '03',
          cardNo: 'G2',
          accountType: '01',
          tradeType: 'hop.trade.recharge',
          outTradeNo: 'G2-1',
        });
        assert.equal((query['param'] as Record<string, unknown>)['result'], 'succ', JSON.stringify(query));
        const other = await fetch(`${t.running.url}${noticePath(t.appid, 'wechat')}`, {
          method: 'POST',
          body: '{}',
        });
        assert.equal(other.status, 404, 'a sandbox app has no gateway notices');
      },
    );
  });
}
