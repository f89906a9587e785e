import type { UnionpayConfig } from './config.js';
import { type AcpFields, acpSign, acpVerify, parseAcpAnswer, trustedSigningKey } from './sign.js';

/** What the gateway answered, verified; or why no trustworthy answer came. */
export type UnionpayAnswer =
  | { readonly ok: true; readonly fields: AcpFields }
  /** The gateway answered but unsigned or not verifiably (e.g. respCode 11, our signature refused). */
  | { readonly ok: false; readonly kind: 'unverified'; readonly respCode: string; readonly message: string }
  /** No answer, a timeout or a 5xx: the outcome is not known. */
  | { readonly ok: false; readonly kind: 'none'; readonly respCode: ''; readonly message: string };

/** The acp endpoints: transactions and queries. */
export const BACK_TRANS = 'gateway/api/backTransReq.do';
export const QUERY_TRANS = 'gateway/api/queryTrans.do';

/** Beijing time yyyyMMddHHmmss, as txnTime is written. */
export function beijing14(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);
}

/**
 * One merchant's acp 5.1.0 client: every request is a form POST of the
 * common fields and the call's own, signed with the merchant key (certId
 * names the key); every answer must carry a signPubKeyCert chaining to the
 * configured UnionPay certificates and a signature that verifies with it.
 */
export class UnionpayApi {
  constructor(
    private readonly config: UnionpayConfig,
    private readonly clock: () => number,
  ) {}

  signed(fields: AcpFields): AcpFields {
    const all: AcpFields = {
      version: '5.1.0',
      encoding: 'UTF-8',
      signMethod: '01',
      accessType: '0',
      merId: this.config.merId,
      certId: this.config.certId,
      ...fields,
    };
    return { ...all, signature: acpSign(all, this.config.signKey) };
  }

  async call(path: string, fields: AcpFields): Promise<UnionpayAnswer> {
    return this.post(`${this.config.gatewayUrl}${path}`, fields);
  }

  /** The file transfer (fileDownload, txnType 76) to UnionPay's file server, verified like every answer. */
  async fileTransfer(fields: AcpFields): Promise<UnionpayAnswer> {
    return this.post(this.config.fileTransUrl, fields);
  }

  private async post(url: string, fields: AcpFields): Promise<UnionpayAnswer> {
    let status: number;
    let body: string;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: new URLSearchParams(this.signed(fields)).toString(),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      status = res.status;
      body = await res.text();
    } catch (error) {
      return { ok: false, kind: 'none', respCode: '', message: `银联无应答：${(error as Error).message}` };
    }
    if (status >= 300)
      return { ok: false, kind: 'none', respCode: '', message: `银联系统繁忙：HTTP ${status}` };
    const answer = parseAcpAnswer(body.trim());
    const key = trustedSigningKey(answer['signPubKeyCert'], this.chain(), this.clock());
    if (key && acpVerify(answer, key)) return { ok: true, fields: answer };
    return {
      ok: false,
      kind: 'unverified',
      respCode: answer['respCode'] ?? '',
      message: `银联应答未通过验签：${answer['respCode'] ?? ''} ${answer['respMsg'] ?? ''}`.trim(),
    };
  }

  chain() {
    return { middle: this.config.middleCert, root: this.config.rootCert };
  }
}
