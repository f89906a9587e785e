import { AlipayRequestError, AlipaySdk } from 'alipay-sdk';
import type { AlipayConfig } from './config.js';

/** What Alipay answered: a verified 200 body, a refusal (4xx with its code), or nothing known. */
export type AlipayAnswer =
  | { readonly ok: true; readonly data: Record<string, unknown> }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string }
  /** No answer, a 5xx, or an answer whose signature did not verify: the outcome is not known. */
  | { readonly ok: false; readonly status: 0; readonly code: 'UNKNOWN'; readonly message: string };

/** The v2 page and app payments whose signed order string the patient's browser or app takes to Alipay. */
export type OrderStringMethod = 'alipay.trade.wap.pay' | 'alipay.trade.page.pay' | 'alipay.trade.app.pay';

/**
 * The open-platform client of one application, through the official SDK:
 * v3 calls (`ALIPAY-SHA256withRSA` Authorization signed with the application
 * key, every 200 answer verified with Alipay's public key before it is
 * believed) and, where v3 has no call, the v2 order strings of the page, wap
 * and app payments (RSA2 over the sorted parameters).
 */
export class AlipayApi {
  private readonly sdk: AlipaySdk;

  constructor(config: AlipayConfig) {
    const root = config.gatewayUrl.replace(/\/$/, '');
    this.sdk = new AlipaySdk({
      appId: config.appId,
      privateKey: config.privateKeyPem,
      keyType: 'PKCS8',
      alipayPublicKey: config.alipayPublicKeyPem,
      endpoint: root,
      gateway: `${root}/gateway.do`,
      timeout: config.timeoutMs,
      signType: 'RSA2',
    });
  }

  async call(path: string, body: Record<string, unknown>): Promise<AlipayAnswer> {
    return this.request('POST', path, { body });
  }

  /** A v3 GET (its parameters in the query string, signed with the path). */
  async get(path: string, query: Record<string, string>): Promise<AlipayAnswer> {
    return this.request('GET', path, { query });
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: Record<string, unknown>; query?: Record<string, string> },
  ): Promise<AlipayAnswer> {
    try {
      const res = await this.sdk.curl(method, path, options);
      const data =
        typeof res.data === 'object' && res.data !== null ? (res.data as Record<string, unknown>) : {};
      return { ok: true, data };
    } catch (error) {
      if (!(error instanceof AlipayRequestError))
        return {
          ok: false,
          status: 0,
          code: 'UNKNOWN',
          message: `支付宝应答无法解析：${(error as Error).message}`,
        };
      const status = error.responseHttpStatus ?? 0;
      if (
        error.code === 'response-signature-verify-error' ||
        error.code === 'response-alipay-sn-verify-error'
      )
        return { ok: false, status: 0, code: 'UNKNOWN', message: '支付宝应答验签失败' };
      if (status === 0 || status >= 500)
        return {
          ok: false,
          status: 0,
          code: 'UNKNOWN',
          message: `支付宝无应答或系统繁忙：${error.code ?? (status || '无应答')}`,
        };
      return {
        ok: false,
        status,
        code: error.code ?? `HTTP_${status}`,
        // The SDK appends the trace id to the message: keep Alipay's own words.
        message: error.message.replace(/ \(traceId: [^)]*\)$/, ''),
      };
    }
  }

  /** A signed v2 request: the URL the patient's browser opens (wap, page) or the order string the Alipay app takes. */
  orderString(method: OrderStringMethod, bizContent: Record<string, unknown>, notifyUrl: string): string {
    if (method === 'alipay.trade.app.pay')
      return this.sdk.sdkExecute(method, { bizContent, notifyUrl }, { bizContentAutoSnakeCase: false });
    return this.sdk.pageExecute(method, 'GET', { bizContent, notifyUrl });
  }

  /** Verifies an asynchronous notification's RSA2 signature over its sorted form fields (values as received). */
  verifyNotice(fields: Record<string, string>): boolean {
    return this.sdk.checkNotifySignV2(fields);
  }
}
