import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PayClient } from '../../client/index.js';
import { alipayTestMerchant } from '../../gateway-doubles/alipay/merchant.js';
import { AlipayGatewayDouble } from '../../gateway-doubles/alipay/server.js';
import { wechatTestMerchant } from '../../gateway-doubles/wechat/merchant.js';
import { WechatGatewayDouble } from '../../gateway-doubles/wechat/server.js';
import type { TEST_DATABASES } from '../../testing/databases.js';
import { OPERATOR } from '../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';

export const ALIPAY_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 AlipayClient/10.5.36.6000 Language/zh-Hans';
export const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2f) NetType/WIFI Language/zh_CN';
export const DESKTOP_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

const opening = { userSex: '2', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };
const card = (cardNo: string) => ({ ...OPERATOR, cardType: '03', cardNo, accountType: '01' });

function p(answer: Record<string, unknown>): Record<string, unknown> {
  return (answer['param'] ?? {}) as Record<string, unknown>;
}

/** What the wallet page hands the wallet's JS bridge (its data-pay attribute). */
export function payData(html: string): Record<string, string> {
  const m = /data-pay="([^"]*)"/.exec(html);
  assert.ok(m?.[1], `a wallet page: ${html.slice(0, 400)}`);
  const json = m[1]
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return JSON.parse(json) as Record<string, string>;
}

export interface LiveOneQr {
  readonly t: TestPlatform;
  readonly ali: AlipayGatewayDouble;
  readonly wx: WechatGatewayDouble;
  readonly wechatKeyPem: string;
  readonly wechatAppid: string;
  readonly order: (cardNo: string, outNo: string) => Promise<{ traceNo: string; qrcode: string }>;
  readonly result: (cardNo: string, outNo: string) => Promise<Record<string, unknown>>;
  readonly close: () => Promise<void>;
}

/** A live app with Alipay and WeChat Pay configured against the doubles, their web authorization too. */
export async function liveOneQr(database: (typeof TEST_DATABASES)[number]): Promise<LiveOneQr> {
  const t = await startTestPlatform(database, { settings: { sweepGraceMs: 0 } });
  const ali = new AlipayGatewayDouble();
  const wx = new WechatGatewayDouble();
  const aliUrl = await ali.listen();
  const wxUrl = await wx.listen();
  const appid = `live${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(24).toString('base64url');
  const { platform } = t.running;
  await platform.apps.create({ name: '正式医院', appid, secret, mode: 'live' });
  await platform.credentials.set(
    appid,
    'alipay',
    alipayTestMerchant(ali, aliUrl, { oauthUrl: aliUrl }).config,
  );
  const appSecret = randomBytes(16).toString('hex');
  const merchant = wechatTestMerchant(wx, wxUrl, { appSecret, oauthUrl: wxUrl, snsUrl: wxUrl });
  wx.oauth.addOfficialAccount(merchant.config['appid'] ?? '', appSecret);
  await platform.credentials.set(appid, 'wechat', merchant.config);
  const client = new PayClient({
    serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
    appid,
    appsecret: secret,
  });
  return {
    t,
    ali,
    wx,
    wechatKeyPem: merchant.privateKeyPem,
    wechatAppid: merchant.config['appid'] ?? '',
    async order(cardNo, outNo) {
      const answer = await client.recharge({
        ...card(cardNo),
        hisCustId: `H${cardNo}`,
        userName: '李四',
        idNo: '',
        amount: '12.34',
        outChargeNo: outNo,
        depositType: 'ONE_QR',
        extra: opening,
      });
      assert.equal(answer.respCode, '000000', answer.respMsg);
      return { traceNo: String(p(answer)['traceNo']), qrcode: String(p(answer)['qrcode']) };
    },
    async result(cardNo, outNo) {
      return p(await client.query({ ...card(cardNo), tradeType: 'hop.trade.recharge', outTradeNo: outNo }));
    },
    async close() {
      await ali.close();
      await wx.close();
      await t.closeCheckingLedger();
    },
  };
}
