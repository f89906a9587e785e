import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { alipayTestMerchant } from '../../../gateway-doubles/alipay/merchant.js';
import { AlipayGatewayDouble, alipayDoubleCode } from '../../../gateway-doubles/alipay/server.js';
import { adapterConformance } from '../../../testing/adapter-conformance.js';
import { createLogger } from '../../log/logger.js';
import type { GatewayDeps } from '../live/gateways.js';
import type { ChannelAdapter } from '../types.js';
import { alipayDriver } from './index.js';

const log = createLogger({ level: 'silent' });

function adapterFor(config: Record<string, string>, deps: Partial<GatewayDeps> = {}): ChannelAdapter {
  return alipayDriver.create(alipayDriver.parseConfig(config), {
    appid: 'hosp1',
    clock: Date.now,
    log,
    noticeUrl: 'http://127.0.0.1:9/channels/hosp1/alipay/notice',
    ...deps,
  });
}

let double: AlipayGatewayDouble;
adapterConformance('Alipay open platform v3 against its gateway double', {
  async open() {
    double = new AlipayGatewayDouble();
    const url = await double.listen();
    const { config } = alipayTestMerchant(double, url);
    return {
      adapter: adapterFor(config),
      appid: 'hosp1',
      qrChannel: 'ALI_QR',
      barcodeChannel: 'ALI_BAR',
      code: alipayDoubleCode,
      payQr: (payment) => double.pay(payment.traceNo, false),
      now: Date.now,
    };
  },
  async close() {
    await double.close();
  },
});

describe('Alipay adapter against a strict double', () => {
  let d: AlipayGatewayDouble;
  let url: string;
  before(async () => {
    d = new AlipayGatewayDouble();
    url = await d.listen();
  });
  after(() => d.close());
  const trace = () => `A${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  const payment = (
    channel: string,
    extra: Record<string, unknown> = {},
    expireAt = Date.now() + 600_000,
  ) => ({
    traceNo: trace(),
    appid: 'hosp1',
    channel,
    amountFen: 1234,
    subject: '门诊缴费',
    termNo: 'T1',
    extra,
    expireAt,
  });

  it('a request signed with another application key is refused (401 invalid-signature) and never succeeds', async () => {
    const { config } = alipayTestMerchant(d, url);
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const adapter = adapterFor({
      ...config,
      privateKey: stranger.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const before = d.refusedSignatures.length;
    const qr = await adapter.pay(payment('ALI_QR'));
    assert.equal(qr.state, 'fail');
    assert.match(qr.message ?? '', /invalid-signature/);
    const bar = await adapter.pay(payment('ALI_BAR', { authCode: alipayDoubleCode('paid') }));
    assert.equal(bar.state, 'fail', 'refused before any money moved');
    assert.notEqual(
      (await adapter.query({ appid: 'hosp1', traceNo: 'X1', channel: 'ALI_QR' })).state,
      'success',
    );
    // The refused code is also asked of the query before the order fails: four requests, all refused.
    assert.equal(d.refusedSignatures.length - before, 4, 'the double refused every one');
  });

  it('an answer signed by another key is not believed: unknown, never success', async () => {
    const { config } = alipayTestMerchant(d, url);
    const p = payment('ALI_BAR', { authCode: alipayDoubleCode('paid') });
    assert.equal((await adapterFor(config).pay(p)).state, 'success');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const fooled = adapterFor({
      ...config,
      alipayPublicKey: other.export({ type: 'spki', format: 'pem' }).toString(),
    });
    const seen = await fooled.query({ appid: 'hosp1', traceNo: p.traceNo, channel: 'ALI_BAR' });
    assert.equal(seen.state, 'unknown', seen.message);
  });

  it('an unsigned refusal of a code the gateway in fact took does not fail the order: the verified query says paid', async () => {
    // Between the adapter and the double: passes every request on, but answers the payment itself
    // with a refusal (error bodies carry no verified signature; the money moved all the same).
    const liar = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const upstream = await fetch(new URL(req.url ?? '/', url), {
        method: req.method ?? 'POST',
        headers: {
          authorization: String(req.headers.authorization ?? ''),
          'content-type': String(req.headers['content-type'] ?? 'application/json'),
        },
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      const body = await upstream.text();
      if (req.url === '/v3/alipay/trade/pay') {
        res.writeHead(400, { 'content-type': 'application/json' });
        return void res.end(
          JSON.stringify({ code: 'ACQ.BUYER_BALANCE_NOT_ENOUGH', message: '买家余额不足' }),
        );
      }
      const signed = ['alipay-timestamp', 'alipay-nonce', 'alipay-signature', 'content-type'];
      res.writeHead(
        upstream.status,
        Object.fromEntries(signed.map((h) => [h, upstream.headers.get(h) ?? ''])),
      );
      res.end(body);
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    try {
      const { config } = alipayTestMerchant(d, url);
      const adapter = adapterFor({
        ...config,
        gatewayUrl: `http://127.0.0.1:${(liar.address() as AddressInfo).port}/`,
      });
      const p = payment('ALI_BAR', { authCode: alipayDoubleCode('paid') });
      const seen = await adapter.pay(p);
      assert.equal(d.trade(p.traceNo)?.status, 'TRADE_SUCCESS', 'the double took the money');
      assert.equal(seen.state, 'success', seen.message);
      const declined = await adapter.pay(payment('ALI_BAR', { authCode: alipayDoubleCode('declined') }));
      assert.equal(declined.state, 'fail', 'a refusal the query does not contradict stands');
    } finally {
      liar.closeAllConnections();
      await new Promise<void>((resolve) => liar.close(() => resolve()));
    }
  });

  it('a cancel Alipay asks to repeat (retry_flag Y) is repeated, within a bound, then unknown', async () => {
    const adapter = adapterFor(alipayTestMerchant(d, url).config);
    const twice = payment('ALI_BAR', { authCode: alipayDoubleCode('paying') });
    await adapter.pay(twice);
    d.cancelRetries = 2;
    assert.equal(
      (await adapter.cancel({ appid: 'hosp1', traceNo: twice.traceNo, channel: 'ALI_BAR' })).state,
      'revoked',
    );
    const never = payment('ALI_BAR', { authCode: alipayDoubleCode('paying') });
    await adapter.pay(never);
    d.cancelRetries = 5;
    try {
      const ref = { appid: 'hosp1', traceNo: never.traceNo, channel: 'ALI_BAR' };
      assert.equal(
        (await adapter.cancel(ref)).state,
        'unknown',
        'never called revoked while Alipay still says retry',
      );
      assert.equal(d.trade(never.traceNo)?.status, 'WAIT_BUYER_PAY');
    } finally {
      d.cancelRetries = 0;
    }
  });

  it('5xx and a gateway that does not answer are unknown, never failure', async () => {
    const adapter = adapterFor(alipayTestMerchant(d, url).config);
    try {
      d.mode = 'error5xx';
      assert.equal((await adapter.pay(payment('ALI_QR'))).state, 'unknown');
      assert.equal(
        (
          await adapter.refund({
            refundTraceNo: 'R1',
            payTraceNo: 'P1',
            appid: 'hosp1',
            channel: 'ALI_QR',
            amountFen: 1,
            totalFen: 1,
            reason: '',
          })
        ).state,
        'unknown',
      );
      d.mode = 'timeout';
      assert.equal(
        (await adapter.pay(payment('ALI_BAR', { authCode: alipayDoubleCode('paid') }))).state,
        'unknown',
      );
    } finally {
      d.mode = 'normal';
    }
  });

  it('the password case: an answer without gmt_payment makes the adapter ask the trade; a WeChat code is refused before Alipay is asked', async () => {
    const adapter = adapterFor(alipayTestMerchant(d, url).config);
    const p = payment('ALI_BAR', { authCode: alipayDoubleCode('password') });
    const first = await adapter.pay(p);
    assert.equal(
      first.state,
      'success',
      'the answer without gmt_payment made the adapter ask the trade, now paid',
    );
    const stuck = payment('ALI_BAR', { authCode: alipayDoubleCode('paying') });
    assert.equal((await adapter.pay(stuck)).state, 'pending');
    const wechat = await adapter.pay(payment('ALI_BAR', { authCode: '134567890123456780' }));
    assert.equal(wechat.state, 'fail');
    assert.equal(d.trade(stuck.traceNo)?.status, 'WAIT_BUYER_PAY');
  });

  it('a precreated code nobody scanned: pending while it can be paid, closed once its time is past', async () => {
    const adapter = adapterFor(alipayTestMerchant(d, url).config);
    d.lazyPrecreate = true;
    try {
      const live = payment('ALI_QR');
      assert.equal((await adapter.pay(live)).state, 'pending');
      const ref = { appid: 'hosp1', traceNo: live.traceNo, channel: 'ALI_QR' };
      assert.equal(
        (await adapter.query(ref)).state,
        'pending',
        'no trade yet, and the code can still be scanned',
      );
      assert.equal(
        (await adapter.close(ref)).state,
        'unknown',
        'closing a code with time left proves nothing',
      );
      const old = payment('ALI_QR', {}, Date.now() - 1000);
      await adapter.pay(old);
      assert.equal(
        (await adapter.close({ appid: 'hosp1', traceNo: old.traceNo, channel: 'ALI_QR' })).state,
        'closed',
      );
    } finally {
      d.lazyPrecreate = false;
    }
  });

  it('ALI_PUB makes a trade for the payer; wap, page and app answer signed order strings the double verifies', async () => {
    const adapter = adapterFor(alipayTestMerchant(d, url).config);
    assert.equal((await adapter.pay(payment('ALI_PUB'))).state, 'fail', 'no payer');
    const pub = await adapter.pay(payment('ALI_PUB', { openId: '2088102177846880' }));
    assert.equal(pub.state, 'pending');
    assert.match(pub.extra?.['tradeNO'] ?? '', /^\d+$/);
    const wap = payment('ALI_WAP');
    const made = await adapter.pay(wap);
    assert.ok(made.qrcode?.startsWith(`${url}gateway.do?`), made.qrcode);
    const page = await fetch(made.qrcode ?? '');
    assert.equal(page.status, 200, await page.text());
    assert.equal(
      d.trade(wap.traceNo)?.status,
      'WAIT_BUYER_PAY',
      'the double verified the v2 sign and made the trade',
    );
    const tampered = await fetch((made.qrcode ?? '').replace('12.34', '0.01'));
    assert.equal(tampered.status, 400, 'an altered amount breaks the signature');
    const app = await adapter.pay(payment('ALI_APP'));
    assert.match(app.extra?.['orderStr'] ?? '', /method=alipay\.trade\.app\.pay.*sign=/);
  });

  it('the config is checked when set: ids, keys, URL', () => {
    const { config } = alipayTestMerchant(d, url);
    const own = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const bad: [Record<string, string>, RegExp][] = [
      [{ privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }, /privateKey/],
      [{ privateKey: 'garbage' }, /privateKey/],
      [{ alipayPublicKey: 'garbage' }, /alipayPublicKey/],
      [
        {
          privateKey: own.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          alipayPublicKey: own.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        },
        /own public key/,
      ],
      [{ appId: '12ab' }, /appId/],
      [{ sellerId: '1234567890123456' }, /sellerId/],
      [{ gatewayUrl: 'http://example.com/' }, /gatewayUrl/],
      [{ appId: '' }, /appId: missing/],
    ];
    for (const [change, message] of bad)
      assert.throws(() => alipayDriver.parseConfig({ ...config, ...change }), message);
    const bare = (config['alipayPublicKey'] ?? '').replace(/-----[A-Z ]+-----|\s/g, '');
    assert.equal(
      alipayDriver.parseConfig({ ...config, alipayPublicKey: bare, gatewayUrl: '' }).gatewayUrl,
      'https://openapi.alipay.com/',
    );
  });
});
