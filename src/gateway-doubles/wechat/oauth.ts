import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** open.weixin.qq.com's authorize page and api.weixin.qq.com's token exchange, on the double's own host. */
const WECHAT_AUTHORIZE_PATH = '/connect/oauth2/authorize';
const WECHAT_TOKEN_PATH = '/sns/oauth2/access_token';

/** A code is good for one exchange within five minutes, as WeChat's. */
const CODE_LIFE_MS = 5 * 60_000;

interface Grant {
  readonly appid: string;
  readonly openid: string;
  readonly scope: string;
  readonly expiresAt: number;
}

function json(res: ServerResponse, body: Record<string, unknown>): void {
  // WeChat answers its errors with 200 and an errcode, as here.
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * WeChat's web authorization of an official account (网页授权, scope
 * snsapi_base) as the double plays it: the authorize page redirects at once
 * to redirect_uri with a fresh code (the patient is in WeChat, no consent is
 * asked for snsapi_base); sns/oauth2/access_token gives the patient's openid
 * for a code only with the account's AppSecret, each code once, within its
 * life. The openid is the patient's id under that account: the same patient
 * gets the same openid from one account, another from another.
 */
export class WechatOAuthDouble {
  private readonly secrets = new Map<string, string>();
  private readonly grants = new Map<string, Grant>();
  /** Who is scanning: a test changes it to play another patient. */
  patient = 'patient-1';
  /** Authorizations and successful exchanges, for tests to read. */
  readonly issued: string[] = [];

  /** An official account (公众号) the double knows, with its AppSecret. */
  addOfficialAccount(appid: string, secret: string): void {
    this.secrets.set(appid, secret);
  }

  /** The openid the double gives a patient under an account. */
  openidOf(appid: string, patient = this.patient): string {
    return `o${createHash('sha256').update(`${appid}\n${patient}`).digest('base64url').slice(0, 27)}`;
  }

  /** Serves the two paths; false when the URL is neither (the caller goes on). */
  handle(method: string, url: string, res: ServerResponse): boolean {
    const parsed = new URL(url, 'http://double');
    if (method === 'GET' && parsed.pathname === WECHAT_AUTHORIZE_PATH) {
      this.authorize(parsed.searchParams, res);
      return true;
    }
    if (method === 'GET' && parsed.pathname === WECHAT_TOKEN_PATH) {
      this.token(parsed.searchParams, res);
      return true;
    }
    return false;
  }

  private authorize(query: URLSearchParams, res: ServerResponse): void {
    const appid = query.get('appid') ?? '';
    const scope = query.get('scope') ?? '';
    let target: URL | undefined;
    try {
      target = new URL(query.get('redirect_uri') ?? '');
    } catch {
      target = undefined;
    }
    if (!this.secrets.has(appid) || query.get('response_type') !== 'code' || !target) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end('<h1>微信 - 授权错误</h1><p>appid、response_type 或 redirect_uri 参数错误</p>');
    }
    if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end('<h1>微信 - 授权错误</h1><p>scope 参数错误或没有 scope 权限</p>');
    }
    const code = randomBytes(16).toString('hex');
    this.grants.set(code, {
      appid,
      openid: this.openidOf(appid),
      scope,
      expiresAt: Date.now() + CODE_LIFE_MS,
    });
    this.issued.push(`authorize ${appid}`);
    target.searchParams.set('code', code);
    target.searchParams.set('state', query.get('state') ?? '');
    res.writeHead(302, { location: target.href });
    res.end();
  }

  private token(query: URLSearchParams, res: ServerResponse): void {
    json(res, this.exchange(query));
  }

  private exchange(query: URLSearchParams): Record<string, unknown> {
    const appid = query.get('appid') ?? '';
    const secret = this.secrets.get(appid);
    if (!secret) return { errcode: 40013, errmsg: 'invalid appid' };
    if (query.get('secret') !== secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    if (query.get('grant_type') !== 'authorization_code')
      return { errcode: 40002, errmsg: 'invalid grant_type' };
    const code = query.get('code') ?? '';
    const grant = this.grants.get(code);
    this.grants.delete(code);
    if (!grant || grant.appid !== appid || Date.now() > grant.expiresAt)
      return { errcode: 40029, errmsg: 'invalid code' };
    this.issued.push(`token ${appid}`);
    return {
      access_token: randomBytes(24).toString('base64url'),
      expires_in: 7200,
      refresh_token: randomBytes(24).toString('base64url'),
      openid: grant.openid,
      scope: grant.scope,
    };
  }
}
