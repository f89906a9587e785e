import http from 'node:http';
import https from 'node:https';
import { CLIENT_KEEP_ALIVE_MS } from '../protocol/timeouts.js';

type TransportResult =
  | { readonly kind: 'answer'; readonly status: number; readonly body: string }
  /** The request never left: safe to retry (-7). */
  | { readonly kind: 'not-sent'; readonly reason: string }
  /** Sent, no answer in time: outcome unknown (-28). */
  | { readonly kind: 'timeout'; readonly reason: string }
  /** Sent, the connection broke or the answer was unreadable: outcome unknown (-3). */
  | { readonly kind: 'broken'; readonly reason: string; readonly reusedSocket: boolean };

export interface TransportOptions {
  /** Waiting for the TCP connection. */
  readonly connectTimeoutMs: number;
  /** Waiting for the whole answer once sent. */
  readonly answerTimeoutMs: number;
  /** Answers are at most a few KB; anything larger is not ours. */
  readonly maxAnswerBytes: number;
}

/** Keep-alive pools: the TLS/TCP handshake is most of a loopback round trip. */
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64, timeout: CLIENT_KEEP_ALIVE_MS }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64, timeout: CLIENT_KEEP_ALIVE_MS }),
};

/**
 * Why an HTTP status proves the request reached no onepay API, or undefined.
 * The platform answers every call at its address with 200 (or 400/413 and a
 * plain spec code): a 404 or 405 is a wrong path or another server, a
 * redirect another address; none of them ran the call, so nothing was
 * processed (-7), unlike a 5xx or a garbled body (-3: something may have run).
 */
export function notThePlatform(status: number): string | undefined {
  if (status === 404 || status === 405) {
    return `不是支付平台接口 (HTTP ${status}), 交易未被处理; 请检查 serveraddr (应为 http://主机:端口/onepay-web/oneweb/oneapi)`;
  }
  if (status >= 300 && status < 400) {
    return `被重定向 (HTTP ${status}), 交易未被处理; 请把 serveraddr 改为支付平台的实际地址`;
  }
  return undefined;
}

export function post(url: URL, body: string, options: TransportOptions): Promise<TransportResult> {
  return new Promise((resolve) => {
    const secure = url.protocol === 'https:';
    let settled = false;
    let sent = false;
    let reused = false;
    const done = (result: TransportResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      resolve(result);
    };
    const payload = Buffer.from(body, 'utf8');
    const req = (secure ? https : http).request(url, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length },
    });
    const connectTimer = setTimeout(() => {
      if (!sent) {
        done({ kind: 'not-sent', reason: `connect timeout ${options.connectTimeoutMs} ms` });
        req.destroy();
      }
    }, options.connectTimeoutMs);
    const answerTimer = setTimeout(() => {
      done({ kind: 'timeout', reason: `no answer in ${options.answerTimeoutMs} ms` });
      req.destroy();
    }, options.answerTimeoutMs);
    req.on('socket', (socket) => {
      reused = req.reusedSocket;
      const markSent = () => {
        sent = true;
      };
      // Over TLS nothing of the request leaves before the handshake: a refused certificate or a
      // server that does not speak TLS is "not sent" (-7), as the DLL has it, not an unknown outcome.
      if (req.reusedSocket || !socket.connecting) markSent();
      else socket.once(secure ? 'secureConnect' : 'connect', markSent);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!sent) done({ kind: 'not-sent', reason: error.code ?? error.message });
      else done({ kind: 'broken', reason: error.code ?? error.message, reusedSocket: reused });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxAnswerBytes) {
          done({ kind: 'broken', reason: 'answer too large', reusedSocket: false });
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        done({ kind: 'answer', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', (error) => done({ kind: 'broken', reason: error.message, reusedSocket: false }));
    });
    req.end(payload);
  });
}
