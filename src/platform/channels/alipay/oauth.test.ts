import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { alipayTestMerchant } from '../../../gateway-doubles/alipay/merchant.js';
import { AlipayGatewayDouble } from '../../../gateway-doubles/alipay/server.js';
import { parseAlipayConfig } from './config.js';
import { alipayDriver } from './index.js';
import { alipayAuthorizeUrl, alipayBuyerOf } from './oauth.js';

describe('Alipay web authorization (auth_base) against the double', () => {
  let double: AlipayGatewayDouble;
  let url: string;
  before(async () => {
    double = new AlipayGatewayDouble();
    url = await double.listen();
  });
  after(() => double.close());

  async function authCodeFor(raw: Record<string, string>): Promise<URL> {
    const config = parseAlipayConfig(raw);
    const authorize = alipayAuthorizeUrl(config, raw, 'https://pay.hospital.example/q/T.x/alipay', 'st1');
    assert.match(authorize, /scope=auth_base/);
    const res = await fetch(authorize, { redirect: 'manual' });
    assert.equal(res.status, 302);
    return new URL(res.headers.get('location') ?? '');
  }

  it('the code comes back to the redirect URI with the state, and names the buyer once', async () => {
    const { config: raw } = alipayTestMerchant(double, url, { oauthUrl: url });
    const back = await authCodeFor(raw);
    assert.equal(back.origin + back.pathname, 'https://pay.hospital.example/q/T.x/alipay');
    assert.equal(back.searchParams.get('state'), 'st1');
    const code = back.searchParams.get('auth_code') ?? '';
    const config = parseAlipayConfig(raw);
    assert.deepEqual(await alipayBuyerOf(config, code), { ok: true, buyerId: double.oauth.userId });
    const again = await alipayBuyerOf(config, code);
    assert.equal(again.ok, false, 'a code works once');
    assert.match(again.ok ? '' : again.message, /isv\.code-invalid/);
  });

  it('another application cannot use the code, nor a request signed with a key Alipay does not know', async () => {
    const { config: raw } = alipayTestMerchant(double, url, { oauthUrl: url });
    const code = (await authCodeFor(raw)).searchParams.get('auth_code') ?? '';
    const { config: other } = alipayTestMerchant(double, url);
    const stolen = await alipayBuyerOf(parseAlipayConfig(other), code);
    assert.equal(stolen.ok, false);
    const { config: stranger } = alipayTestMerchant(new AlipayGatewayDouble(), url);
    const unsigned = await alipayBuyerOf(
      parseAlipayConfig({ ...stranger, alipayPublicKey: double.publicKeyPem }),
      code,
    );
    assert.equal(unsigned.ok, false);
    assert.match(unsigned.ok ? '' : unsigned.message, /invalid-signature|验签/);
  });

  it('a plain http authorization host is refused unless it is this machine, when the credentials are set', () => {
    const { config: raw } = alipayTestMerchant(double, url, { oauthUrl: 'http://openauth.example/' });
    assert.throws(() => alipayDriver.parseConfig(raw), /oauthUrl/);
    assert.doesNotThrow(() => alipayDriver.parseConfig({ ...raw, oauthUrl: url }));
  });
});
