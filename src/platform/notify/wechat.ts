import type { WechatConfig } from './config.js';
import type { DeliveryResult } from './delivery-result.js';

/** Token errors after which a fresh token is fetched and the send tried once more. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
/** Errors no retry can fix (bad openid, template, unsubscribed user): the operator must act. */
const PERMANENT_ERRORS = new Set([40003, 40037, 43004, 47003]);
/** Renew a token this long before WeChat says it expires, so no send carries a dying one. */
const TOKEN_MARGIN_MS = 5 * 60_000;
const MAX_CACHED_TOKENS = 1_000;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

interface TemplateMessage {
  readonly touser: string;
  readonly template_id: string;
  readonly url: string;
  readonly data: Record<string, { value: string }>;
}

async function getJson(url: string, init: RequestInit, timeoutMs: number): Promise<Record<string, unknown>> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  if (res.status < 200 || res.status >= 300) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}`);
  }
  return (await res.json()) as Record<string, unknown>;
}

/**
 * The official template-message API: GET /cgi-bin/token (cached until shortly
 * before expires_in), POST /cgi-bin/message/template/send?access_token=….
 * The cache is per process; WeChat allows a few thousand token fetches a day.
 */
export class WechatSender {
  private readonly tokens = new Map<string, CachedToken>();
  /** One fetch per app at a time: concurrent sends wait for the same token instead of each fetching one. */
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(
    private readonly clock: () => number,
    private readonly timeoutMs: number,
  ) {}

  private cacheKey(config: WechatConfig): string {
    return `${config.baseUrl}|${config.appId}`;
  }

  private token(config: WechatConfig): Promise<string> {
    const key = this.cacheKey(config);
    const hit = this.tokens.get(key);
    if (hit && hit.expiresAt > this.clock()) return Promise.resolve(hit.token);
    let pending = this.fetching.get(key);
    if (!pending) {
      pending = this.fetchToken(config).finally(() => this.fetching.delete(key));
      this.fetching.set(key, pending);
    }
    return pending;
  }

  private async fetchToken(config: WechatConfig): Promise<string> {
    const url = new URL(`${config.baseUrl}/cgi-bin/token`);
    url.searchParams.set('grant_type', 'client_credential');
    url.searchParams.set('appid', config.appId);
    url.searchParams.set('secret', config.appSecret);
    const body = await getJson(url.href, { method: 'GET' }, this.timeoutMs);
    const token = body['access_token'];
    const expiresIn = Number(body['expires_in'] ?? 7200);
    // The URL carries the secret: never put it in an error.
    if (typeof token !== 'string' || token === '') {
      throw new Error(`token refused: errcode ${String(body['errcode'])} ${String(body['errmsg'] ?? '')}`);
    }
    if (this.tokens.size >= MAX_CACHED_TOKENS) this.tokens.clear();
    this.tokens.set(this.cacheKey(config), {
      token,
      expiresAt: this.clock() + Math.max(expiresIn * 1000 - TOKEN_MARGIN_MS, 60_000),
    });
    return token;
  }

  async send(config: WechatConfig, message: TemplateMessage): Promise<DeliveryResult> {
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const token = await this.token(config);
        const url = `${config.baseUrl}/cgi-bin/message/template/send?access_token=${encodeURIComponent(token)}`;
        const body = await getJson(
          url,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: JSON.stringify(message),
          },
          this.timeoutMs,
        );
        const code = Number(body['errcode'] ?? 0);
        if (code === 0) return { ok: true };
        const reason = `wechat errcode ${code} ${String(body['errmsg'] ?? '')}`.slice(0, 300);
        if (TOKEN_ERRORS.has(code)) {
          this.tokens.delete(this.cacheKey(config));
          continue;
        }
        return { ok: false, error: reason, permanent: PERMANENT_ERRORS.has(code) };
      }
      return { ok: false, error: 'wechat kept refusing fresh access tokens' };
    } catch (error) {
      return { ok: false, error: `wechat unreachable: ${(error as Error).message}`.slice(0, 300) };
    }
  }
}
