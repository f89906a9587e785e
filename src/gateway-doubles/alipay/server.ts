import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatFen, parseYuan } from '../../protocol/money.js';
import { alipayBillZip, type BillDamage, type BillLine } from './bill.js';
import { ALIPAY_AUTHORIZE_PATH, AlipayOAuthDouble } from './oauth.js';
import { parseV3Authorization, rsa2Sign, rsa2Verify, v2SignContent } from './sign.js';

/** An application the double knows: its id, its merchant's PID and the public key its requests verify with. */
interface DoubleApplication {
  readonly appId: string;
  readonly sellerId: string;
  readonly publicKey: string | KeyObject;
}

type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';

interface Trade {
  appId: string;
  outTradeNo: string;
  tradeNo: string;
  /** Fen, as the double keeps it; Alipay's yuan at the edge. */
  total: number;
  status: TradeStatus;
  kind: 'precreate' | 'pay' | 'create' | 'page';
  /** Precreate in lazy mode: the trade exists at Alipay only once the code is scanned. */
  scanned: boolean;
  notifyUrl?: string;
  /** time_expire of the request (ms): past it an unpaid trade is closed, as Alipay closes it. */
  expireAt?: number;
  gmtPayment?: string;
  refunded: number;
  /** The barcode waits for the password and is paid by the next query. */
  paidOnNextQuery?: boolean;
  /** alipay.trade.create: the payer it was made for (buyer_id or buyer_open_id). */
  buyer?: string;
}

interface Refund {
  appId: string;
  outTradeNo: string;
  outRequestNo: string;
  amount: number;
  at: string;
}

/**
 * What the next requests meet: normal answers, a 5xx, silence until the client
 * gives up (nothing done), or a request carried out whose answer is lost.
 */
export type DoubleMode = 'normal' | 'error5xx' | 'timeout' | 'lost';

/** How a test sends a notification: once, twice, signed long ago, forged, or about another amount, seller or app. */
export interface NoticeOptions {
  readonly twice?: boolean;
  readonly ageSeconds?: number;
  readonly forged?: boolean;
  readonly amountFen?: number;
  readonly sellerId?: string;
  readonly appId?: string;
}

interface Reply {
  readonly status: number;
  readonly data: Record<string, unknown>;
}

const ok = (data: Record<string, unknown>): Reply => ({ status: 200, data });
const refused = (status: number, code: string, message: string): Reply => ({
  status,
  data: { code, message },
});
const NOT_EXIST = refused(400, 'ACQ.TRADE_NOT_EXIST', '交易不存在');

/** The double's own control path (no such path exists at Alipay): what a person playing the patient does, e.g. with curl. */
export const CONTROL = '/_double/';

/** Alipay's window for a v3 request's timestamp when the Authorization names no expired_seconds. */
const DEFAULT_EXPIRED_SECONDS = 600;

/** Where the double serves bill files (at Alipay a separate host, dwbillcenter). */
const BILL_FILE = '/downloadBillFile.resource';

/**
 * Payment codes: the last digit says what the patient's wallet does (0 pays,
 * 6 is declined, 7 asks for the password and is paid by the next query, 8
 * keeps paying until cancelled). Alipay codes are 25–30 and 16–24 digits.
 */
export function alipayDoubleCode(outcome: 'paid' | 'declined' | 'paying' | 'password'): string {
  const last = { paid: '0', declined: '6', password: '7', paying: '8' }[outcome];
  return `28${randomBytes(8).readBigUInt64BE().toString().padStart(20, '0').slice(-15)}${last}`;
}

function beijing(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Alipay's yyyy-MM-dd HH:mm:ss, Beijing time, in milliseconds; undefined when it is not one. */
function fromBeijing(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text)) return undefined;
  return Date.parse(`${text.replace(' ', 'T')}+08:00`);
}

/** An unpaid trade past its time_expire is closed by the gateway itself. */
function expire(trade: Trade): Trade {
  if (trade.status === 'WAIT_BUYER_PAY' && trade.expireAt !== undefined && Date.now() > trade.expireAt)
    trade.status = 'TRADE_CLOSED';
  return trade;
}

function yuan(fen: number): string {
  return formatFen(fen);
}

/**
 * The Alipay open platform as a real HTTP server, strict as the real one:
 * every v3 request's Authorization (`ALIPAY-SHA256withRSA`, signed with the
 * application key over the auth string, method, path, body) and every v2
 * request's `sign` (RSA2 over the sorted parameters) is verified — a wrong one
 * is answered as Alipay answers it (401 `invalid-signature`) —, every answer
 * is signed with the double's own key (alipay-signature over
 * `timestamp\nnonce\nbody\n`), every notification too (RSA2 over its sorted
 * fields). Trades live in memory; a test pays, fails or leaves them paying,
 * makes the double time out or answer 5xx, and sends notifications twice,
 * late, forged or about another amount.
 */
export class AlipayGatewayDouble {
  readonly publicKeyPem: string;
  private readonly privateKey: KeyObject;
  private readonly apps = new Map<string, DoubleApplication>();
  private readonly trades = new Map<string, Trade>();
  private readonly refunds = new Map<string, Refund>();
  private server: Server | undefined;
  private seq = 0;
  private baseUrl = '';
  /** Bills made by downloadurl.query, by the token of their download URL. */
  private readonly bills = new Map<string, Uint8Array>();
  /** Spoils every bill made from now on (a test of a bill that cannot be believed). */
  billDamage: BillDamage | undefined;
  mode: DoubleMode = 'normal';
  /**
   * Precreate as the real gateway does it: the trade exists only once the
   * code is scanned (query and close find none before). Off by default, so a
   * precreated trade is there at once.
   */
  lazyPrecreate = false;
  /** How many cancels to answer `retry_flag: Y` (Alipay could not cancel yet: ask again) before one is carried out. */
  cancelRetries = 0;
  /** Requests refused for their signature, for tests to read. */
  readonly refusedSignatures: string[] = [];
  /** Web authorization (auth_base) and alipay.system.oauth.token, for the one-QR landing. */
  readonly oauth = new AlipayOAuthDouble((appId) => this.apps.has(appId));

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  addApplication(app: DoubleApplication): void {
    this.apps.set(app.appId, app);
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'SYSTEM_ERROR', message: String(error) }));
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.baseUrl = `http://${host}:${(server.address() as AddressInfo).port}/`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ----- what a test does as the patient or as Alipay -----

  trade(outTradeNo: string): Readonly<Trade> | undefined {
    for (const trade of this.trades.values()) if (trade.outTradeNo === outTradeNo) return expire(trade);
    return undefined;
  }

  private mustOpen(outTradeNo: string): Trade {
    const trade = this.trade(outTradeNo) as Trade | undefined;
    if (!trade) throw new Error(`no trade ${outTradeNo}`);
    if (trade.status !== 'WAIT_BUYER_PAY') throw new Error(`trade ${outTradeNo} is ${trade.status}`);
    return trade;
  }

  /** The patient scans the code (the trade now exists at Alipay) without paying yet. */
  scan(outTradeNo: string): void {
    this.mustOpen(outTradeNo).scanned = true;
  }

  /** The patient pays an open trade; a notification follows unless told. */
  async pay(outTradeNo: string, notice: NoticeOptions | false = {}): Promise<void> {
    const trade = this.mustOpen(outTradeNo);
    trade.scanned = true;
    trade.status = 'TRADE_SUCCESS';
    trade.gmtPayment = beijing(Date.now());
    if (notice !== false) await this.notify(outTradeNo, notice);
  }

  /**
   * Alipay's books say otherwise than what it answered: another amount taken,
   * or the money taken at another moment (another day's bill). For tests of
   * reconciliation only.
   */
  amend(outTradeNo: string, change: { readonly totalFen?: number; readonly paidAt?: number }): void {
    const trade = this.trade(outTradeNo) as Trade | undefined;
    if (!trade?.gmtPayment) throw new Error(`no paid trade ${outTradeNo}`);
    if (change.totalFen !== undefined) trade.total = change.totalFen;
    if (change.paidAt !== undefined) trade.gmtPayment = beijing(change.paidAt);
  }

  /** Money taken under a number the merchant never sent (长款): a paid trade with no request behind it. */
  ghost(appId: string, outTradeNo: string, totalFen: number, paidAt = Date.now()): void {
    this.trades.set(`${appId}/${outTradeNo}`, {
      appId,
      outTradeNo,
      tradeNo: `2025${Date.now()}${String(++this.seq).padStart(6, '0')}`,
      total: totalFen,
      status: 'TRADE_SUCCESS',
      kind: 'pay',
      scanned: true,
      gmtPayment: beijing(paidAt),
      refunded: 0,
    });
  }

  /** The lines of an application's trade bill for a Beijing day: what was paid and refunded that day. */
  billLines(appId: string, day: string): BillLine[] {
    const lines: BillLine[] = [];
    for (const t of this.trades.values())
      if (t.appId === appId && t.gmtPayment?.startsWith(day))
        lines.push({
          tradeNo: t.tradeNo,
          outTradeNo: t.outTradeNo,
          type: '交易',
          fen: t.total,
          finishedAt: t.gmtPayment,
          requestNo: '',
          subject: '医院缴费',
        });
    for (const r of this.refunds.values()) {
      const trade = this.trades.get(`${r.appId}/${r.outTradeNo}`);
      if (r.appId === appId && trade && r.at.startsWith(day))
        lines.push({
          tradeNo: trade.tradeNo,
          outTradeNo: r.outTradeNo,
          type: '退款',
          fen: r.amount,
          finishedAt: r.at,
          requestNo: r.outRequestNo,
          subject: '医院缴费',
        });
    }
    return lines;
  }

  /** The patient gives up or the payment is refused: Alipay closes the trade. */
  fail(outTradeNo: string): void {
    const trade = this.mustOpen(outTradeNo);
    trade.scanned = true;
    trade.status = 'TRADE_CLOSED';
  }

  /** Posts the trade's notification to its notify_url; answers [HTTP status, body] per copy sent. */
  async notify(outTradeNo: string, options: NoticeOptions = {}): Promise<[number, string][]> {
    const trade = this.trade(outTradeNo);
    if (!trade?.notifyUrl) throw new Error(`no notify_url for ${outTradeNo}`);
    const app = this.apps.get(trade.appId);
    if (!app) throw new Error(`no application ${trade.appId}`);
    const total = yuan(options.amountFen ?? trade.total);
    const fields: Record<string, string> = {
      notify_time: beijing(Date.now() - (options.ageSeconds ?? 0) * 1000),
      notify_type: 'trade_status_sync',
      notify_id: randomBytes(16).toString('hex'),
      app_id: options.appId ?? trade.appId,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_id: '2088102177846880',
      seller_id: options.sellerId ?? app.sellerId,
      trade_status: trade.status,
      total_amount: total,
      receipt_amount: total,
      buyer_pay_amount: total,
      subject: '医院缴费',
      ...(trade.gmtPayment ? { gmt_payment: trade.gmtPayment } : {}),
    };
    const key = options.forged
      ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
      : this.privateKey;
    fields['sign'] = rsa2Sign(v2SignContent(fields, ['sign', 'sign_type']), key);
    const body = new URLSearchParams(fields).toString();
    const answers: [number, string][] = [];
    for (let i = 0; i < (options.twice ? 2 : 1); i++) {
      const res = await fetch(trade.notifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body,
      });
      answers.push([res.status, await res.text()]);
    }
    return answers;
  }

  // ----- the HTTP side -----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '/';
    if (url.startsWith(CONTROL)) return this.send(res, await this.control(req.method ?? '', url, body));
    if (this.mode === 'timeout') return; // never answers: the client's timeout decides
    if (this.mode === 'error5xx') {
      res.writeHead(502, { 'content-type': 'text/html' });
      return void res.end('<html><body>502 Bad Gateway</body></html>');
    }
    if (url.startsWith('/gateway.do')) return this.pageRequest(req, res, body);
    if (url.startsWith(BILL_FILE)) return this.billFile(url, res);
    if (url.startsWith(ALIPAY_AUTHORIZE_PATH)) return this.oauth.authorize(url, res);
    const app = this.authenticate(req, body);
    if (!app) {
      this.refusedSignatures.push(`${req.method} ${url}`);
      return this.send(
        res,
        refused(401, 'invalid-signature', '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配'),
      );
    }
    let data: Record<string, unknown> = {};
    try {
      // A v3 GET carries its parameters in the query string.
      data = body
        ? (JSON.parse(body) as Record<string, unknown>)
        : Object.fromEntries(new URL(url, 'http://double').searchParams);
    } catch {
      return this.send(res, refused(400, 'invalid-parameter', '请求体不是 JSON'));
    }
    const route = this.routes[`${req.method} ${url.split('?')[0]}`];
    const reply = route ? route(app, data) : refused(404, 'invalid-method', '不存在的方法名');
    if (this.mode === 'lost') return; // done at Alipay, the answer never arrives
    this.send(res, reply);
  }

  /** Answers signed as the open platform signs them: alipay-signature over `timestamp\nnonce\nbody\n`. */
  private send(res: ServerResponse, { status, data }: Reply): void {
    const body = JSON.stringify(data);
    const timestamp = String(Date.now());
    const nonce = randomUUID();
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'alipay-trace-id': randomBytes(12).toString('hex'),
      'alipay-timestamp': timestamp,
      'alipay-nonce': nonce,
      'alipay-signature': rsa2Sign(`${timestamp}\n${nonce}\n${body}\n`, this.privateKey),
    });
    res.end(body);
  }

  /** The application whose key signed this v3 request, its timestamp fresh; undefined when not. */
  private authenticate(req: IncomingMessage, body: string): DoubleApplication | undefined {
    const auth = parseV3Authorization(String(req.headers.authorization ?? ''));
    const app = this.apps.get(auth?.fields['app_id'] ?? '');
    if (!auth || !app) return undefined;
    const window = Number(auth.fields['expired_seconds'] ?? DEFAULT_EXPIRED_SECONDS) * 1000;
    if (!(Math.abs(Date.now() - Number(auth.fields['timestamp'])) <= window) || !auth.fields['nonce'])
      return undefined;
    const token = req.headers['alipay-app-auth-token'];
    const content = `${auth.authString}\n${req.method}\n${req.url}\n${body}\n${typeof token === 'string' ? `${token}\n` : ''}`;
    const key = typeof app.publicKey === 'string' ? createPublicKey(app.publicKey) : app.publicKey;
    return rsa2Verify(content, auth.sign, key) ? app : undefined;
  }

  /** A v2 page, wap or app payment opened by the patient's browser: the sign verified, the trade made. */
  private pageRequest(req: IncomingMessage, res: ServerResponse, body: string): void {
    const query = (req.url ?? '').split('?')[1] ?? '';
    const fields: Record<string, string> = Object.fromEntries(new URLSearchParams(`${query}&${body}`));
    const app = this.apps.get(fields['app_id'] ?? '');
    const key = app && (typeof app.publicKey === 'string' ? createPublicKey(app.publicKey) : app.publicKey);
    const genuine =
      key !== undefined && rsa2Verify(v2SignContent(fields, ['sign']), fields['sign'] ?? '', key);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (!app || !genuine) {
      this.refusedSignatures.push(`${req.method} /gateway.do`);
      res.writeHead(400);
      return void res.end('<h1>支付宝 - 错误</h1><p>错误代码 invalid-signature 验签出错</p>');
    }
    const biz = JSON.parse(fields['biz_content'] ?? '{}') as Record<string, unknown>;
    const made = this.open(app, 'page', biz, fields['notify_url']);
    res.writeHead(made.status === 200 ? 200 : 400);
    res.end(
      `<h1>支付宝收银台</h1><p>${String(biz['subject'] ?? '')} ¥${String(biz['total_amount'] ?? '')}</p>`,
    );
  }

  private readonly routes: Readonly<
    Record<string, (app: DoubleApplication, data: Record<string, unknown>) => Reply>
  > = {
    'POST /v3/alipay/trade/precreate': (app, data) => this.precreate(app, data),
    'POST /v3/alipay/trade/create': (app, data) => this.create(app, data),
    'POST /v3/alipay/trade/pay': (app, data) => this.codePay(app, data),
    'POST /v3/alipay/trade/query': (app, data) => this.query(app, data),
    'POST /v3/alipay/trade/close': (app, data) => this.closeTrade(app, data),
    'POST /v3/alipay/trade/cancel': (app, data) => this.cancel(app, data),
    'POST /v3/alipay/trade/refund': (app, data) => this.refund(app, data),
    'POST /v3/alipay/trade/fastpay/refund/query': (app, data) => this.refundQuery(app, data),
    'POST /v3/alipay/system/oauth/token': (app, data) => this.oauth.token(app.appId, data),
    'GET /v3/alipay/data/dataservice/bill/downloadurl/query': (app, data) => this.billUrl(app, data),
  };

  /** alipay.data.dataservice.bill.downloadurl.query: the bill made now, behind a short-lived URL. */
  private billUrl(app: DoubleApplication, data: Record<string, unknown>): Reply {
    const day = String(data['bill_date'] ?? '');
    if (data['bill_type'] !== 'trade' || !/^\d{4}-\d\d-\d\d$/.test(day))
      return refused(400, 'isv.invalid-parameter', '参数无效');
    const token = randomBytes(12).toString('hex');
    this.bills.set(token, alipayBillZip(app.sellerId, day, this.billLines(app.appId, day), this.billDamage));
    return ok({ bill_download_url: `${this.baseUrl}${BILL_FILE.slice(1)}?fileId=${token}` });
  }

  /** The bill's ZIP, once: the URL's token is its only credential, as at Alipay's bill centre. */
  private billFile(url: string, res: ServerResponse): void {
    const token = new URL(url, 'http://double').searchParams.get('fileId') ?? '';
    const zip = this.bills.get(token);
    this.bills.delete(token);
    if (!zip) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('文件不存在或已过期');
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(zip);
  }

  /** A new trade or, for the same number and amount, the one already there. */
  private open(
    app: DoubleApplication,
    kind: Trade['kind'],
    data: Record<string, unknown>,
    notifyUrl: unknown,
  ): { status: number; trade?: Trade; reply?: Reply } {
    const outTradeNo = String(data['out_trade_no'] ?? '');
    const total = parseYuan(String(data['total_amount'] ?? ''));
    if (!/^[0-9A-Za-z_]{1,64}$/.test(outTradeNo) || total === null || total <= 0 || !data['subject'])
      return { status: 400, reply: refused(400, 'ACQ.INVALID_PARAMETER', '参数无效') };
    const key = `${app.appId}/${outTradeNo}`;
    const found = this.trades.get(key);
    const existing = found && expire(found);
    if (existing) {
      if (existing.total !== total)
        return { status: 400, reply: refused(400, 'ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改') };
      if (existing.status === 'TRADE_SUCCESS')
        return { status: 400, reply: refused(400, 'ACQ.TRADE_HAS_SUCCESS', '交易已被支付') };
      if (existing.status !== 'WAIT_BUYER_PAY')
        return { status: 400, reply: refused(400, 'ACQ.TRADE_HAS_CLOSE', '交易已经关闭') };
      return { status: 200, trade: existing };
    }
    const expireAt = fromBeijing(data['time_expire']);
    const trade: Trade = {
      appId: app.appId,
      outTradeNo,
      tradeNo: `2025${Date.now()}${String(++this.seq).padStart(6, '0')}`,
      total,
      status: 'WAIT_BUYER_PAY',
      kind,
      scanned: kind !== 'precreate' || !this.lazyPrecreate,
      ...(typeof notifyUrl === 'string' && notifyUrl ? { notifyUrl } : {}),
      ...(expireAt !== undefined ? { expireAt } : {}),
      refunded: 0,
    };
    this.trades.set(key, trade);
    return { status: 200, trade };
  }

  private precreate(app: DoubleApplication, data: Record<string, unknown>): Reply {
    const made = this.open(app, 'precreate', data, data['notify_url']);
    if (!made.trade) return made.reply ?? NOT_EXIST;
    return ok({
      out_trade_no: made.trade.outTradeNo,
      qr_code: `https://qr.alipay.com/bax${made.trade.tradeNo}`,
    });
  }

  private create(app: DoubleApplication, data: Record<string, unknown>): Reply {
    if (!data['buyer_id'] && !data['buyer_open_id'])
      return refused(400, 'ACQ.INVALID_PARAMETER', '缺少买家信息');
    const made = this.open(app, 'create', data, data['notify_url']);
    if (!made.trade) return made.reply ?? NOT_EXIST;
    made.trade.buyer = String(data['buyer_id'] ?? data['buyer_open_id']);
    return ok({ out_trade_no: made.trade.outTradeNo, trade_no: made.trade.tradeNo });
  }

  /** The patient's wallet answers at once: the code's last digit says how. */
  private codePay(app: DoubleApplication, data: Record<string, unknown>): Reply {
    const authCode = String(data['auth_code'] ?? '');
    const scene = data['scene'];
    if (scene === 'bar_code' && !/^(2[5-9]|30)\d{14,22}$/.test(authCode))
      return refused(
        400,
        'ACQ.PAYMENT_AUTH_CODE_INVALID',
        '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款',
      );
    if (scene !== 'bar_code' && scene !== 'security_code')
      return refused(400, 'ACQ.INVALID_PARAMETER', 'scene 无效');
    const made = this.open(app, 'pay', data, data['notify_url']);
    if (!made.trade) return made.reply ?? NOT_EXIST;
    const trade = made.trade;
    const paying = {
      out_trade_no: trade.outTradeNo,
      trade_no: trade.tradeNo,
      total_amount: yuan(trade.total),
    };
    if (authCode.endsWith('6')) {
      trade.status = 'TRADE_CLOSED';
      return refused(400, 'ACQ.BUYER_BALANCE_NOT_ENOUGH', '买家余额不足');
    }
    if (authCode.endsWith('7') || authCode.endsWith('8')) {
      // The patient types the password; the trade waits (WAIT_BUYER_PAY) and the merchant asks again.
      trade.paidOnNextQuery = authCode.endsWith('7');
      return ok({ ...paying, code: '10003', msg: 'Order success pay inprocess' });
    }
    trade.status = 'TRADE_SUCCESS';
    trade.gmtPayment = beijing(Date.now());
    return ok({
      ...paying,
      buyer_logon_id: '159****5620',
      receipt_amount: yuan(trade.total),
      gmt_payment: trade.gmtPayment,
    });
  }

  private find(app: DoubleApplication, data: Record<string, unknown>): Trade | undefined {
    const trade = this.trades.get(`${app.appId}/${String(data['out_trade_no'] ?? '')}`);
    return trade?.scanned ? expire(trade) : undefined;
  }

  private query(app: DoubleApplication, data: Record<string, unknown>): Reply {
    const trade = this.find(app, data);
    if (!trade) return NOT_EXIST;
    if (trade.paidOnNextQuery && trade.status === 'WAIT_BUYER_PAY') {
      trade.paidOnNextQuery = false;
      trade.status = 'TRADE_SUCCESS';
      trade.gmtPayment = beijing(Date.now());
    }
    return ok({
      out_trade_no: trade.outTradeNo,
      trade_no: trade.tradeNo,
      trade_status: trade.status,
      total_amount: yuan(trade.total),
      ...(trade.gmtPayment ? { send_pay_date: trade.gmtPayment } : {}),
    });
  }

  private closeTrade(app: DoubleApplication, data: Record<string, unknown>): Reply {
    const trade = this.find(app, data);
    if (!trade) {
      // An unscanned code closed: it can no longer be scanned, though the trade never existed.
      const unscanned = this.trades.get(`${app.appId}/${String(data['out_trade_no'] ?? '')}`);
      if (unscanned?.status === 'WAIT_BUYER_PAY') unscanned.status = 'TRADE_CLOSED';
      return NOT_EXIST;
    }
    if (trade.status !== 'WAIT_BUYER_PAY') return refused(400, 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    trade.status = 'TRADE_CLOSED';
    return ok({ out_trade_no: trade.outTradeNo, trade_no: trade.tradeNo });
  }

  /** Cancel closes an unpaid trade and refunds a paid one (action close or refund). */
  private cancel(app: DoubleApplication, data: Record<string, unknown>): Reply {
    const trade = this.find(app, data);
    if (!trade) return NOT_EXIST;
    if (this.cancelRetries > 0) {
      this.cancelRetries--;
      return ok({ out_trade_no: trade.outTradeNo, trade_no: trade.tradeNo, retry_flag: 'Y' });
    }
    const action = trade.status === 'TRADE_SUCCESS' ? 'refund' : 'close';
    if (trade.status === 'TRADE_SUCCESS') trade.refunded = trade.total;
    trade.status = 'TRADE_CLOSED';
    return ok({ out_trade_no: trade.outTradeNo, trade_no: trade.tradeNo, retry_flag: 'N', action });
  }

  private refund(app: DoubleApplication, data: Record<string, unknown>): Reply {
    const trade = this.find(app, data);
    if (!trade) return NOT_EXIST;
    const outRequestNo = String(data['out_request_no'] ?? trade.outTradeNo);
    const key = `${app.appId}/${trade.outTradeNo}/${outRequestNo}`;
    const amount = parseYuan(String(data['refund_amount'] ?? ''));
    const seen = this.refunds.get(key);
    const answer = (fundChange: 'Y' | 'N') =>
      ok({
        trade_no: trade.tradeNo,
        out_trade_no: trade.outTradeNo,
        fund_change: fundChange,
        refund_fee: yuan(trade.refunded),
      });
    // The same request number again: the refund already made, no money moves now.
    if (seen)
      return seen.amount === amount
        ? answer('N')
        : refused(400, 'ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
    if (trade.status === 'WAIT_BUYER_PAY') return refused(400, 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    if (amount === null || amount <= 0) return refused(400, 'ACQ.INVALID_PARAMETER', '参数无效');
    if (trade.refunded + amount > trade.total)
      return refused(400, 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
    trade.refunded += amount;
    // Refunded in full, the trade is closed (TRADE_CLOSED), as Alipay shows it.
    if (trade.refunded === trade.total) trade.status = 'TRADE_CLOSED';
    this.refunds.set(key, {
      appId: app.appId,
      outTradeNo: trade.outTradeNo,
      outRequestNo,
      amount,
      at: beijing(Date.now()),
    });
    return answer('Y');
  }

  private refundQuery(app: DoubleApplication, data: Record<string, unknown>): Reply {
    const trade = this.find(app, data);
    if (!trade) return NOT_EXIST;
    const refund = this.refunds.get(
      `${app.appId}/${trade.outTradeNo}/${String(data['out_request_no'] ?? '')}`,
    );
    // No such refund: Alipay answers the trade alone, without a refund status.
    if (!refund) return ok({ out_trade_no: trade.outTradeNo, trade_no: trade.tradeNo });
    return ok({
      out_trade_no: trade.outTradeNo,
      trade_no: trade.tradeNo,
      out_request_no: refund.outRequestNo,
      total_amount: yuan(trade.total),
      refund_amount: yuan(refund.amount),
      refund_status: 'REFUND_SUCCESS',
      gmt_refund_pay: refund.at,
    });
  }

  /**
   * POST /_double/orders/<out_trade_no>/pay|fail|scan|notify (notify takes
   * {"twice","ageSeconds","forged","amountFen","sellerId","appId"}), POST
   * /_double/mode {"mode":"normal|error5xx|timeout|lost"}, GET /_double/orders/<out_trade_no>.
   */
  private async control(method: string, url: string, body: string): Promise<Reply> {
    const options = (body ? JSON.parse(body) : {}) as NoticeOptions & { mode?: DoubleMode };
    const path = url.slice(CONTROL.length);
    if (method === 'POST' && path === 'mode') {
      if (!['normal', 'error5xx', 'timeout'].includes(options.mode ?? ''))
        return refused(400, 'mode', 'mode?');
      this.mode = options.mode as DoubleMode;
      return ok({ mode: this.mode });
    }
    const m = /^orders\/([^/]+)(?:\/(pay|fail|scan|notify))?$/.exec(path);
    const outTradeNo = decodeURIComponent(m?.[1] ?? '');
    const trade = this.trade(outTradeNo);
    if (!m || !trade) return refused(404, 'not-found', 'no such trade');
    try {
      if (method === 'POST' && m[2] === 'pay') await this.pay(outTradeNo, options);
      else if (method === 'POST' && m[2] === 'fail') this.fail(outTradeNo);
      else if (method === 'POST' && m[2] === 'scan') this.scan(outTradeNo);
      else if (method === 'POST' && m[2] === 'notify')
        return ok({ answers: await this.notify(outTradeNo, options) });
      else if (method !== 'GET' || m[2]) return refused(405, 'method', 'method');
    } catch (error) {
      return refused(409, 'conflict', (error as Error).message);
    }
    return ok({ ...trade, total_amount: yuan(trade.total) });
  }
}
