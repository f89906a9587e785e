import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { rsa2Sign, v2SignContent } from '../../../gateway-doubles/alipay/sign.js';
import { createLogger } from '../../log/logger.js';
import type { GatewayDeps, OrderFacts } from '../live/gateways.js';
import type { ChannelAdapter } from '../types.js';
import { alipayDriver } from './index.js';
import { NOTICE_MAX_AGE_MS } from './notice.js';
import { alipayTime } from './states.js';

const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });
const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
const config = {
  appId: '2021000000000001',
  sellerId: '2088000000000001',
  privateKey: app.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  alipayPublicKey: alipay.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  gatewayUrl: 'http://127.0.0.1:9/',
};
const NOW = Date.parse('2025-06-01T10:00:00+08:00');

function adapter(orders: Record<string, OrderFacts> | undefined): ChannelAdapter {
  const deps: GatewayDeps = {
    appid: 'hosp1',
    clock: () => NOW,
    log: createLogger({ level: 'silent' }),
    noticeUrl: 'http://127.0.0.1:9/n',
    ...(orders ? { orderOf: async (traceNo: string) => orders[traceNo] } : {}),
  };
  return alipayDriver.create(alipayDriver.parseConfig(config), deps);
}

function form(
  change: Record<string, string> = {},
  key = alipay.privateKey,
  leaveOut = ['sign', 'sign_type'],
): string {
  const fields: Record<string, string> = {
    notify_time: alipayTime(NOW - 60_000),
    notify_type: 'trade_status_sync',
    notify_id: 'ac05099524730693a8b330c5ecf72da9786',
    app_id: config.appId,
    charset: 'utf-8',
    version: '1.0',
    sign_type: 'RSA2',
    trade_no: '2025060122001404330500000001',
    out_trade_no: 'T20250601000001',
    seller_id: config.sellerId,
    trade_status: 'TRADE_SUCCESS',
    total_amount: '12.34',
    subject: '门诊缴费 & 检查费 100%',
    ...change,
  };
  fields['sign'] = rsa2Sign(v2SignContent(fields, leaveOut), key);
  return new URLSearchParams(fields).toString();
}

const orders = { T20250601000001: { amountFen: 1234, channel: 'ALI_QR' } };
const notice = (body: string) => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

describe('Alipay notifications', () => {
  it('a genuine one (values with & and %, form-encoded) is answered success and names the payment', async () => {
    const outcome = await adapter(orders).handleNotice?.('hosp1', notice(form()));
    assert.equal(outcome?.reply.body, 'success');
    assert.deepEqual(outcome?.payment, { appid: 'hosp1', traceNo: 'T20250601000001', channel: 'ALI_QR' });
  });

  it('anything not proven is answered fail and names nothing', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const cases: [string, string, Record<string, OrderFacts> | undefined, string?][] = [
      ['signed by another key', form({}, stranger), orders],
      [
        'an altered amount after signing',
        form().replace('total_amount=12.34', 'total_amount=1234.00'),
        orders,
      ],
      ['another amount than the order', form({ total_amount: '1.00' }), orders],
      ['another seller', form({ seller_id: '2088000000000009' }), orders],
      ['another application', form({ app_id: '2021000000000009' }), orders],
      [
        'older than the retry schedule',
        form({ notify_time: alipayTime(NOW - NOTICE_MAX_AGE_MS - 1000) }),
        orders,
      ],
      ['RSA (SHA-1) named as the algorithm', form({ sign_type: 'RSA' }), orders],
      ['an order this app does not have', form({ out_trade_no: 'T99' }), orders],
      ['an adapter that cannot read the order', form(), undefined],
      ['a field sent twice', `${form()}&total_amount=12.34`, orders],
      ['posted for another app', form(), orders, 'hosp2'],
    ];
    for (const [why, body, facts, appid] of cases) {
      const outcome = await adapter(facts).handleNotice?.(appid ?? 'hosp1', notice(body));
      assert.equal(outcome?.reply.body, 'fail', why);
      assert.equal(outcome?.payment, undefined, why);
    }
  });
});
