import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  answerMacInput,
  SIGNATURE_HEADER,
  signBody,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../platform/his/signature.js';
import {
  HIS_MAX_BODY_BYTES,
  HIS_OPERATIONS,
  HIS_PATHS,
  HIS_STATEMENT_PATH,
  type HisAnswer,
  type HisEndpoint,
  type HisOperation,
} from '../platform/his/wire.js';
import { beijingDayBounds, dayProblem } from '../platform/reconcile/day.js';
import { FAULT_MODES, type Fault, type FaultMode, Faults, type UnknownReply } from './faults.js';
import { parsePatient, parseRequest, SimState } from './state.js';

export interface HisSimOptions {
  readonly port?: number;
  readonly host?: string;
  /** Shared HMAC key the platform signs with. */
  readonly key: string;
  /** Keep the state in this JSON file across restarts; in memory only when omitted. */
  readonly file?: string;
  /** A credit to an unknown patient opens the account (default true). */
  readonly autoOpen?: boolean;
  /** Signature window in seconds (default 300). */
  readonly windowS?: number;
  /** Milliseconds since the epoch. */
  readonly clock?: () => number;
}

export interface HisSim {
  readonly url: string;
  readonly faults: Faults;
  readonly state: SimState;
  close(): Promise<void>;
}

const ENDPOINT_BY_PATH = new Map<string, HisEndpoint>(
  Object.entries(HIS_PATHS).map(([endpoint, path]) => [path, endpoint as HisEndpoint]),
);

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > HIS_MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Every answer is signed as docs/his-api.md says (the platform believes no
 * unsigned answer): the MAC covers the timestamp, the request's signature and
 * the body.
 */
function signedSend(
  key: string,
  clock: () => number,
  res: ServerResponse,
  status: number,
  body: unknown,
): void {
  const text = JSON.stringify(body);
  const timestampS = Math.floor(clock() / 1000);
  const requestSignature = String(res.req.headers[SIGNATURE_HEADER] ?? '');
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    [TIMESTAMP_HEADER]: String(timestampS),
    [SIGNATURE_HEADER]: signBody(key, timestampS, answerMacInput(requestSignature, text)),
  });
  res.end(text);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the HIS simulator: the API of docs/his-api.md over an in-memory
 * (optionally file-backed) HIS, with per-operation fault injection driven in
 * process (`faults`) or over HTTP (`/_faults`, `/_state`, `/_reset`,
 * `/_accounts`) by tests running in another process. The control endpoints
 * are unsigned: this is a test tool and listens on loopback by default.
 */
export async function startHisSim(options: HisSimOptions): Promise<HisSim> {
  if (!options.key) throw new TypeError('key must not be empty');
  const clock = options.clock ?? Date.now;
  const send = (res: ServerResponse, status: number, body: unknown) =>
    signedSend(options.key, clock, res, status, body);
  const state = new SimState({
    autoOpen: options.autoOpen ?? true,
    clock,
    ...(options.file ? { file: options.file } : {}),
  });
  const faults = new Faults();
  const held = new Set<NodeJS.Timeout>();

  const hold = (req: IncomingMessage, fault: Fault) => {
    // Never answered: the client's timeout fires first; the socket goes after hangMs so nothing leaks.
    const timer = setTimeout(() => {
      held.delete(timer);
      req.socket.destroy();
    }, fault.hangMs);
    held.add(timer);
    req.socket.once('close', () => {
      clearTimeout(timer);
      held.delete(timer);
    });
  };

  const lose = (req: IncomingMessage, res: ServerResponse, reply: UnknownReply) => {
    if (reply === 'reset') {
      req.socket.destroy();
      return;
    }
    if (reply === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Service Unavailable');
      return;
    }
    // A 500 whose body claims a refusal: a client must trust the status line, not the body.
    send(res, 500, { code: '1', msg: 'internal error' });
  };

  /** Runs a fault around `work` (the real processing); answers unless the fault swallows the answer. */
  const faulted = (
    req: IncomingMessage,
    res: ServerResponse,
    fault: Fault | undefined,
    work: () => [number, unknown],
  ) => {
    if (fault?.mode === 'timeout' || fault?.mode === 'unknown') {
      if (fault.applied) work();
      if (fault.mode === 'timeout') hold(req, fault);
      else lose(req, res, fault.reply);
      return;
    }
    const [status, body] = work();
    send(res, status, body);
  };

  const money = (
    req: IncomingMessage,
    res: ServerResponse,
    op: HisOperation,
    body: Record<string, unknown>,
  ) => {
    const parsed = parseRequest(op, body);
    if (!parsed.ok) return send(res, 400, { code: '1', msg: parsed.msg });
    const request = parsed.request;
    const fault = faults.take(op);
    const answerStatus = (answer: HisAnswer): [number, unknown] => [
      answer.code === '409' ? 409 : 200,
      answer,
    ];
    if (fault?.mode === 'fail') return send(res, 200, state.refuse(request, 'injected failure'));
    if (fault?.mode === 'fail-after-apply') {
      state.apply(request);
      return send(res, 200, { code: '1', msg: 'injected failure (applied)' });
    }
    faulted(req, res, fault, () => answerStatus(state.apply(request)));
  };

  const status = (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => {
    const traceNo = body['traceNo'];
    const operation = body['operation'];
    if (typeof traceNo !== 'string' || !HIS_OPERATIONS.includes(operation as HisOperation)) {
      return send(res, 400, {
        code: '1',
        msg: `traceNo and operation (${HIS_OPERATIONS.join('|')}) required`,
      });
    }
    faulted(req, res, faults.take('status'), () => {
      const record = state.recorded(operation as HisOperation, traceNo);
      return [200, record ? record.answer : { code: '404', msg: `no ${operation} ${traceNo}` }];
    });
  };

  const statement = (res: ServerResponse, body: Record<string, unknown>) => {
    const { appid, day } = body;
    if (typeof appid !== 'string' || typeof day !== 'string' || dayProblem(day)) {
      return send(res, 400, { code: '1', msg: 'appid and day (yyyy-mm-dd) required' });
    }
    const { from, to } = beijingDayBounds(day);
    send(res, 200, { code: '0', msg: 'ok', rows: state.statement(appid, from, to) });
  };

  const account = (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => {
    const fault = faults.take('account');
    if (fault?.mode === 'fail') return send(res, 200, { code: '1', msg: 'injected failure' });
    faulted(req, res, fault, () => {
      const key = parsePatient(body) ?? {
        cardType: String(body['cardType'] ?? ''),
        cardNo: String(body['cardNo'] ?? ''),
        accountType: String(body['accountType'] ?? ''),
        hisCustId: String(body['hisCustId'] ?? ''),
      };
      const found = state.account(key);
      return [200, found ? state.accountAnswer(found) : { code: '1', msg: '患者账户不存在' }];
    });
  };

  const control = (res: ServerResponse, path: string, body: Record<string, unknown>) => {
    if (path === '/_faults') {
      const operation = body['operation'] as HisEndpoint;
      // Own keys only: "toString" or "__proto__" must not pass for an operation.
      const known = typeof operation === 'string' && Object.hasOwn(HIS_PATHS, operation);
      const mode = body['mode'];
      if (mode === 'none') {
        if (operation !== undefined && !known)
          return send(res, 400, { error: `unknown operation ${operation}` });
        faults.clear(known ? operation : undefined);
        return send(res, 200, { faults: faults.list() });
      }
      if (!known || !FAULT_MODES.includes(mode as FaultMode)) {
        return send(res, 400, {
          error: `operation of ${Object.keys(HIS_PATHS).join('|')}, mode of none|${FAULT_MODES.join('|')}`,
        });
      }
      faults.set(operation, mode as FaultMode, {
        ...(typeof body['times'] === 'number' ? { times: body['times'] } : {}),
        ...(typeof body['applied'] === 'boolean' ? { applied: body['applied'] } : {}),
        ...(typeof body['reply'] === 'string' ? { reply: body['reply'] as UnknownReply } : {}),
        ...(typeof body['hangMs'] === 'number' ? { hangMs: body['hangMs'] } : {}),
      });
      return send(res, 200, { faults: faults.list() });
    }
    if (path === '/_reset') {
      state.reset();
      faults.clear();
      const accounts = Array.isArray(body['accounts']) ? body['accounts'] : [];
      for (const a of accounts) putAccount(a);
      return send(res, 200, state.snapshot());
    }
    if (path === '/_accounts') return send(res, 200, putAccount(body));
    if (path === '/_forget') {
      const operation = body['operation'];
      if (!HIS_OPERATIONS.includes(operation as HisOperation) || typeof body['traceNo'] !== 'string')
        return send(res, 400, { error: 'operation and traceNo required' });
      return send(res, 200, { forgotten: state.forget(operation as HisOperation, body['traceNo']) });
    }
    send(res, 404, { error: 'no such control endpoint' });
  };

  const putAccount = (input: unknown) => {
    const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const patient = parsePatient(body);
    if (!patient) throw new RangeError('cardType, cardNo, accountType and hisCustId are required');
    const optional = (name: string) =>
      typeof body[name] === 'string' ? { [name]: body[name] as string } : {};
    return state.putAccount({
      ...patient,
      ...(typeof body['balanceFen'] === 'number' ? { balanceFen: body['balanceFen'] } : {}),
      ...optional('idType'),
      ...optional('idNo'),
      ...optional('userName'),
      ...optional('userSex'),
      ...optional('accountNo'),
      ...optional('status'),
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    if (req.method === 'GET' && path === '/_state') {
      return send(res, 200, { ...state.snapshot(), faults: faults.list() });
    }
    if (req.method !== 'POST') return send(res, 405, { code: '1', msg: 'POST only' });
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) return send(res, 413, { code: '1', msg: 'body too large' });
      throw error;
    }
    if (path.startsWith('/_')) {
      try {
        return control(res, path, parseObject(raw) ?? {});
      } catch (error) {
        return send(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
    }
    const endpoint = path === HIS_STATEMENT_PATH ? 'statement' : ENDPOINT_BY_PATH.get(path);
    if (!endpoint) return send(res, 404, { code: '1', msg: `no endpoint ${path}` });
    const check = verifySignature({
      key: options.key,
      body: raw,
      timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
      signature: req.headers[SIGNATURE_HEADER] as string | undefined,
      nowS: Math.floor(clock() / 1000),
      ...(options.windowS !== undefined ? { windowS: options.windowS } : {}),
    });
    if (check !== 'ok') return send(res, 401, { code: '1', msg: `signature ${check}` });
    const body = parseObject(raw);
    if (!body) return send(res, 400, { code: '1', msg: 'body must be a JSON object' });
    if (endpoint === 'statement') return statement(res, body);
    if (endpoint === 'status') return status(req, res, body);
    if (endpoint === 'account') return account(req, res, body);
    return money(req, res, endpoint, body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, { code: '500', msg: error instanceof Error ? error.message : 'error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    faults,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of held) clearTimeout(timer);
        held.clear();
        server.close(() => resolve());
        // Held requests would keep close() waiting for their hangMs.
        server.closeAllConnections();
      }),
  };
}
