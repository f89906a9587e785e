import { oauthBaseUrl } from '../live/oauth-url.js';
import { AlipayApi } from './api.js';
import type { AlipayConfig } from './config.js';

/** Alipay's web authorization host (网页授权); `oauthUrl` in the credentials points a test at a double. */
const ALIPAY_OAUTH_URL = 'https://openauth.alipay.com/';

/** Checks the authorization settings when the credentials are set (a bad URL is refused then, not at a scan). */
export function checkAlipayOAuth(raw: Readonly<Record<string, string>>): void {
  oauthBaseUrl(raw['oauthUrl'], ALIPAY_OAUTH_URL, 'oauthUrl');
}

/**
 * The authorize URL of Alipay's web authorization, scope auth_base (silent:
 * the patient sees no consent page), which comes back to `redirectUri` with a
 * one-time auth_code. The redirect URI's host must be the application's
 * 授权回调地址 on the open platform.
 */
export function alipayAuthorizeUrl(
  config: AlipayConfig,
  raw: Readonly<Record<string, string>>,
  redirectUri: string,
  state: string,
): string {
  const url = new URL(
    'oauth2/publicAppAuthorize.htm',
    oauthBaseUrl(raw['oauthUrl'], ALIPAY_OAUTH_URL, 'oauthUrl'),
  );
  url.searchParams.set('app_id', config.appId);
  url.searchParams.set('scope', 'auth_base');
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('state', state);
  return url.href;
}

/** The payer an auth_code names, or why not (in Chinese). */
type BuyerAnswer =
  | { readonly ok: true; readonly buyerId: string }
  | { readonly ok: false; readonly message: string };

/**
 * alipay.system.oauth.token: the auth_code exchanged, with a signed v3 call
 * whose answer is verified like every other, for the payer's user_id (2088…)
 * or, for applications on open ids, open_id — what alipay.trade.create takes
 * as buyer_id / buyer_open_id.
 */
export async function alipayBuyerOf(config: AlipayConfig, authCode: string): Promise<BuyerAnswer> {
  if (!/^[\w-]{8,128}$/.test(authCode)) return { ok: false, message: '支付宝授权码无效' };
  const answer = await new AlipayApi(config).call('/v3/alipay/system/oauth/token', {
    grant_type: 'authorization_code',
    code: authCode,
  });
  if (!answer.ok) return { ok: false, message: `支付宝授权失败：${answer.code} ${answer.message}` };
  const buyer = answer.data['user_id'] ?? answer.data['open_id'];
  if (typeof buyer !== 'string' || !buyer) return { ok: false, message: '支付宝授权应答缺少 user_id' };
  return { ok: true, buyerId: buyer };
}
