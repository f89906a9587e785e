import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { wechatTestMerchant } from '../../../gateway-doubles/wechat/merchant.js';
import { WechatGatewayDouble } from '../../../gateway-doubles/wechat/server.js';
import { createLogger } from '../../log/logger.js';
import type { ChannelAdapter, PaymentRef } from '../types.js';
import { wechatDriver } from './index.js';

/** The platform's side of a notice, as small as can be: the adapter's verdict and reply, recorded. */
describe('WeChat Pay notifications', () => {
  let d: WechatGatewayDouble;
  let receiver: Server;
  let adapter: ChannelAdapter;
  /** Another merchant of the same double, sharing the APIv3 key: its notices decrypt but name the wrong merchant. */
  let neighbour: ChannelAdapter;
  const taken: PaymentRef[] = [];
  const replies: string[] = [];

  before(async () => {
    d = new WechatGatewayDouble();
    const gatewayUrl = await d.listen();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const outcome = await adapter.handleNotice?.('hosp1', {
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        if (outcome?.payment) taken.push(outcome.payment);
        replies.push(outcome?.reply.body ?? '');
        res.writeHead(outcome?.reply.status ?? 500, {
          'content-type': outcome?.reply.contentType ?? 'text/plain',
        });
        res.end(outcome?.reply.body);
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const noticeUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/channels/hosp1/wechat/notice`;
    const { config } = wechatTestMerchant(d, gatewayUrl);
    const deps = { appid: 'hosp1', clock: Date.now, log: createLogger({ level: 'silent' }), noticeUrl };
    adapter = wechatDriver.create(wechatDriver.parseConfig(config), deps);
    const other = wechatTestMerchant(d, gatewayUrl, { apiV3Key: config['apiV3Key'] ?? '' });
    neighbour = wechatDriver.create(wechatDriver.parseConfig(other.config), deps);
  });
  after(async () => {
    receiver.close();
    await d.close();
  });

  async function openOrder(by = adapter): Promise<string> {
    const traceNo = `N${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const made = await by.pay({
      traceNo,
      appid: 'hosp1',
      channel: 'WX_QR',
      amountFen: 100,
      subject: '挂号',
      termNo: 'T1',
      extra: {},
      expireAt: Date.now() + 600_000,
    });
    assert.equal(made.state, 'pending');
    return traceNo;
  }

  it('a genuine notice names the payment and is answered 204; twice is the same payment twice', async () => {
    const traceNo = await openOrder();
    await d.pay(traceNo, false);
    const statuses = await d.notify(traceNo, { twice: true });
    assert.deepEqual(statuses, [204, 204]);
    assert.deepEqual(
      taken.filter((p) => p.traceNo === traceNo),
      [
        { appid: 'hosp1', traceNo, channel: 'WX_QR' },
        { appid: 'hosp1', traceNo, channel: 'WX_QR' },
      ],
    );
  });

  for (const [name, options, status] of [
    ['a forged signature', { forged: true }, 401],
    ['a timestamp older than 300 s', { ageSeconds: 301 }, 401],
    ['a resource encrypted with another APIv3 key', { wrongApiV3Key: true }, 400],
  ] as const) {
    it(`${name} is refused with {code,message} and names no payment`, async () => {
      const traceNo = await openOrder();
      await d.pay(traceNo, false);
      assert.deepEqual(await d.notify(traceNo, options), [status]);
      assert.equal(
        taken.some((p) => p.traceNo === traceNo),
        false,
      );
      const reply = JSON.parse(replies.at(-1) ?? '{}') as { code?: string; message?: string };
      assert.equal(reply.code, 'FAIL');
      assert.ok(reply.message);
    });
  }

  it('a genuine notice about another merchant’s order is refused', async () => {
    const traceNo = await openOrder(neighbour);
    await d.pay(traceNo, false);
    assert.deepEqual(await d.notify(traceNo), [400]);
    assert.equal(
      taken.some((p) => p.traceNo === traceNo),
      false,
    );
    assert.match(replies.at(-1) ?? '', /商户号或应用号不符/);
  });

  it('a notice for another app of the platform is refused', async () => {
    const outcome = await adapter.handleNotice?.('other', { headers: {}, body: '{}' });
    assert.equal(outcome?.reply.status, 404);
    assert.equal(outcome?.payment, undefined);
  });
});
