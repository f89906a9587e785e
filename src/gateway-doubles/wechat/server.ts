import {
  createCipheriv,
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TradeBillLine, wechatTradeBill } from './bill.js';
import { WechatOAuthDouble } from './oauth.js';

/** A merchant account the double knows: its request key, and the APIv3 key notifications are encrypted with. */
export interface DoubleMerchant {
  readonly mchid: string;
  readonly appid: string;
  /** Serial of the merchant API certificate and its public key (checks the Authorization header). */
  readonly serial: string;
  readonly publicKey: string | KeyObject;
  readonly apiV3Key: string;
}

type TradeState = 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'CLOSED' | 'REVOKED' | 'PAYERROR' | 'REFUND';

interface Order {
  mchid: string;
  appid: string;
  outTradeNo: string;
  tradeType: 'NATIVE' | 'JSAPI' | 'MICROPAY';
  /** JSAPI: the payer's openid the order was made for. */
  openid?: string;
  total: number;
  state: TradeState;
  transactionId: string;
  notifyUrl?: string;
  successTime?: string;
  refunded: number;
  /** Set when a service provider made the order for its sub-merchant (partner endpoints). */
  subMchid?: string;
}

interface Refund {
  mchid: string;
  outTradeNo: string;
  outRefundNo: string;
  refundId: string;
  amount: number;
  status: 'SUCCESS' | 'PROCESSING';
  /** When the money went back (ms). */
  at: number;
  notifyUrl?: string;
}

/** What the next requests meet: normal answers, a 5xx, or silence until the client gives up. */
export type DoubleMode = 'normal' | 'error5xx' | 'timeout';

/** How a test sends a notification: once, twice, signed long ago, forged, or encrypted with another APIv3 key. */
export interface NoticeOptions {
  readonly twice?: boolean;
  readonly ageSeconds?: number;
  readonly forged?: boolean;
  readonly wrongApiV3Key?: boolean;
}

interface Reply {
  readonly status: number;
  readonly data?: unknown;
}

function reply(status: number, data?: unknown): Reply {
  return data === undefined ? { status } : { status, data };
}

/**
 * The double's own control path (no such path exists at WeChat Pay): what a
 * person playing the patient or the gateway does from outside, e.g. with curl.
 */
export const CONTROL = '/_double/';

const AUTH = /^WECHATPAY2-SHA256-RSA2048 (.+)$/;

/**
 * Barcodes: the last digit says what the patient's wallet does (0 pays, 6 is
 * declined, 7 asks for the password and is paid by the next query, 8 keeps
 * paying until reversed).
 */
export function wechatDoubleCode(outcome: 'paid' | 'declined' | 'paying' | 'password'): string {
  const last = { paid: '0', declined: '6', password: '7', paying: '8' }[outcome];
  return `13${randomBytes(8).readBigUInt64BE().toString().padStart(20, '0').slice(-15)}${last}`;
}

function beijing(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/**
 * WeChat Pay APIv3 as a real HTTP server, strict as the real gateway: every
 * request's Authorization (WECHATPAY2-SHA256-RSA2048, signed with the
 * merchant key over method, URL, timestamp, nonce and body) is verified —
 * a wrong one is answered 401 SIGN_ERROR —, every answer and notification is
 * signed with the double's own platform key, notification resources are
 * encrypted with the merchant's APIv3key (AEAD_AES_256_GCM). Orders live in
 * memory; a test pays, fails or leaves them paying, makes the double time out
 * or answer 5xx, and sends notifications twice, late or forged.
 */
export class WechatGatewayDouble {
  readonly platformSerial = `PUB_KEY_ID_${randomBytes(8).toString('hex').toUpperCase()}`;
  readonly platformPublicKeyPem: string;
  private readonly platformPrivateKey: KeyObject;
  private readonly merchants = new Map<string, DoubleMerchant>();
  private readonly orders = new Map<string, Order>();
  private readonly refunds = new Map<string, Refund>();
  private readonly paidOnNextQuery = new Set<Order>();
  private server: Server | undefined;
  private seq = 0;
  private baseUrl = '';
  /** Bills made by tradebill, by the token of their download URL. */
  private readonly bills = new Map<string, { mchid: string; text: string }>();
  /**
   * Spoils the bills from now on: `hash` serves a file other than the one its
   * SHA1 names, `signature` signs the tradebill answer with another key.
   */
  billDamage: 'hash' | 'signature' | undefined;
  mode: DoubleMode = 'normal';
  /** Requests seen and refused for their signature, for tests to read. */
  readonly refusedSignatures: string[] = [];
  /** The official account's web authorization (snsapi_base → openid), for the one-QR landing. */
  readonly oauth = new WechatOAuthDouble();

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.platformPrivateKey = privateKey;
    this.platformPublicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  addMerchant(merchant: DoubleMerchant): void {
    this.merchants.set(merchant.mchid, merchant);
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        reply(500, { code: 'SYSTEM_ERROR', message: String(error) });
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

  // ----- what a test does as the patient or as WeChat Pay -----

  order(outTradeNo: string, mchid?: string): Order | undefined {
    for (const order of this.orders.values())
      if (order.outTradeNo === outTradeNo && (!mchid || order.mchid === mchid)) return order;
    return undefined;
  }

  /** The patient pays an open order (scanned the QR code, confirmed on the phone); a notification follows unless told. */
  async pay(outTradeNo: string, notice: NoticeOptions | false = {}): Promise<void> {
    const order = this.mustOpen(outTradeNo);
    order.state = 'SUCCESS';
    order.successTime = beijing(Date.now());
    if (notice !== false) await this.notify(outTradeNo, notice);
  }

  /**
   * WeChat Pay's books say otherwise than what it answered: another amount
   * taken, or the money taken at another moment (another day's bill). For
   * tests of reconciliation only.
   */
  amend(outTradeNo: string, change: { readonly totalFen?: number; readonly paidAt?: number }): void {
    const order = this.order(outTradeNo);
    if (!order?.successTime) throw new Error(`no paid order ${outTradeNo}`);
    if (change.totalFen !== undefined) order.total = change.totalFen;
    if (change.paidAt !== undefined) order.successTime = beijing(change.paidAt);
  }

  /** Money taken under a number the merchant never sent (长款): a paid order with no request behind it. */
  ghost(mchid: string, outTradeNo: string, totalFen: number, paidAt = Date.now()): void {
    const merchant = this.merchants.get(mchid);
    if (!merchant) throw new Error(`no merchant ${mchid}`);
    this.orders.set(`${mchid}/${outTradeNo}`, {
      mchid,
      appid: merchant.appid,
      outTradeNo,
      tradeType: 'NATIVE',
      total: totalFen,
      state: 'SUCCESS',
      transactionId: `4200${Date.now()}${String(++this.seq).padStart(6, '0')}`,
      successTime: beijing(paidAt),
      refunded: 0,
    });
  }

  /** A merchant's trade bill lines of a Beijing day: payments taken (or reversed) and refunds paid that day. */
  billLines(mchid: string, day: string): TradeBillLine[] {
    const time = (rfc: string) => rfc.slice(0, 19).replace('T', ' ');
    const lines: TradeBillLine[] = [];
    const base = (o: Order) => ({
      appid: o.appid,
      mchid: o.mchid,
      subMchid: o.subMchid ?? '',
      transactionId: o.transactionId,
      outTradeNo: o.outTradeNo,
      tradeType: o.tradeType,
      totalFen: o.total,
    });
    for (const o of this.orders.values())
      if (o.mchid === mchid && o.successTime?.startsWith(day))
        lines.push({
          ...base(o),
          time: time(o.successTime),
          state: o.state === 'REVOKED' ? 'REVOKED' : 'SUCCESS',
        });
    for (const r of this.refunds.values()) {
      const o = this.order(r.outTradeNo, r.mchid);
      if (r.mchid === mchid && o?.successTime && r.status === 'SUCCESS' && beijing(r.at).startsWith(day))
        lines.push({
          ...base(o),
          time: time(o.successTime),
          state: 'REFUND',
          refund: { refundId: r.refundId, outRefundNo: r.outRefundNo, fen: r.amount },
        });
    }
    return lines;
  }

  /** The patient's payment fails (declined by the bank). */
  fail(outTradeNo: string): void {
    this.mustOpen(outTradeNo).state = 'PAYERROR';
  }

  private mustOpen(outTradeNo: string): Order {
    const order = this.order(outTradeNo);
    if (!order) throw new Error(`no order ${outTradeNo}`);
    if (order.state !== 'NOTPAY' && order.state !== 'USERPAYING')
      throw new Error(`order ${outTradeNo} is ${order.state}`);
    return order;
  }

  /** Sends the order's TRANSACTION.SUCCESS notification to its notify_url; answers the statuses the platform gave. */
  async notify(outTradeNo: string, options: NoticeOptions = {}): Promise<number[]> {
    const order = this.order(outTradeNo);
    if (!order?.notifyUrl) throw new Error(`no notify_url for ${outTradeNo}`);
    const merchant = this.merchants.get(order.mchid);
    if (!merchant) throw new Error(`no merchant ${order.mchid}`);
    const key = options.wrongApiV3Key ? randomBytes(16).toString('hex') : merchant.apiV3Key;
    const body = JSON.stringify({
      id: randomBytes(16).toString('hex'),
      create_time: beijing(Date.now()),
      resource_type: 'encrypt-resource',
      event_type: `TRANSACTION.${order.state}`,
      summary: '支付成功',
      resource: this.encrypt(JSON.stringify(this.transaction(order)), key, 'transaction'),
    });
    const statuses: number[] = [];
    for (let i = 0; i < (options.twice ? 2 : 1); i++) {
      const headers = this.signature(body, options.ageSeconds ?? 0);
      if (options.forged) headers['Wechatpay-Signature'] = this.forge(headers, body);
      const res = await fetch(order.notifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      await res.text();
      statuses.push(res.status);
    }
    return statuses;
  }

  /** A signature by another key: what a forger without the platform key can make. */
  private forge(headers: Record<string, string>, body: string): string {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return createSign('RSA-SHA256')
      .update(`${headers['Wechatpay-Timestamp']}\n${headers['Wechatpay-Nonce']}\n${body}\n`)
      .sign(privateKey, 'base64');
  }

  private encrypt(plain: string, key: string, aad: string) {
    const nonce = randomBytes(6).toString('hex');
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'utf8'), Buffer.from(nonce, 'utf8'));
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return {
      original_type: aad,
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: ciphertext.toString('base64'),
      associated_data: aad,
      nonce,
    };
  }

  private signature(body: string, ageSeconds = 0): Record<string, string> {
    const timestamp = String(Math.floor(Date.now() / 1000) - ageSeconds);
    const nonce = randomBytes(16).toString('hex');
    const signature = createSign('RSA-SHA256')
      .update(`${timestamp}\n${nonce}\n${body}\n`)
      .sign(this.platformPrivateKey, 'base64');
    return {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Serial': this.platformSerial,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  private send(res: ServerResponse, { status, data }: Reply): void {
    const body = data === undefined ? '' : JSON.stringify(data);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'Request-ID': randomBytes(12).toString('hex'),
      ...this.signature(body),
    });
    res.end(body);
  }

  /** GET /v3/bill/tradebill: the bill made now, its SHA1, and where to download it. */
  private tradeBill(merchant: DoubleMerchant, query: URLSearchParams): Reply {
    const day = query.get('bill_date') ?? '';
    if (
      !/^\d{4}-\d\d-\d\d$/.test(day) ||
      !['ALL', 'SUCCESS', 'REFUND', null].includes(query.get('bill_type'))
    )
      return reply(400, { code: 'PARAM_ERROR', message: '参数错误' });
    const { text, sha1 } = wechatTradeBill(this.billLines(merchant.mchid, day));
    const token = randomBytes(16).toString('hex');
    this.bills.set(token, {
      mchid: merchant.mchid,
      text: this.billDamage === 'hash' ? text.replace(/\d/, '9') : text,
    });
    return reply(200, {
      hash_type: 'SHA1',
      hash_value: sha1,
      download_url: `${this.baseUrl}v3/billdownload/file?token=${token}`,
    });
  }

  private sendBillAnswer(res: ServerResponse, answer: Reply): void {
    if (this.billDamage !== 'signature') {
      this.send(res, answer);
      return;
    }
    const body = JSON.stringify(answer.data);
    const headers = this.signature(body);
    headers['Wechatpay-Signature'] = this.forge(headers, body);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  }

  /** GET /v3/billdownload/file: the bill's bytes, unsigned (its SHA1 came signed with the URL), for its merchant only. */
  private billFile(res: ServerResponse, merchant: DoubleMerchant, url: URL): void {
    const bill = this.bills.get(url.searchParams.get('token') ?? '');
    if (!bill || bill.mchid !== merchant.mchid) {
      this.send(res, reply(400, { code: 'INVALID_REQUEST', message: '下载链接已失效' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(bill.text);
  }

  private transaction(order: Order): Record<string, unknown> {
    const merchant = order.subMchid
      ? { sp_mchid: order.mchid, sp_appid: order.appid, sub_mchid: order.subMchid }
      : { mchid: order.mchid, appid: order.appid };
    return {
      ...merchant,
      out_trade_no: order.outTradeNo,
      transaction_id: order.state === 'NOTPAY' ? undefined : order.transactionId,
      trade_type: order.tradeType,
      trade_state: order.state,
      trade_state_desc: order.state === 'SUCCESS' ? '支付成功' : order.state,
      ...(order.successTime ? { success_time: order.successTime } : {}),
      amount: { total: order.total, payer_total: order.total, currency: 'CNY', payer_currency: 'CNY' },
      payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    };
  }

  // ----- the HTTP side -----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (this.mode === 'timeout') return; // never answers: the client's timeout decides
    if (this.mode === 'error5xx')
      return this.send(res, reply(500, { code: 'SYSTEM_ERROR', message: '系统错误' }));

    if (req.url?.startsWith(CONTROL))
      return this.send(res, await this.control(req.method ?? '', req.url, body));
    if (this.oauth.handle(req.method ?? '', req.url ?? '/', res)) return;
    const merchant = this.authenticate(req, body);
    if (!merchant) return this.send(res, reply(401, { code: 'SIGN_ERROR', message: '签名错误' }));
    const url = new URL(req.url ?? '/', 'http://double');
    // The partner endpoints take the service provider's fields; the double keeps their orders alike.
    const path = url.pathname.replace('/v3/pay/partner/transactions/', '/v3/pay/transactions/');
    if (req.method === 'GET' && path === '/v3/bill/tradebill')
      return this.sendBillAnswer(res, this.tradeBill(merchant, url.searchParams));
    if (req.method === 'GET' && path === '/v3/billdownload/file') return this.billFile(res, merchant, url);
    let data: Record<string, unknown> = {};
    if (body) {
      try {
        data = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return this.send(res, reply(400, { code: 'PARAM_ERROR', message: '请求体不是 JSON' }));
      }
    }
    this.send(res, this.route(`${req.method} ${path}`, merchant, data));
  }

  private route(route: string, merchant: DoubleMerchant, data: Record<string, unknown>): Reply {
    for (const [pattern, serve] of this.routes) {
      const m = route.match(pattern);
      if (m) return serve(merchant, data, decodeURIComponent(m[1] ?? ''), m[2] ?? '');
    }
    return reply(404, { code: 'NOT_FOUND', message: '无此接口' });
  }

  private readonly routes: [
    RegExp,
    (merchant: DoubleMerchant, data: Record<string, unknown>, a: string, b: string) => Reply,
  ][] = [
    [/^POST \/v3\/pay\/transactions\/(native|jsapi|codepay)$/, (m, data, kind) => this.create(m, kind, data)],
    [/^GET \/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/, (m, _data, no) => this.query(m, no)],
    [
      /^POST \/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/(close|reverse)$/,
      (m, _data, no, verb) => (verb === 'close' ? this.closeOrder(m, no) : this.reverse(m, no)),
    ],
    [/^POST \/v3\/refund\/domestic\/refunds$/, (m, data) => this.refund(m, data)],
    [/^GET \/v3\/refund\/domestic\/refunds\/([^/]+)$/, (m, _data, no) => this.refundQuery(m, no)],
  ];

  private query(merchant: DoubleMerchant, outTradeNo: string): Reply {
    const order = this.order(outTradeNo, merchant.mchid);
    if (!order) return reply(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
    if (this.paidOnNextQuery.delete(order) && order.state === 'USERPAYING') {
      order.state = 'SUCCESS';
      order.successTime = beijing(Date.now());
    }
    return reply(200, this.transaction(order));
  }

  private closeOrder(merchant: DoubleMerchant, outTradeNo: string): Reply {
    const order = this.order(outTradeNo, merchant.mchid);
    if (!order) return reply(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
    if (order.state === 'SUCCESS' || order.state === 'REFUND')
      return reply(400, { code: 'ORDERPAID', message: '订单已支付' });
    if (order.state === 'NOTPAY' || order.state === 'USERPAYING') order.state = 'CLOSED';
    return reply(204);
  }

  /** Reverse refunds a paid barcode order and ends an unpaid one. */
  private reverse(merchant: DoubleMerchant, outTradeNo: string): Reply {
    const order = this.order(outTradeNo, merchant.mchid);
    if (!order) return reply(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
    if (order.state !== 'CLOSED') order.state = 'REVOKED';
    return reply(200, { recall: 'N' });
  }

  private refundQuery(merchant: DoubleMerchant, outRefundNo: string): Reply {
    const refund = this.refunds.get(`${merchant.mchid}/${outRefundNo}`);
    if (!refund) return reply(404, { code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' });
    return reply(200, this.refundBody(refund));
  }

  /**
   * POST /_double/orders/<out_trade_no>/pay|fail|notify (notify takes
   * {"twice","ageSeconds","forged","wrongApiV3Key"}), POST /_double/mode
   * {"mode":"normal|error5xx|timeout"}, GET /_double/orders/<out_trade_no>.
   */
  private async control(method: string, url: string, body: string): Promise<Reply> {
    const options = (body ? JSON.parse(body) : {}) as NoticeOptions & { mode?: DoubleMode };
    const path = url.slice(CONTROL.length);
    if (method === 'POST' && path === 'mode') {
      if (!['normal', 'error5xx', 'timeout'].includes(options.mode ?? ''))
        return reply(400, { message: 'mode?' });
      this.mode = options.mode as DoubleMode;
      return reply(200, { mode: this.mode });
    }
    const m = /^orders\/([^/]+)(?:\/(pay|fail|notify))?$/.exec(path);
    const outTradeNo = decodeURIComponent(m?.[1] ?? '');
    const order = this.order(outTradeNo);
    if (!m || !order) return reply(404, { message: 'no such order' });
    try {
      if (method === 'GET' && !m[2]) return reply(200, this.transaction(order));
      if (method === 'POST' && m[2] === 'pay') await this.pay(outTradeNo, options);
      else if (method === 'POST' && m[2] === 'fail') this.fail(outTradeNo);
      else if (method === 'POST' && m[2] === 'notify')
        return reply(200, { statuses: await this.notify(outTradeNo, options) });
      else return reply(405, { message: 'method' });
    } catch (error) {
      return reply(409, { message: (error as Error).message });
    }
    return reply(200, this.transaction(order));
  }

  /** The merchant whose key signed the request, or undefined (the request is refused with SIGN_ERROR). */
  private authenticate(req: IncomingMessage, body: string): DoubleMerchant | undefined {
    const auth = AUTH.exec(String(req.headers.authorization ?? ''));
    const fields = Object.fromEntries(
      [...(auth?.[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k as string, v as string]),
    );
    const merchant = this.merchants.get(fields['mchid'] ?? '');
    const { timestamp, nonce_str: nonce, signature, serial_no: serial } = fields;
    const fresh = Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) <= 300;
    const ok =
      merchant !== undefined &&
      serial === merchant.serial &&
      fresh &&
      nonce !== undefined &&
      signature !== undefined &&
      createVerify('RSA-SHA256')
        .update(`${req.method}\n${req.url}\n${timestamp}\n${nonce}\n${body}\n`)
        .verify(
          typeof merchant.publicKey === 'string' ? createPublicKey(merchant.publicKey) : merchant.publicKey,
          signature,
          'base64',
        );
    if (!ok) this.refusedSignatures.push(`${req.method} ${req.url}`);
    return ok ? merchant : undefined;
  }

  private create(merchant: DoubleMerchant, kind: string, data: Record<string, unknown>): Reply {
    const mchid = String(data['mchid'] ?? data['sp_mchid'] ?? '');
    const appid = String(data['appid'] ?? data['sp_appid'] ?? '');
    const outTradeNo = String(data['out_trade_no'] ?? '');
    const total = Number((data['amount'] as { total?: unknown } | undefined)?.total);
    if (mchid !== merchant.mchid) return reply(400, { code: 'MCH_NOT_EXISTS', message: '商户号不符' });
    if (appid !== merchant.appid)
      return reply(400, { code: 'APPID_MCHID_NOT_MATCH', message: 'appid和mch_id不匹配' });
    if (!/^[0-9A-Za-z_\-|*]{6,32}$/.test(outTradeNo) || !Number.isSafeInteger(total) || total <= 0)
      return reply(400, { code: 'PARAM_ERROR', message: '参数错误' });
    const existing = this.order(outTradeNo, mchid);
    if (existing) {
      if (existing.state === 'SUCCESS') return reply(400, { code: 'ORDERPAID', message: '该订单已支付' });
      if (existing.state !== 'NOTPAY') return reply(400, { code: 'ORDER_CLOSED', message: '订单已关闭' });
      if (existing.total !== total)
        return reply(400, { code: 'INVALID_REQUEST', message: '201 商户订单号重复' });
    }
    const tradeType = kind === 'native' ? 'NATIVE' : kind === 'jsapi' ? 'JSAPI' : 'MICROPAY';
    const order: Order = existing ?? {
      mchid,
      appid,
      outTradeNo,
      tradeType,
      total,
      state: 'NOTPAY',
      transactionId: `4200${Date.now()}${String(++this.seq).padStart(6, '0')}`,
      ...(typeof data['notify_url'] === 'string' ? { notifyUrl: data['notify_url'] } : {}),
      ...(typeof data['sub_mchid'] === 'string' ? { subMchid: data['sub_mchid'] } : {}),
      refunded: 0,
    };
    this.orders.set(`${mchid}/${outTradeNo}`, order);
    if (kind === 'native')
      return reply(200, { code_url: `weixin://wxpay/bizpayurl?pr=${order.transactionId}` });
    if (kind === 'jsapi') return this.jsapi(order, data);
    return this.codepay(order, data);
  }

  /** A JSAPI order names its payer (openid, or sub_openid for a sub-merchant) and answers a prepay id. */
  private jsapi(order: Order, data: Record<string, unknown>): Reply {
    const payer = data['payer'] as { openid?: unknown; sub_openid?: unknown } | undefined;
    const openid = payer?.openid ?? payer?.sub_openid;
    if (!openid) return reply(400, { code: 'PARAM_ERROR', message: '缺少 openid' });
    order.openid = String(openid);
    return reply(200, { prepay_id: `wx${order.transactionId}` });
  }

  /** The patient's wallet answers at once: the code's last digit says how. */
  private codepay(order: Order, data: Record<string, unknown>): Reply {
    const authCode = String((data['payer'] as { auth_code?: unknown } | undefined)?.auth_code ?? '');
    if (!/^1[0-5]\d{16}$/.test(authCode)) return reply(400, { code: 'PARAM_ERROR', message: '付款码无效' });
    if (authCode.endsWith('6')) {
      order.state = 'PAYERROR';
      return reply(403, { code: 'NOTENOUGH', message: '用户余额不足' });
    }
    if (authCode.endsWith('7')) {
      // The patient types the password: paid by the time the merchant asks again.
      order.state = 'USERPAYING';
      this.paidOnNextQuery.add(order);
      return reply(202, { code: 'USERPAYING', message: '需要用户输入支付密码' });
    }
    if (authCode.endsWith('8')) {
      order.state = 'USERPAYING';
      return reply(202, { code: 'USERPAYING', message: '需要用户输入支付密码' });
    }
    order.state = 'SUCCESS';
    order.successTime = beijing(Date.now());
    return reply(200, this.transaction(order));
  }

  private refund(merchant: DoubleMerchant, data: Record<string, unknown>): Reply {
    const outTradeNo = String(data['out_trade_no'] ?? '');
    const outRefundNo = String(data['out_refund_no'] ?? '');
    const amount = data['amount'] as { refund?: unknown; total?: unknown } | undefined;
    const refund = Number(amount?.refund);
    const order = this.order(outTradeNo, merchant.mchid);
    if (!order) return reply(404, { code: 'RESOURCE_NOT_EXISTS', message: '订单不存在' });
    const key = `${merchant.mchid}/${outRefundNo}`;
    const seen = this.refunds.get(key);
    if (seen) return reply(200, this.refundBody(seen));
    if (order.state !== 'SUCCESS' && order.state !== 'REFUND')
      return reply(403, { code: 'TRADE_ERROR', message: '订单未支付' });
    if (!Number.isSafeInteger(refund) || refund <= 0 || Number(amount?.total) !== order.total || !outRefundNo)
      return reply(400, { code: 'PARAM_ERROR', message: '退款金额参数错误' });
    if (order.refunded + refund > order.total)
      return reply(400, { code: 'INVALID_REQUEST', message: '申请退款金额超过订单可退金额' });
    order.refunded += refund;
    order.state = 'REFUND';
    const made: Refund = {
      mchid: merchant.mchid,
      outTradeNo,
      outRefundNo,
      refundId: `5030${Date.now()}${String(++this.seq).padStart(6, '0')}`,
      amount: refund,
      status: 'SUCCESS',
      at: Date.now(),
      ...(typeof data['notify_url'] === 'string' ? { notifyUrl: data['notify_url'] } : {}),
    };
    this.refunds.set(key, made);
    return reply(200, this.refundBody(made));
  }

  private refundBody(refund: Refund): Record<string, unknown> {
    return {
      refund_id: refund.refundId,
      out_refund_no: refund.outRefundNo,
      out_trade_no: refund.outTradeNo,
      channel: 'ORIGINAL',
      status: refund.status,
      success_time: beijing(Date.now()),
      amount: { refund: refund.amount, currency: 'CNY' },
    };
  }
}
