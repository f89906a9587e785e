import { Wechatpay } from 'wechatpay-axios-plugin';
import type { WechatConfig } from './config.js';

/** What WeChat Pay answered: the HTTP status and the JSON body, or nothing when no verified answer came. */
export type WechatAnswer =
  | { readonly ok: true; readonly status: number; readonly data: Record<string, unknown> }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string }
  /** No answer, a 5xx, or an answer whose signature did not verify: the outcome is not known. */
  | { readonly ok: false; readonly status: 0; readonly code: 'UNKNOWN'; readonly message: string };

interface AxiosLikeError {
  code?: string;
  message?: string;
  response?: { status?: number; data?: unknown };
}

interface RequestClient {
  request(
    path: string,
    method: string,
    data?: unknown,
    config?: Record<string, unknown>,
  ): Promise<{ status: number; data: unknown }>;
}

// The plugin's answer verifier reports a bad platform signature with these codes.
const UNVERIFIED = /^EV3_RES_/;

/**
 * The APIv3 client of one merchant: the plugin signs every request with the
 * merchant key (WECHATPAY2-SHA256-RSA2048) and verifies every 2xx answer with
 * the platform key; this turns its answers and errors into plain outcomes.
 */
export class WechatApi {
  private readonly client: RequestClient;

  constructor(config: WechatConfig) {
    const pay = new Wechatpay({
      mchid: config.mchid,
      serial: config.serial,
      privateKey: config.privateKey,
      certs: { [config.platformSerial]: config.platformKey },
      baseURL: config.gatewayUrl,
      timeout: config.timeoutMs,
    } as unknown as ConstructorParameters<typeof Wechatpay>[0]);
    this.client = (pay as unknown as { client: RequestClient }).client;
  }

  async call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    params?: Record<string, string>,
  ): Promise<WechatAnswer> {
    try {
      const res = await this.client.request(path, method, body, params ? { params } : {});
      const data =
        typeof res.data === 'object' && res.data !== null ? (res.data as Record<string, unknown>) : {};
      return { ok: true, status: res.status, data };
    } catch (error) {
      const e = error as AxiosLikeError;
      const status = e.response?.status ?? 0;
      if (UNVERIFIED.test(e.code ?? ''))
        return { ok: false, status: 0, code: 'UNKNOWN', message: `微信支付应答验签失败：${e.code}` };
      if (!e.response || status >= 500) {
        const body = (e.response?.data ?? {}) as Record<string, unknown>;
        return {
          ok: false,
          status: 0,
          code: 'UNKNOWN',
          message: `微信支付无应答或系统繁忙：${String(body['code'] ?? e.code ?? status)}`,
        };
      }
      const body = (
        typeof e.response.data === 'object' && e.response.data !== null ? e.response.data : {}
      ) as Record<string, unknown>;
      return {
        ok: false,
        status,
        code: String(body['code'] ?? `HTTP_${status}`),
        message: String(body['message'] ?? '微信支付拒绝了请求'),
      };
    }
  }

  /**
   * A bill's bytes from a download_url (`/v3/billdownload/file?token=…`), as a
   * stream: the request is signed like any other; the answer is not (the
   * plugin knows the path and does not verify it) — the caller checks the
   * hash the signed tradebill answer gave.
   */
  async download(downloadUrl: string): Promise<NodeJS.ReadableStream> {
    const url = new URL(downloadUrl);
    const res = await this.client.request(url.pathname, 'GET', undefined, {
      params: Object.fromEntries(url.searchParams),
      responseType: 'stream',
    });
    return res.data as NodeJS.ReadableStream;
  }
}
