import { oauthBaseUrl } from '../live/oauth-url.js';
import type { WechatConfig } from './config.js';

/** WeChat's authorize page and its token API; `oauthUrl` / `snsUrl` in the credentials point a test at a double. */
const WECHAT_OAUTH_URL = 'https://open.weixin.qq.com/';
const WECHAT_SNS_URL = 'https://api.weixin.qq.com/';

/**
 * Checks the authorization settings when the credentials are set: the
 * AppSecret (optional: without it the one-QR landing cannot serve WeChat)
 * is 32 hexadecimal characters, the hosts are URLs.
 */
export function checkWechatOAuth(raw: Readonly<Record<string, string>>): void {
  const secret = raw['appSecret']?.trim();
  if (secret && !/^[0-9a-fA-F]{32}$/.test(secret))
    throw new Error('appSecret: the official account AppSecret is 32 hexadecimal characters');
  oauthBaseUrl(raw['oauthUrl'], WECHAT_OAUTH_URL, 'oauthUrl');
  oauthBaseUrl(raw['snsUrl'], WECHAT_SNS_URL, 'snsUrl');
}

/**
 * The authorize URL of the official account's web authorization, scope
 * snsapi_base (silent), which comes back to `redirectUri` with a one-time
 * code. The redirect URI's host must be the account's 网页授权域名.
 */
export function wechatAuthorizeUrl(
  config: WechatConfig,
  raw: Readonly<Record<string, string>>,
  redirectUri: string,
  state: string,
): string {
  const url = new URL(
    'connect/oauth2/authorize',
    oauthBaseUrl(raw['oauthUrl'], WECHAT_OAUTH_URL, 'oauthUrl'),
  );
  url.searchParams.set('appid', config.appid);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'snsapi_base');
  url.searchParams.set('state', state);
  return `${url.href}#wechat_redirect`;
}

/** The payer a code names, or why not (in Chinese). */
type OpenidAnswer =
  | { readonly ok: true; readonly openid: string }
  | { readonly ok: false; readonly message: string };

/**
 * sns/oauth2/access_token: the code exchanged with the account's AppSecret
 * (`appSecret` in the credentials, from the official account's 基本配置) for
 * the payer's openid under the account, which the JSAPI order names.
 */
export async function wechatOpenidOf(
  config: WechatConfig,
  raw: Readonly<Record<string, string>>,
  code: string,
): Promise<OpenidAnswer> {
  const secret = raw['appSecret']?.trim();
  if (!secret) return { ok: false, message: '本院未配置公众号 AppSecret（appSecret），无法网页授权' };
  if (!/^[\w-]{8,128}$/.test(code)) return { ok: false, message: '微信授权码无效' };
  const url = new URL('sns/oauth2/access_token', oauthBaseUrl(raw['snsUrl'], WECHAT_SNS_URL, 'snsUrl'));
  url.searchParams.set('appid', config.appid);
  url.searchParams.set('secret', secret);
  url.searchParams.set('code', code);
  url.searchParams.set('grant_type', 'authorization_code');
  let body: Record<string, unknown>;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(config.timeoutMs) });
    body = (await res.json()) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, message: `微信授权无应答：${(error as Error).message}` };
  }
  if (body['errcode'] !== undefined && body['errcode'] !== 0)
    return { ok: false, message: `微信授权失败：${String(body['errcode'])} ${String(body['errmsg'] ?? '')}` };
  const openid = body['openid'];
  if (typeof openid !== 'string' || !openid) return { ok: false, message: '微信授权应答缺少 openid' };
  return { ok: true, openid };
}
