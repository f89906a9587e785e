import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** Where Alipay's web authorization page is (openauth.alipay.com in production), on the double's own host. */
export const ALIPAY_AUTHORIZE_PATH = '/oauth2/publicAppAuthorize.htm';

/** An auth_code is good for one exchange within this time, as Alipay's. */
const CODE_LIFE_MS = 5 * 60_000;

interface Grant {
  readonly appId: string;
  readonly userId: string;
  readonly expiresAt: number;
}

function digits(n: number): string {
  return randomBytes(8).readBigUInt64BE().toString().padStart(20, '0').slice(-n);
}

/**
 * Alipay's web authorization (网页授权, scope auth_base) and the token call
 * that turns its one-time auth_code into the buyer's user id
 * (alipay.system.oauth.token), as the double plays them: the authorize page
 * redirects at once to the application's redirect_uri with a fresh auth_code
 * (the patient is always logged in to the Alipay app); the token call, signed
 * with the application key like every v3 call, takes each code once, for the
 * application it was issued to, within its life.
 */
export class AlipayOAuthDouble {
  private readonly grants = new Map<string, Grant>();
  /** The patient the authorizations name: a 2088 user id, the same until a test changes it. */
  userId = `2088${digits(12)}`;
  /** Authorizations and successful exchanges, for tests to read. */
  readonly issued: string[] = [];

  constructor(private readonly knows: (appId: string) => boolean) {}

  /** GET the authorize page: 302 back to redirect_uri with auth_code and state, or Alipay's error page. */
  authorize(url: string, res: ServerResponse): void {
    const query = new URL(url, 'http://double').searchParams;
    const appId = query.get('app_id') ?? '';
    const scope = query.get('scope') ?? '';
    const redirect = query.get('redirect_uri') ?? '';
    let target: URL | undefined;
    try {
      target = new URL(redirect);
    } catch {
      target = undefined;
    }
    if (!this.knows(appId) || !['auth_base', 'auth_user'].includes(scope) || !target) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end('<h1>支付宝 - 授权错误</h1><p>app_id、scope 或 redirect_uri 无效</p>');
    }
    const code = randomBytes(16).toString('hex');
    this.grants.set(code, { appId, userId: this.userId, expiresAt: Date.now() + CODE_LIFE_MS });
    this.issued.push(`authorize ${appId}`);
    target.searchParams.set('app_id', appId);
    target.searchParams.set('source', 'alipay_wallet');
    target.searchParams.set('scope', scope);
    target.searchParams.set('auth_code', code);
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    res.writeHead(302, { location: target.href });
    res.end();
  }

  /** POST /v3/alipay/system/oauth/token from an authenticated application. */
  token(appId: string, data: Record<string, unknown>): { status: number; data: Record<string, unknown> } {
    if (data['grant_type'] !== 'authorization_code')
      return { status: 400, data: { code: 'isv.grant-type-invalid', message: 'grant_type 无效' } };
    const code = String(data['code'] ?? '');
    const grant = this.grants.get(code);
    this.grants.delete(code);
    if (!grant || grant.appId !== appId || Date.now() > grant.expiresAt)
      return { status: 400, data: { code: 'isv.code-invalid', message: '授权码code无效' } };
    this.issued.push(`token ${appId}`);
    return {
      status: 200,
      data: {
        user_id: grant.userId,
        access_token: `authbseB${randomBytes(12).toString('hex')}`,
        expires_in: 1296000,
        refresh_token: `authbseB${randomBytes(12).toString('hex')}`,
        re_expires_in: 2592000,
        auth_start: new Date().toISOString().slice(0, 19).replace('T', ' '),
      },
    };
  }
}
