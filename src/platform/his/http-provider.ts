import { formatFen, parseYuan } from '../../protocol/money.js';
import { HIS_CALL_MS } from '../../protocol/timeouts.js';
import { plainHttpRefusal } from '../apps/url-policy.js';
import {
  answerMacInput,
  SIGNATURE_HEADER,
  signBody,
  TIMESTAMP_HEADER,
  verifySignature,
} from './signature.js';
import type { DepositProvider, PatientRef, ProviderAccount, ProviderOutcome } from './types.js';
import { HIS_MAX_BODY_BYTES, HIS_PATHS, type HisEndpoint, type HisOperation } from './wire.js';

interface HttpDepositProviderOptions {
  /** Where the HIS serves the API of docs/his-api.md, e.g. "https://his.example/onepay". */
  readonly baseUrl: string;
  /** Shared HMAC key. */
  readonly key: string;
  /** Whole-exchange bound (connect, send, answer, body). */
  readonly timeoutMs?: number;
  /** Injected for tests; Node's own fetch (undici, keep-alive pool) otherwise. */
  readonly fetch?: typeof fetch;
  /** Milliseconds since the epoch; injected to test the signature window. */
  readonly clock?: () => number;
  /** Plain http:// to a host other than this one: refused unless the hospital allows it explicitly. */
  readonly allowInsecureHttp?: boolean;
}

const DEFAULT_HIS_TIMEOUT_MS = HIS_CALL_MS;
/** An HIS that needs longer than this is down for our purposes; answers never wait minutes. */
const MAX_HIS_TIMEOUT_MS = 120_000;

/** accountInfo could not learn the answer (timeout, 5xx, garbage): not "no such account". */
export class HisUnavailableError extends Error {
  override readonly name = 'HisUnavailableError';
}

/**
 * Connection errors that happen before a single byte of the request left this
 * host. Only these may be read as "not applied": a reset or a timeout after
 * the request was written says nothing about what the HIS did with it.
 * (undici never reuses a pooled socket for a new connection error, and it
 * does not silently retry a POST, so a refused connect is a fresh one.)
 */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

type Exchange =
  | { readonly kind: 'answer'; readonly status: number; readonly body: Record<string, unknown> }
  | { readonly kind: 'notSent'; readonly message: string }
  | { readonly kind: 'unknown'; readonly message: string };

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  // undici wraps the socket error in `cause`; happy-eyeballs wraps several in an AggregateError.
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    if (current instanceof AggregateError) {
      for (const inner of current.errors) {
        const innerCode = (inner as { code?: unknown } | undefined)?.code;
        if (typeof innerCode === 'string') codes.push(innerCode);
      }
    }
    current = current.cause;
  }
  return codes;
}

async function readBounded(response: Response): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > HIS_MAX_BODY_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The deposit provider for a hospital whose HIS keeps the deposits. Every
 * answer that is not an explicit "1" from the HIS itself becomes `unknown`:
 * a timeout, a reset, a 5xx or an unreadable body may hide an applied
 * operation, and the platform must ask (status) or re-send with the same
 * trace number rather than act as if nothing happened.
 */
export class HttpDepositProvider implements DepositProvider {
  readonly kind = 'his-http' as const;
  private readonly baseUrl: string;
  private readonly key: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly clock: () => number;

  constructor(options: HttpDepositProviderOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) throw new TypeError('baseUrl must be an http(s) URL');
    const insecure = plainHttpRefusal('外部 HIS', options.baseUrl, options.allowInsecureHttp === true);
    if (insecure) throw new TypeError(insecure);
    if (options.key.length === 0) throw new TypeError('key must not be empty');
    const timeoutMs = options.timeoutMs ?? DEFAULT_HIS_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_HIS_TIMEOUT_MS) {
      throw new RangeError(`timeoutMs must be an integer in 1..${MAX_HIS_TIMEOUT_MS}`);
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.key = options.key;
    this.timeoutMs = timeoutMs;
    this.fetchFn = options.fetch ?? fetch;
    this.clock = options.clock ?? Date.now;
  }

  async accountInfo(patient: PatientRef): Promise<ProviderAccount | undefined> {
    const exchange = await this.post('account', patientFields(patient));
    if (exchange.kind !== 'answer') throw new HisUnavailableError(exchange.message);
    const { status, body } = exchange;
    // Only the HIS's 2xx refusal means "no such account": a 401 (signature) or 400 is a
    // configuration fault, and reading it as "no account" would hide a patient's money.
    if (status >= 200 && status <= 299 && body['code'] === '1') return undefined;
    const balanceFen = parseYuan(text(body['balance']) ?? '');
    if (status < 200 || status > 299 || body['code'] !== '0' || balanceFen === null) {
      const msg = text(body['msg']);
      throw new HisUnavailableError(`HIS account answer not usable (HTTP ${status}${msg ? `: ${msg}` : ''})`);
    }
    const field = (name: string) => text(body[name]) ?? '';
    return {
      cardType: field('cardType'),
      cardNo: field('cardNo'),
      hisCustId: field('hisCustId'),
      balanceFen,
      idType: field('idType'),
      idNo: field('idNo'),
      userName: field('userName'),
      userSex: field('userSex'),
      accountType: field('accountType'),
      accountNo: field('accountNo'),
      status: field('status'),
    };
  }

  async credit(
    traceNo: string,
    patient: PatientRef,
    amountFen: number,
    hisOrderNo?: string,
  ): Promise<ProviderOutcome> {
    return this.operation('credit', {
      traceNo,
      ...patientFields(patient),
      amount: formatFen(positive(amountFen)),
      ...(hisOrderNo !== undefined ? { hisOrderNo } : {}),
    });
  }

  async refund(
    refundTraceNo: string,
    patient: PatientRef,
    amountFen: number,
    origTraceNo: string,
  ): Promise<ProviderOutcome> {
    return this.operation('refund', {
      refundTraceNo,
      origTraceNo,
      ...patientFields(patient),
      amount: formatFen(positive(amountFen)),
    });
  }

  async preRefund(
    refundTraceNo: string,
    patient: PatientRef,
    amountFen: number,
    origTraceNo: string,
  ): Promise<ProviderOutcome> {
    return this.operation('preRefund', {
      refundTraceNo,
      origTraceNo,
      ...patientFields(patient),
      amount: formatFen(positive(amountFen)),
    });
  }

  async confirmRefund(refundTraceNo: string, channelSucceeded: boolean): Promise<ProviderOutcome> {
    return this.operation('confirmRefund', { refundTraceNo, channelSucceeded });
  }

  async status(traceNo: string, operation: HisOperation): Promise<ProviderOutcome> {
    const exchange = await this.post('status', { traceNo, operation });
    if (exchange.kind === 'answer' && exchange.status < 500 && exchange.body['code'] === '404') {
      return {
        state: 'unknown',
        message: `HIS has no record of ${operation} ${traceNo}`,
        notFound: true,
      };
    }
    return outcome(exchange);
  }

  private async operation(endpoint: HisOperation, body: Record<string, unknown>): Promise<ProviderOutcome> {
    return outcome(await this.post(endpoint, body));
  }

  private async post(endpoint: HisEndpoint, payload: Record<string, unknown>): Promise<Exchange> {
    const body = JSON.stringify(payload);
    const timestampS = Math.floor(this.clock() / 1000);
    const signature = signBody(this.key, timestampS, body);
    let response: Response;
    try {
      response = await this.fetchFn(`${this.baseUrl}${HIS_PATHS[endpoint]}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          [TIMESTAMP_HEADER]: String(timestampS),
          [SIGNATURE_HEADER]: signature,
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const codes = errorCodes(error);
      const notSent = codes.find((code) => NOT_SENT_CODES.has(code));
      if (notSent) return { kind: 'notSent', message: `HIS unreachable (${notSent}); nothing was sent` };
      return { kind: 'unknown', message: describe(error, codes, this.timeoutMs) };
    }
    let raw: string | undefined;
    try {
      raw = await readBounded(response);
    } catch (error) {
      return { kind: 'unknown', message: describe(error, errorCodes(error), this.timeoutMs) };
    }
    if (raw === undefined) return { kind: 'unknown', message: `HIS answer over ${HIS_MAX_BODY_BYTES} bytes` };
    // Nothing the HIS says is believed unless it proves it holds the key: an unsigned or wrongly
    // signed answer (a proxy's error page, an impostor on the path) is an unknown outcome.
    const proof = verifySignature({
      key: this.key,
      body: answerMacInput(signature, raw),
      timestamp: response.headers.get(TIMESTAMP_HEADER) ?? undefined,
      signature: response.headers.get(SIGNATURE_HEADER) ?? undefined,
      nowS: Math.floor(this.clock() / 1000),
    });
    if (proof !== 'ok') {
      return { kind: 'unknown', message: `HIS answer signature ${proof} (HTTP ${response.status})` };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { kind: 'unknown', message: `HIS answer is not JSON (HTTP ${response.status})` };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { kind: 'unknown', message: `HIS answer is not a JSON object (HTTP ${response.status})` };
    }
    return { kind: 'answer', status: response.status, body: parsed as Record<string, unknown> };
  }
}

function describe(error: unknown, codes: readonly string[], timeoutMs: number): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return `HIS did not answer within ${timeoutMs} ms`;
  const detail = codes[0] ?? (error instanceof Error ? error.message : String(error));
  return `HIS exchange broken after sending (${detail})`;
}

/**
 * Only the HIS's own explicit "1" below HTTP 500 is a failure. A 5xx is
 * unknown whatever its body says: proxies and crashing handlers answer 5xx
 * after the work may have been committed.
 */
function outcome(exchange: Exchange): ProviderOutcome {
  if (exchange.kind === 'notSent') return { state: 'fail', message: exchange.message };
  if (exchange.kind === 'unknown') return { state: 'unknown', message: exchange.message };
  const { status, body } = exchange;
  const msg = text(body['msg']) ?? '';
  if (status >= 500)
    return { state: 'unknown', message: `HIS answered HTTP ${status}${msg ? `: ${msg}` : ''}` };
  if (body['code'] === '1') return { state: 'fail', message: msg || 'HIS refused' };
  if (body['code'] === '0' && status >= 200 && status <= 299) {
    const balanceFen = parseYuan(text(body['balance']) ?? '');
    return {
      state: 'ok',
      callsn: text(body['callsn']) ?? '',
      ...(balanceFen !== null ? { balanceFen } : {}),
    };
  }
  if (body['code'] === '409') {
    return {
      state: 'unknown',
      message: `HIS: trace number reused with other parameters${msg ? `: ${msg}` : ''}`,
    };
  }
  return {
    state: 'unknown',
    message: `HIS answer not understood (HTTP ${status}, code ${String(body['code'])})`,
  };
}

function patientFields(patient: PatientRef): Record<string, string> {
  return {
    appid: patient.appid,
    cardType: patient.cardType,
    cardNo: patient.cardNo,
    accountType: patient.accountType,
    hisCustId: patient.hisCustId,
    ...(patient.userName !== undefined ? { userName: patient.userName } : {}),
    ...(patient.idNo !== undefined ? { idNo: patient.idNo } : {}),
  };
}

function positive(amountFen: number): number {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) {
    throw new RangeError(`amount must be a positive integer of fen: ${amountFen}`);
  }
  return amountFen;
}
