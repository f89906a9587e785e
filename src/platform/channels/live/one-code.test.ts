import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { alipayTestMerchant } from '../../../gateway-doubles/alipay/merchant.js';
import { AlipayGatewayDouble, alipayDoubleCode } from '../../../gateway-doubles/alipay/server.js';
import { wechatTestMerchant } from '../../../gateway-doubles/wechat/merchant.js';
import { WechatGatewayDouble, wechatDoubleCode } from '../../../gateway-doubles/wechat/server.js';
import type { Wallet } from '../../../protocol/channels.js';
import { createLogger } from '../../log/logger.js';
import { alipayDriver } from '../alipay/index.js';
import type { ChannelAdapter } from '../types.js';
import { wechatDriver } from '../wechat/index.js';
import type { GatewayDriver } from './gateways.js';
import { OneCodeRouter } from './one-code.js';

const log = createLogger({ level: 'silent' });

function build(driver: GatewayDriver, config: Record<string, string>): ChannelAdapter {
  return driver.create(driver.parseConfig(config), {
    appid: 'hosp1',
    clock: Date.now,
    log,
    noticeUrl: 'http://127.0.0.1:9/n',
  });
}

describe('ONE_BAR and ONE_QR routed to the wallets a live app has', () => {
  let ali: AlipayGatewayDouble;
  let wx: WechatGatewayDouble;
  const adapters = new Map<Wallet, ChannelAdapter>();
  before(async () => {
    ali = new AlipayGatewayDouble();
    wx = new WechatGatewayDouble();
    adapters.set(
      'ALI',
      build(alipayDriver as GatewayDriver, alipayTestMerchant(ali, await ali.listen()).config),
    );
    adapters.set(
      'WX',
      build(wechatDriver as GatewayDriver, wechatTestMerchant(wx, await wx.listen()).config),
    );
  });
  after(async () => {
    await ali.close();
    await wx.close();
  });
  const payment = (channel: string, authCode?: string) => ({
    traceNo: `O${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    appid: 'hosp1',
    channel,
    amountFen: 500,
    subject: '门诊缴费',
    termNo: 'T1',
    extra: authCode ? { authCode } : {},
    expireAt: Date.now() + 600_000,
  });

  it('a payment code goes to the wallet its prefix names, and the wallet that paid is named', async () => {
    const router = new OneCodeRouter(async (w) => adapters.get(w));
    const byAlipay = payment('ONE_BAR', alipayDoubleCode('paid'));
    const paid = await router.pay(byAlipay);
    assert.equal(paid.state, 'success', paid.message);
    assert.equal(paid.paidChannel, 'ALI_BAR');
    assert.equal(ali.trade(byAlipay.traceNo)?.status, 'TRADE_SUCCESS');
    assert.equal(wx.order(byAlipay.traceNo), undefined, 'WeChat Pay never saw it');
    const byWechat = payment('ONE_BAR', wechatDoubleCode('paid'));
    const wxPaid = await router.pay(byWechat);
    assert.equal(wxPaid.paidChannel, 'WX_BAR');
    assert.equal(wx.order(byWechat.traceNo)?.state, 'SUCCESS');
    assert.equal(
      (await router.pay(payment('ONE_BAR', '6212345678901234567'))).state,
      'fail',
      'no UnionPay here',
    );
  });

  it('later calls find the wallet that knows the trade, even in a router that never saw the payment', async () => {
    const first = new OneCodeRouter(async (w) => adapters.get(w));
    const stuck = payment('ONE_BAR', wechatDoubleCode('paying'));
    assert.equal((await first.pay(stuck)).state, 'pending');
    const restarted = new OneCodeRouter(async (w) => adapters.get(w));
    const ref = { appid: 'hosp1', traceNo: stuck.traceNo, channel: 'ONE_BAR' };
    assert.equal((await restarted.query(ref)).state, 'pending');
    assert.equal((await restarted.cancel(ref)).state, 'revoked');
    assert.equal(wx.order(stuck.traceNo)?.state, 'REVOKED');
    assert.equal((await restarted.query({ ...ref, traceNo: 'NOWHERE1' })).state, 'unknown');
  });

  it('one QR goes to the only QR wallet; with two, the router declines to choose', async () => {
    const aliOnly = new OneCodeRouter(async (w) => (w === 'ALI' ? adapters.get(w) : undefined));
    const qr = await aliOnly.pay(payment('ONE_QR'));
    assert.equal(qr.state, 'pending');
    assert.match(qr.qrcode ?? '', /^https:\/\/qr\.alipay\.com\//);
    const both = new OneCodeRouter(async (w) => adapters.get(w));
    assert.equal((await both.serving('qr')).length, 2);
    assert.equal((await both.pay(payment('ONE_QR'))).state, 'fail');
  });
});
