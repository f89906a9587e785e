import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { wechatTestMerchant } from '../../../gateway-doubles/wechat/merchant.js';
import { WechatGatewayDouble, wechatDoubleCode } from '../../../gateway-doubles/wechat/server.js';
import { adapterConformance } from '../../../testing/adapter-conformance.js';
import { createLogger } from '../../log/logger.js';
import type { ChannelAdapter } from '../types.js';
import { wechatDriver } from './index.js';

const log = createLogger({ level: 'silent' });

function adapterFor(config: Record<string, string>, appid = 'hosp1'): ChannelAdapter {
  return wechatDriver.create(wechatDriver.parseConfig(config), {
    appid,
    clock: Date.now,
    log,
    noticeUrl: 'http://127.0.0.1:9/channels/hosp1/wechat/notice',
  });
}

for (const [name, extra] of [
  ['a merchant of its own', {}],
  ["a service provider's sub-merchant (partner endpoints)", { subMchid: '1900000999' }],
] as const) {
  let double: WechatGatewayDouble;
  adapterConformance(`WeChat Pay APIv3 against its gateway double: ${name}`, {
    async open() {
      double = new WechatGatewayDouble();
      const url = await double.listen();
      const { config } = wechatTestMerchant(double, url, extra);
      return {
        adapter: adapterFor(config),
        appid: 'hosp1',
        qrChannel: 'WX_QR',
        barcodeChannel: 'WX_BAR',
        code: wechatDoubleCode,
        payQr: (payment) => double.pay(payment.traceNo, false),
        now: Date.now,
      };
    },
    async close() {
      await double.close();
    },
  });
}

describe('WeChat Pay adapter against a strict double', () => {
  let d: WechatGatewayDouble;
  let url: string;
  before(async () => {
    d = new WechatGatewayDouble();
    url = await d.listen();
  });
  after(() => d.close());
  const trace = () => `W${Date.now()}${Math.floor(Math.random() * 1e6)}`;
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

  it('a request signed with another merchant key is refused (401 SIGN_ERROR) and never succeeds', async () => {
    const { config } = wechatTestMerchant(d, url);
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const adapter = adapterFor({
      ...config,
      privateKey: stranger.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const before = d.refusedSignatures.length;
    const qr = await adapter.pay(payment('WX_QR'));
    assert.equal(qr.state, 'fail');
    assert.match(qr.message ?? '', /SIGN_ERROR/);
    const bar = await adapter.pay(payment('WX_BAR', { authCode: wechatDoubleCode('paid') }));
    assert.notEqual(bar.state, 'success');
    assert.notEqual(
      (await adapter.query({ appid: 'hosp1', traceNo: 'X1', channel: 'WX_QR' })).state,
      'success',
    );
    assert.equal(d.refusedSignatures.length - before, 3, 'the double refused all three');
  });

  it('an answer signed by another platform key is not believed: unknown, never success', async () => {
    const { config } = wechatTestMerchant(d, url);
    const good = adapterFor(config);
    const p = payment('WX_BAR', { authCode: wechatDoubleCode('paid') });
    assert.equal((await good.pay(p)).state, 'success');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const fooled = adapterFor({
      ...config,
      platformKey: other.export({ type: 'spki', format: 'pem' }).toString(),
    });
    const seen = await fooled.query({ appid: 'hosp1', traceNo: p.traceNo, channel: 'WX_BAR' });
    assert.equal(seen.state, 'unknown', seen.message);
  });

  it('5xx and a gateway that does not answer are unknown, never failure', async () => {
    const { config } = wechatTestMerchant(d, url);
    const adapter = adapterFor(config);
    try {
      d.mode = 'error5xx';
      assert.equal((await adapter.pay(payment('WX_QR'))).state, 'unknown');
      d.mode = 'timeout';
      assert.equal(
        (await adapter.pay(payment('WX_BAR', { authCode: wechatDoubleCode('paid') }))).state,
        'unknown',
      );
      assert.equal(
        (await adapter.refundQuery({ appid: 'hosp1', traceNo: 'R1', channel: 'WX_QR' })).state,
        'unknown',
      );
    } finally {
      d.mode = 'normal';
    }
  });

  it('JSAPI answers the signed parameters the page gives WeixinJSBridge; no openId is refused', async () => {
    const { config } = wechatTestMerchant(d, url);
    const adapter = adapterFor(config);
    const none = await adapter.pay(payment('WX_PUB'));
    assert.equal(none.state, 'fail');
    const made = await adapter.pay(payment('WX_PUB', { openId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }));
    assert.equal(made.state, 'pending');
    const x = made.extra ?? {};
    assert.equal(x['appId'], config['appid']);
    assert.match(x['package'] ?? '', /^prepay_id=wx/);
    const { createVerify } = await import('node:crypto');
    const { createPublicKey, createPrivateKey } = await import('node:crypto');
    const pub = createPublicKey(createPrivateKey(config['privateKey'] ?? ''));
    const message = `${x['appId']}\n${x['timeStamp']}\n${x['nonceStr']}\n${x['package']}\n`;
    assert.ok(
      createVerify('RSA-SHA256')
        .update(message)
        .verify(pub, x['paySign'] ?? '', 'base64'),
    );
  });

  it('the config is checked when set: keys, APIv3 key length, ids, serials, URL', () => {
    const { config } = wechatTestMerchant(d, url);
    const bad: [Record<string, string>, RegExp][] = [
      [{ privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }, /privateKey/],
      [{ apiV3Key: 'short' }, /apiV3Key/],
      [{ mchid: '12ab' }, /mchid/],
      [{ appid: 'notwechat' }, /appid/],
      [{ platformKey: 'garbage' }, /platformKey/],
      [{ platformSerial: config['serial'] ?? '' }, /platformSerial/],
      [{ gatewayUrl: 'http://example.com/' }, /gatewayUrl/],
      [{ mchid: '' }, /mchid: missing/],
    ];
    for (const [change, message] of bad)
      assert.throws(() => wechatDriver.parseConfig({ ...config, ...change }), message);
    assert.equal(
      wechatDriver.parseConfig({ ...config, gatewayUrl: '' }).gatewayUrl,
      'https://api.mch.weixin.qq.com/',
    );
  });
});
