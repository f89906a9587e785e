import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { deskOptionsFromEnv } from '../client/desk.js';
import { payTrans as clientPayTrans } from '../client/index.js';
import { type Answer, fail } from '../protocol/codes.js';
import { bridgeAnswerTimeoutMs, REQUEST_RECEIVE_TIMEOUT_MS } from '../protocol/timeouts.js';
import { type BridgeEncoding, CHARSET_LABEL, type Charset, charsetOf, decode, encode } from './charset.js';

/** The library's contract: pindata in, poutdata out, never throws. */
export type PayTrans = (pindata: string) => Promise<string>;

export interface BridgeOptions {
  /** Loopback by default: the bridge moves money for whoever can reach it. */
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port?: number;
  /** The charset of requests whose Content-Type names none. */
  readonly encoding?: BridgeEncoding;
  /** Required on every request as X-Payclient-Token when set; mandatory off loopback. */
  readonly token?: string;
  /** Injected for tests; the client library's payTrans otherwise. */
  readonly payTrans?: PayTrans;
  /**
   * How long one payTrans may take before the bridge answers -28 by itself.
   * It must exceed the client's own worst case (the cashier desk wait plus a
   * platform round trip at each end), so the library answers first.
   */
  readonly answerTimeoutMs?: number;
  /** pindata is Char(2048) in the spec; the margin covers long extra objects. */
  readonly maxBodyBytes?: number;
  /** Calls running at once; beyond it a call is refused (-7, not sent). */
  readonly maxConcurrent?: number;
  /** One line per call; never pindata or poutdata, which carry names and ID numbers. */
  readonly log?: (line: string) => void;
  /**
   * hop.trade.setinfo re-points the workstation (server address, app secret):
   * the bridge takes it only with this token in X-Payclient-Setinfo-Token (the
   * CLI keeps it in a file the workstation's user alone can read)…
   */
  readonly setinfoToken?: string;
  /** …or from anyone, when the bridge was started to allow it (--allow-setinfo). */
  readonly allowSetinfo?: boolean;
}

export interface Bridge {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 1302;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_MAX_CONCURRENT = 32;
/** An ASCII code fits an HTTP header and the DLL's return buffer (Char(32) in the spec). */
const RESP_CODE = /^[-0-9A-Za-z]{1,32}$/;

export function defaultAnswerTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return bridgeAnswerTimeoutMs(deskOptionsFromEnv(env).timeoutMs);
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare.startsWith('::ffff:127.');
  return false;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Equal-length digests, so the comparison time says nothing about the token. */
function tokenMatches(expected: Buffer, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(expected, digest(given));
}

/**
 * A Host header naming anything but loopback on a loopback bridge is a page
 * that rebound its DNS name to 127.0.0.1; refusing it keeps web pages out.
 */
function hostHeaderIsLoopback(value: string | undefined): boolean {
  if (!value) return false;
  const hostname = value.startsWith('[') ? value.slice(0, value.indexOf(']') + 1) : value.split(':')[0]!;
  return isLoopback(hostname);
}

/** The payTrans answer if it is a JSON object with a usable respCode; else the -3 it stands for. */
function checkedAnswer(poutdata: string): { body: string; respCode: string } {
  try {
    const parsed = JSON.parse(poutdata) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const respCode = (parsed as Record<string, unknown>)['respCode'];
      if (typeof respCode === 'string' && RESP_CODE.test(respCode)) return { body: poutdata, respCode };
    }
  } catch {
    // falls through: the library broke its contract, and what it did is unknown
  }
  const answer = fail('-3', '客户端库返回的应答不是带 respCode 的 JSON');
  return { body: JSON.stringify(answer), respCode: answer.respCode };
}

function transTypeOf(pindata: string): string {
  try {
    const value = (JSON.parse(pindata) as Record<string, unknown>)['transType'];
    return typeof value === 'string' ? value.replace(/[^\w.]/g, '').slice(0, 48) : '-';
  } catch {
    return '-';
  }
}

function send(res: http.ServerResponse, status: number, body: string, respCode: string, charset: Charset) {
  const bytes = encode(body, charset);
  res.writeHead(status, {
    'content-type': `application/json; charset=${CHARSET_LABEL[charset]}`,
    'content-length': bytes.length,
    'x-payclient-respcode': respCode,
    'cache-control': 'no-store',
  });
  res.end(bytes);
}

function refuse(res: http.ServerResponse, status: number, answer: Answer, charset: Charset = 'utf8') {
  // The peer may still be sending a body we will not read; keeping the socket would desync it.
  res.setHeader('connection', 'close');
  send(res, status, JSON.stringify(answer), answer.respCode, charset);
}

type Body = { ok: true; bytes: Buffer } | { ok: false };

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Body> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      resolve({ ok: false });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > maxBytes) {
        over = true;
        resolve({ ok: false });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve({ ok: true, bytes: Buffer.concat(chunks) });
    });
    req.on('error', () => resolve({ ok: false }));
  });
}

/**
 * The local bridge: POST /payTrans with pindata as the body, poutdata as the
 * answer, in the charset the request names (or the bridge's default). Every
 * answer is JSON with respCode, also sent as X-Payclient-RespCode so a caller
 * (the DLL) knows it came from the bridge without parsing JSON itself.
 */
export async function startBridge(options: BridgeOptions = {}): Promise<Bridge> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  if (!loopback && !options.token) {
    throw new Error(`refusing to listen on ${host} without a token: the bridge moves money for any caller`);
  }
  if (options.token !== undefined && options.token.length < 16) {
    throw new Error('the bridge token must be at least 16 characters');
  }
  const expectedToken = options.token === undefined ? undefined : digest(options.token);
  const setinfoToken = options.setinfoToken === undefined ? undefined : digest(options.setinfoToken);
  const encoding = options.encoding ?? 'utf8';
  const payTrans = options.payTrans ?? clientPayTrans;
  const answerTimeoutMs = options.answerTimeoutMs ?? defaultAnswerTimeoutMs();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxConcurrent = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let inFlight = 0;

  async function call(req: http.IncomingMessage, res: http.ServerResponse, charset: Charset) {
    const body = await readBody(req, maxBodyBytes);
    if (!body.ok) {
      refuse(res, 413, fail('000004', `pindata 超过 ${maxBodyBytes} 字节或未读完, 交易未发送`), charset);
      return;
    }
    // Counted until the library's own answer, not ours: after a -28 the library is still working.
    if (inFlight >= maxConcurrent) {
      refuse(res, 503, fail('-7', `桥接服务已有 ${maxConcurrent} 笔交易在处理, 交易未发送`), charset);
      return;
    }
    const pindata = decode(body.bytes, charset);
    if (
      transTypeOf(pindata) === 'hop.trade.setinfo' &&
      !options.allowSetinfo &&
      !(setinfoToken && tokenMatches(setinfoToken, req.headers['x-payclient-setinfo-token']))
    ) {
      log('bridge refused hop.trade.setinfo without the local setinfo token');
      const why =
        'hop.trade.setinfo 需要本机的设置令牌 (X-Payclient-Setinfo-Token), 或以 --allow-setinfo 启动桥接服务; 设置未修改';
      refuse(res, 403, fail('-7', why), charset);
      return;
    }
    inFlight++;
    const started = Date.now();
    let answered = false;
    const work = payTrans(pindata).finally(() => {
      answered = true;
      inFlight--;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        resolve(JSON.stringify(fail('-28', `桥接服务等待 ${answerTimeoutMs} ms 未得到客户端库应答`)));
      }, answerTimeoutMs);
    });
    const poutdata = await Promise.race([work, late]).finally(() => clearTimeout(timer));
    const answer = checkedAnswer(poutdata);
    const transType = transTypeOf(pindata);
    log(
      `bridge payTrans transType=${transType} charset=${charset} respCode=${answer.respCode} ms=${Date.now() - started}`,
    );
    if (!answered) {
      // The caller was told -28; the library's late answer is only logged.
      work.then(
        (out) => log(`bridge late answer transType=${transType} respCode=${checkedAnswer(out).respCode}`),
        (error: unknown) => log(`bridge late failure transType=${transType} ${(error as Error).message}`),
      );
    }
    if (res.destroyed) {
      log(`bridge caller gone before the answer transType=${transType} respCode=${answer.respCode}`);
      return;
    }
    send(res, 200, answer.body, answer.respCode, charset);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = (req.url ?? '/').split('?')[0];
    // Browsers send Origin on every cross-site POST; the DLL and HIS HTTP stacks do not.
    // A caller refused before its body is read still gets to finish sending it: answering and
    // closing under a client that is still writing makes it see a reset, not the -7 that says
    // "nothing was sent".
    const refuseAfterBody = async (status: number, answer: Answer) => {
      await readBody(req, maxBodyBytes);
      refuse(res, status, answer);
    };
    if (req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined) {
      return refuseAfterBody(403, fail('-7', '桥接服务不接受浏览器发起的请求, 交易未发送'));
    }
    if (loopback && !hostHeaderIsLoopback(req.headers.host)) {
      return refuseAfterBody(403, fail('-7', 'Host 不是本机地址, 交易未发送'));
    }
    if (expectedToken && !tokenMatches(expectedToken, req.headers['x-payclient-token'])) {
      return refuseAfterBody(401, fail('-7', 'X-Payclient-Token 缺失或错误, 交易未发送'));
    }
    if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      const health = { respCode: '000000', respMsg: 'ok', encoding, inFlight, answerTimeoutMs };
      send(res, 200, JSON.stringify(health), '000000', 'utf8');
      return;
    }
    if (path !== '/payTrans') {
      refuse(res, 404, fail('000004', `没有 ${String(path).slice(0, 64)}; 交易接口是 POST /payTrans`));
      return;
    }
    if (req.method !== 'POST') {
      refuse(res, 405, fail('000004', 'payTrans 只接受 POST'));
      return;
    }
    const charset = charsetOf(req.headers['content-type'], encoding);
    if (!charset) {
      refuse(res, 415, fail('000004', '不支持的 charset, 请用 utf-8 或 gbk, 交易未发送'));
      return;
    }
    await call(req, res, charset);
  }

  const server = http.createServer({ requestTimeout: REQUEST_RECEIVE_TIMEOUT_MS }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // payTrans never throws, so this is the bridge's own bug; the call's outcome is unknown.
      log(`bridge error ${(error as Error).message}`);
      if (!res.headersSent) refuse(res, 500, fail('-3', '桥接服务内部错误, 结果未知, 请先查询交易结果'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = isIP(host) === 6 ? `[${host}]` : host;
  return {
    host,
    port,
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
