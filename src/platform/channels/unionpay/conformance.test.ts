import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { unionpayTestMerchant } from '../../../gateway-doubles/unionpay/merchant.js';
import { DoublePki } from '../../../gateway-doubles/unionpay/pki.js';
import { UnionpayGatewayDouble, unionpayDoubleCode } from '../../../gateway-doubles/unionpay/server.js';
import { adapterConformance } from '../../../testing/adapter-conformance.js';
import { createLogger } from '../../log/logger.js';
import type { ChannelAdapter } from '../types.js';
import { beijing14 } from './api.js';
import { unionpayDriver } from './index.js';

const log = createLogger({ level: 'silent' });

function adapterFor(config: Record<string, string>, clock: () => number = Date.now): ChannelAdapter {
  return unionpayDriver.create(unionpayDriver.parseConfig(config), {
    appid: 'hosp1',
    clock,
    log,
    noticeUrl: 'http://127.0.0.1:9/channels/hosp1/unionpay/notice',
  });
}

let double: UnionpayGatewayDouble;
adapterConformance('UnionPay acp 5.1.0 against its gateway double', {
  async open() {
    double = new UnionpayGatewayDouble();
    const url = await double.listen();
    const { config } = unionpayTestMerchant(double, url);
    return {
      adapter: adapterFor(config, double.now),
      appid: 'hosp1',
      qrChannel: 'UP_QR',
      barcodeChannel: 'UP_BAR',
      code: unionpayDoubleCode,
      payQr: (payment) => double.pay(payment.traceNo, false),
      now: double.now,
      // acp has no close for a QR order: its code ends at payTimeout.
      async expire(payment) {
        double.advance(payment.expireAt - double.now() + 1000);
      },
    };
  },
  async close() {
    await double.close();
  },
});

describe('UnionPay adapter against a strict double', () => {
  let d: UnionpayGatewayDouble;
  let url: string;
  before(async () => {
    d = new UnionpayGatewayDouble();
    url = await d.listen();
  });
  after(() => d.close());
  // As the platform makes them: Beijing time, then hex (acp's txnTime is read from it).
  const trace = () => `${beijing14(Date.now())}${randomBytes(6).toString('hex')}`;
  const payment = (channel: string, extra: Record<string, unknown> = {}) => ({
    traceNo: trace(),
    appid: 'hosp1',
    channel,
    amountFen: 1234,
    subject: '门诊缴费',
    termNo: 'T1',
    extra,
    expireAt: Date.now() + 600_000,
  });

  it('a request signed with another merchant key is refused (respCode 11) and never succeeds', async () => {
    const { config } = unionpayTestMerchant(d, url);
    // A certificate of the same PKI but not this merchant's: the certId and key do not match the account.
    const stranger = unionpayTestMerchant(d, url).config;
    const adapter = adapterFor({
      ...config,
      pfx: stranger['pfx'] ?? '',
      pfxPassword: stranger['pfxPassword'] ?? '',
    });
    const before = d.refusedSignatures.length;
    const qr = await adapter.pay(payment('UP_QR'));
    assert.equal(qr.state, 'fail');
    assert.match(qr.message ?? '', /11 验证签名失败/);
    const bar = await adapter.pay(payment('UP_BAR', { authCode: unionpayDoubleCode('paid') }));
    assert.equal(bar.state, 'unknown', 'a barcode may have been charged: asked about, never failed');
    assert.equal(d.refusedSignatures.length - before, 2, 'the double refused both');
  });

  it('an answer signed under another PKI is not believed: unknown, never success', async () => {
    const { config } = unionpayTestMerchant(d, url);
    const p = payment('UP_BAR', { authCode: unionpayDoubleCode('paid') });
    assert.equal((await adapterFor(config).pay(p)).state, 'success');
    const other = new DoublePki();
    const fooled = adapterFor({ ...config, rootCert: other.root.certPem, middleCert: other.middle.certPem });
    const seen = await fooled.query({ appid: 'hosp1', traceNo: p.traceNo, channel: 'UP_BAR' });
    assert.equal(seen.state, 'unknown', seen.message);
    assert.match(seen.message ?? '', /验签/);
  });

  it('the query carries the amount UnionPay holds, and the code that paid', async () => {
    const { config } = unionpayTestMerchant(d, url);
    const adapter = adapterFor(config);
    const p = payment('UP_BAR', { authCode: unionpayDoubleCode('paid') });
    const paid = await adapter.pay(p);
    assert.equal(paid.state, 'success');
    assert.equal(paid.amountFen, 1234);
    assert.equal(paid.paidChannel, 'UP_BAR');
    assert.equal(d.order(p.traceNo)?.txnAmt, 1234);
  });

  it('5xx and a gateway that does not answer are unknown, never failure', async () => {
    const { config } = unionpayTestMerchant(d, url, { timeoutMs: '1000' });
    const adapter = adapterFor(config);
    try {
      d.mode = 'error5xx';
      assert.equal((await adapter.pay(payment('UP_QR'))).state, 'unknown');
      d.mode = 'timeout';
      assert.equal(
        (await adapter.pay(payment('UP_BAR', { authCode: unionpayDoubleCode('paid') }))).state,
        'unknown',
      );
      assert.equal(
        (await adapter.refundQuery({ appid: 'hosp1', traceNo: trace(), channel: 'UP_QR' })).state,
        'unknown',
      );
    } finally {
      d.mode = 'normal';
    }
  });

  it('an unpaid QR order cannot be closed before its code expires: unknown, not closed', async () => {
    const { config } = unionpayTestMerchant(d, url);
    const adapter = adapterFor(config);
    const p = payment('UP_QR');
    assert.equal((await adapter.pay(p)).state, 'pending');
    const early = await adapter.close(p);
    assert.equal(early.state, 'unknown', early.message);
    await d.pay(p.traceNo, false);
    assert.equal((await adapter.query(p)).state, 'success', 'it could still be paid, as the real code can');
  });

  it('the config is checked when set: merId, pfx and password, certificates, URL', () => {
    const { config } = unionpayTestMerchant(d, url);
    const other = new DoublePki();
    const bad: [Record<string, string>, RegExp][] = [
      [{ merId: '12ab' }, /merId/],
      [{ pfxPassword: 'wrong' }, /pfx: not a PKCS#12/],
      [{ pfx: Buffer.from('garbage').toString('base64') }, /pfx/],
      [{ rootCert: 'garbage' }, /rootCert/],
      [{ middleCert: other.middle.certPem }, /middleCert: not issued by rootCert/],
      [{ gatewayUrl: 'http://example.com/' }, /gatewayUrl/],
      [{ merId: '' }, /merId: missing/],
    ];
    for (const [change, message] of bad)
      assert.throws(() => unionpayDriver.parseConfig({ ...config, ...change }), message);
    assert.equal(
      unionpayDriver.parseConfig({ ...config, gatewayUrl: '' }).gatewayUrl,
      'https://gateway.95516.com/',
    );
    assert.match(unionpayDriver.parseConfig(config).certId, /^\d+$/);
  });
});
