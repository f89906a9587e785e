import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { unionpayTestMerchant } from '../../../gateway-doubles/unionpay/merchant.js';
import { DoublePki } from '../../../gateway-doubles/unionpay/pki.js';
import { UnionpayGatewayDouble, unionpayDoubleCode } from '../../../gateway-doubles/unionpay/server.js';
import { createLogger } from '../../log/logger.js';
import type { GatewayDeps } from '../live/gateways.js';
import type { NoticeOutcome } from '../types.js';
import { beijing14 } from './api.js';
import { unionpayDriver } from './index.js';

const log = createLogger({ level: 'silent' });

/**
 * Notifications as the double posts them, caught by a small server that
 * hands them to the adapter (as the platform's notice route does).
 */
describe('UnionPay notifications', () => {
  let d: UnionpayGatewayDouble;
  let catcher: Server;
  let noticeUrl: string;
  let handle: (body: string) => Promise<NoticeOutcome>;
  const seen: NoticeOutcome[] = [];

  before(async () => {
    d = new UnionpayGatewayDouble();
    await d.listen();
    catcher = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        void handle(body).then((outcome) => {
          seen.push(outcome);
          res.writeHead(outcome.reply.status).end(outcome.reply.body);
        });
      });
    });
    await new Promise<void>((r) => catcher.listen(0, '127.0.0.1', r));
    noticeUrl = `http://127.0.0.1:${(catcher.address() as AddressInfo).port}/n`;
  });
  after(async () => {
    await d.close();
    await new Promise((r) => catcher.close(r));
  });

  /** Notices go to an adapter of this config; returns it. */
  function receiver(config: Record<string, string>, amountFen: number, change: Partial<GatewayDeps> = {}) {
    const deps: GatewayDeps = {
      appid: 'hosp1',
      clock: Date.now,
      log,
      noticeUrl,
      orderOf: async () => ({ amountFen, channel: 'UP_BAR' }),
      ...change,
    };
    const adapter = unionpayDriver.create(unionpayDriver.parseConfig(config), deps);
    handle = (body) => adapter.handleNotice?.('hosp1', { headers: {}, body }) ?? Promise.reject();
    return adapter;
  }

  async function paidOrder(
    config: Record<string, string>,
    amountFen: number,
    change: Partial<GatewayDeps> = {},
  ) {
    const adapter = receiver(config, amountFen, change);
    const traceNo = `${beijing14(Date.now())}${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`;
    const paid = await adapter.pay({
      traceNo,
      appid: 'hosp1',
      channel: 'UP_BAR',
      amountFen: 500,
      subject: '缴费',
      termNo: 'T1',
      extra: { authCode: unionpayDoubleCode('paid') },
      expireAt: Date.now() + 60_000,
    });
    assert.equal(paid.state, 'success');
    return traceNo;
  }

  it('a genuine notice is answered 200 ok and names the payment', async () => {
    const { config } = unionpayTestMerchant(d, d.listenUrl());
    const traceNo = await paidOrder(config, 500);
    assert.deepEqual(await d.notify(traceNo), [200]);
    assert.deepEqual(seen.at(-1)?.payment, { appid: 'hosp1', traceNo, channel: 'UP_BAR' });
    assert.equal(seen.at(-1)?.reply.body, 'ok');
  });

  it('forged, another amount, another PKI, no order record: refused, nothing named', async () => {
    const { config } = unionpayTestMerchant(d, d.listenUrl());
    const traceNo = await paidOrder(config, 500);
    assert.deepEqual(await d.notify(traceNo, { forged: true }), [401]);
    assert.deepEqual(await d.notify(traceNo, { txnAmt: 499 }), [400]);
    const other = new DoublePki();
    receiver({ ...config, rootCert: other.root.certPem, middleCert: other.middle.certPem }, 500);
    assert.deepEqual(await d.notify(traceNo), [401], 'a certificate not under the configured root');
    receiver(config, 500, { orderOf: async () => undefined });
    assert.deepEqual(await d.notify(traceNo), [404]);
    receiver(unionpayTestMerchant(d, d.listenUrl()).config, 500);
    assert.deepEqual(await d.notify(traceNo), [400], 'another merchant’s notice');
    assert.ok(seen.slice(-5).every((o) => o.payment === undefined));
  });
});
