import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { wechatTestMerchant } from '../../../gateway-doubles/wechat/merchant.js';
import { WechatGatewayDouble } from '../../../gateway-doubles/wechat/server.js';
import { parseWechatConfig } from './config.js';
import { wechatDriver } from './index.js';
import { wechatAuthorizeUrl, wechatOpenidOf } from './oauth.js';

describe('WeChat official account web authorization (snsapi_base) against the double', () => {
  let double: WechatGatewayDouble;
  let url: string;
  let raw: Record<string, string>;
  before(async () => {
    double = new WechatGatewayDouble();
    url = await double.listen();
    const appSecret = randomBytes(16).toString('hex');
    raw = wechatTestMerchant(double, url, { appSecret, oauthUrl: url, snsUrl: url }).config;
    double.oauth.addOfficialAccount(raw['appid'] ?? '', appSecret);
  });
  after(() => double.close());

  async function code(): Promise<URL> {
    const authorize = wechatAuthorizeUrl(
      parseWechatConfig(raw),
      raw,
      'https://pay.hospital.example/q/T.x/wechat',
      'st2',
    );
    assert.match(authorize, /scope=snsapi_base.*#wechat_redirect$/);
    const res = await fetch(authorize, { redirect: 'manual' });
    assert.equal(res.status, 302);
    return new URL(res.headers.get('location') ?? '');
  }

  it('the code comes back with the state and gives the patient’s openid once', async () => {
    const back = await code();
    assert.equal(back.searchParams.get('state'), 'st2');
    const c = back.searchParams.get('code') ?? '';
    const config = parseWechatConfig(raw);
    assert.deepEqual(await wechatOpenidOf(config, raw, c), {
      ok: true,
      openid: double.oauth.openidOf(config.appid),
    });
    const again = await wechatOpenidOf(config, raw, c);
    assert.equal(again.ok, false);
    assert.match(again.ok ? '' : again.message, /40029/);
  });

  it('a wrong AppSecret is refused (40125); none configured is said before WeChat is asked', async () => {
    const c = (await code()).searchParams.get('code') ?? '';
    const config = parseWechatConfig(raw);
    const wrong = await wechatOpenidOf(config, { ...raw, appSecret: 'x'.repeat(32) }, c);
    assert.match(wrong.ok ? '' : wrong.message, /40125/);
    const none = await wechatOpenidOf(config, { ...raw, appSecret: '' }, c);
    assert.match(none.ok ? '' : none.message, /AppSecret/);
  });

  it('a malformed AppSecret or a plain http token host is refused when the credentials are set', () => {
    assert.doesNotThrow(() => wechatDriver.parseConfig(raw));
    assert.throws(() => wechatDriver.parseConfig({ ...raw, appSecret: 'not-a-secret' }), /appSecret/);
    assert.throws(() => wechatDriver.parseConfig({ ...raw, snsUrl: 'http://api.example/' }), /snsUrl/);
  });
});
