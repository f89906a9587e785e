import {
  createHash,
  createPrivateKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ZmDamage, type ZmLine, zmFileContent } from './bill.js';
import { DoublePki } from './pki.js';

type Fields = Record<string, string>;

/** A merchant the double knows: its number and the certificate its requests must be signed with. */
export interface DoubleMerchant {
  readonly merId: string;
  readonly certId: string;
  readonly certPem: string;
}

/** origRespCode of an order: 00 done, 05 still paying, or a refusal. */
interface Order {
  merId: string;
  orderId: string;
  txnTime: string;
  txnType: '01' | '04' | '31';
  txnSubType: string;
  txnAmt: number;
  origRespCode: string;
  origRespMsg: string;
  queryId?: string;
  /** 退货 and 消费撤销: the consumption given back. */
  origQryId?: string;
  /** The moment UnionPay's books clear it, when a test says other than its queryId's. */
  billedAt?: number;
  backUrl: string;
  /** 申码: the moment the code stops being payable. */
  payTimeout?: number;
  /** Paid consumptions: refunded so far (fen) and whether a 消费撤销 gave it all back. */
  refunded: number;
  revoked: boolean;
  paidOnNextQuery: boolean;
}

/**
 * What the next requests meet: normal answers, a 5xx, silence (nothing done), or `lost`: the
 * transaction is carried out and its answer never arrives (queries are still answered).
 */
export type DoubleMode = 'normal' | 'error5xx' | 'timeout' | 'lost';

/** How a test sends a notification: twice, late, forged, or claiming another amount. */
export interface NoticeOptions {
  readonly twice?: boolean;
  readonly delayMs?: number;
  readonly forged?: boolean;
  readonly txnAmt?: number;
}

export const CONTROL = '/_double/';

/**
 * UnionPay payment codes for the double: the last digit says what the
 * patient's wallet does (0 pays, 6 is declined, 7 asks for the password and
 * is paid by the next query, 8 keeps paying until revoked).
 */
export function unionpayDoubleCode(outcome: 'paid' | 'declined' | 'paying' | 'password'): string {
  const last = { paid: '0', declined: '6', password: '7', paying: '8' }[outcome];
  return `62${randomBytes(8).readBigUInt64BE().toString().padStart(20, '0').slice(-16)}${last}`;
}

function signingString(fields: Fields): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

function sign(fields: Fields, key: KeyObject): string {
  const digest = createHash('sha256').update(signingString(fields), 'utf8').digest('hex');
  return createSign('RSA-SHA256').update(digest, 'utf8').sign(key, 'base64');
}

function beijing14(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);
}

function fromBeijing14(value: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value ?? '');
  if (!m) return undefined;
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
}

/**
 * UnionPay's acp 5.1.0 gateway (the QR acquiring calls) as a real HTTP
 * server, strict as the real one: every request's certId must be the
 * merchant's and its signature (RSA-SHA256 over the SHA-256 hex of the
 * sorted fields) verify with that certificate — otherwise the answer is the
 * gateway's unsigned `respCode=11 验证签名失败`. Answers and notifications
 * are signed with the double's signing certificate, sent along as
 * signPubKeyCert and issued by the double's own root and intermediate.
 * Orders live in memory; a test pays, fails or leaves them paying, makes the
 * double time out or answer 5xx, and sends notifications twice, late,
 * forged or with another amount. The double runs a clock a test may move.
 */
export class UnionpayGatewayDouble {
  readonly pki = new DoublePki();
  private readonly signKey = createPrivateKey(this.pki.signing.keyPem);
  private readonly merchants = new Map<string, DoubleMerchant>();
  private readonly orders = new Map<string, Order>();
  private server: Server | undefined;
  private seq = 0;
  private offsetMs = 0;
  mode: DoubleMode = 'normal';
  /** Spoils the file transfers from now on (a test of a file that cannot be believed). */
  billDamage: ZmDamage | undefined;
  /** Requests refused for their signature or certId, for tests to read. */
  readonly refusedSignatures: string[] = [];

  now = (): number => Date.now() + this.offsetMs;

  /** Moves the double's clock (and the clock of an adapter given `now`). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  addMerchant(merchant: DoubleMerchant): void {
    this.merchants.set(merchant.merId, merchant);
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    return this.listenUrl();
  }

  /** Where the double listens (after listen). */
  listenUrl(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the double is not listening');
    return `http://${address.address}:${address.port}/`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ----- what a test does as the patient or as UnionPay -----

  /** The payment with this orderId (the platform's trace number), any merchant. */
  order(orderId: string): Order | undefined {
    for (const order of this.orders.values()) if (order.orderId === orderId) return order;
    return undefined;
  }

  /** The patient scans and pays a 申码 order (or a paying barcode completes); a notification follows unless told. */
  async pay(orderId: string, notice: NoticeOptions | false = {}): Promise<void> {
    const order = this.mustOpen(orderId);
    if (order.payTimeout !== undefined && this.now() > order.payTimeout)
      throw new Error(`order ${orderId}: the code has expired`);
    this.settle(order);
    if (notice !== false) await this.notify(orderId, notice);
  }

  /**
   * UnionPay's books say otherwise than what it answered: another amount, or
   * another moment (another day's file). For tests of reconciliation only.
   */
  amend(orderId: string, change: { readonly totalFen?: number; readonly paidAt?: number }): void {
    const order = this.order(orderId);
    if (order?.origRespCode !== '00') throw new Error(`no settled order ${orderId}`);
    if (change.totalFen !== undefined) order.txnAmt = change.totalFen;
    if (change.paidAt !== undefined) order.billedAt = change.paidAt;
  }

  /** Money taken under an orderId the merchant never sent (长款): a settled consumption. */
  ghost(merId: string, orderId: string, totalFen: number): void {
    const order: Order = {
      merId,
      orderId,
      txnTime: beijing14(this.now()),
      txnType: '01',
      txnSubType: '06',
      txnAmt: totalFen,
      origRespCode: '05',
      origRespMsg: '',
      backUrl: '',
      refunded: 0,
      revoked: false,
      paidOnNextQuery: false,
    };
    this.settle(order);
    this.orders.set(`${merId}/${orderId}`, order);
  }

  /** The ZM lines of a merchant's Beijing day: settled consumptions, returns and revokes of that day. */
  zmLines(merId: string, day: string): ZmLine[] {
    const lines: ZmLine[] = [];
    const stamp = day.replaceAll('-', '');
    for (const o of this.orders.values()) {
      if (o.merId !== merId || o.origRespCode !== '00' || !o.queryId) continue;
      const at = o.billedAt !== undefined ? beijing14(o.billedAt) : o.queryId.slice(0, 14);
      if (!at.startsWith(stamp)) continue;
      lines.push({
        txnType: o.txnType,
        txnSubType: o.txnSubType,
        orderId: o.orderId,
        queryId: o.queryId,
        origQryId: o.origQryId ?? '',
        fen: o.txnAmt,
        txnTime: at.slice(4, 14),
        merId,
      });
    }
    return lines;
  }

  /** The patient's payment is declined by the bank. */
  fail(orderId: string): void {
    const order = this.mustOpen(orderId);
    order.origRespCode = '51';
    order.origRespMsg = '余额不足';
  }

  private mustOpen(orderId: string): Order {
    const order = this.order(orderId);
    if (order?.txnType !== '01') throw new Error(`no order ${orderId}`);
    const open = order.origRespCode === '05' && !order.revoked;
    if (!open) throw new Error(`order ${orderId} is not open`);
    return order;
  }

  private settle(order: Order): void {
    order.origRespCode = '00';
    order.origRespMsg = '成功[0000000]';
    order.queryId ??= this.queryId();
  }

  private queryId(): string {
    return `${beijing14(this.now())}${String(++this.seq).padStart(7, '0')}`;
  }

  /** Posts the order's notification to its backUrl; answers the statuses the platform gave. */
  async notify(orderId: string, options: NoticeOptions = {}): Promise<number[]> {
    const order = this.order(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    const fields = this.signed(
      {
        ...this.describe(order),
        respCode: order.origRespCode,
        respMsg: order.origRespMsg,
        ...(options.txnAmt !== undefined ? { txnAmt: String(options.txnAmt) } : {}),
      },
      options.forged ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey : this.signKey,
    );
    const statuses: number[] = [];
    for (let i = 0; i < (options.twice ? 2 : 1); i++) {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const res = await fetch(order.backUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: new URLSearchParams(fields).toString(),
      });
      await res.text();
      statuses.push(res.status);
    }
    return statuses;
  }

  /** Signed with `key` (a forger's, for a forged notice), carrying the double's signing certificate. */
  private signed(fields: Fields, key: KeyObject = this.signKey): Fields {
    const all: Fields = { ...fields, signMethod: '01', signPubKeyCert: this.pki.signing.certPem };
    return { ...all, signature: sign(all, key) };
  }

  private describe(order: Order): Fields {
    return {
      version: '5.1.0',
      encoding: 'UTF-8',
      bizType: '000000',
      accessType: '0',
      merId: order.merId,
      orderId: order.orderId,
      txnTime: order.txnTime,
      txnType: order.txnType,
      txnSubType: order.txnSubType,
      txnAmt: String(order.txnAmt),
      currencyCode: '156',
      ...(order.queryId ? { queryId: order.queryId, traceTime: order.queryId.slice(4, 14) } : {}),
    };
  }

  // ----- the HTTP side -----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (this.mode === 'timeout') return; // never answers: the client's timeout decides
    if (this.mode === 'error5xx') {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
      return;
    }
    if (req.url?.startsWith(CONTROL)) {
      const [status, data] = await this.control(req.method ?? '', req.url, body);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
      return;
    }
    const fields = Object.fromEntries(new URLSearchParams(body));
    const answer = this.serve(req.url ?? '', fields);
    if (this.mode === 'lost' && req.url === '/gateway/api/backTransReq.do') return;
    // acp answers k=v&k=v, values as they are (the certificate's PEM included).
    const text = Object.entries(answer)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8' }).end(text);
  }

  private serve(url: string, fields: Fields): Fields {
    const merchant = this.authenticate(url, fields);
    if (!merchant) return { respCode: '11', respMsg: '验证签名失败' };
    if (url === '/gateway/api/queryTrans.do') return this.signed(this.query(fields));
    // The file server (filedownload.95516.com at UnionPay) answers at its root.
    if (url === '/') return this.fileTransfer(merchant, fields);
    if (url !== '/gateway/api/backTransReq.do') return { respCode: '10', respMsg: '报文格式错误' };
    const key = `${fields['merId']}/${fields['orderId']}`;
    const base = {
      merId: merchant.merId,
      orderId: fields['orderId'] ?? '',
      txnTime: fields['txnTime'] ?? '',
    };
    const echo = { ...base, txnType: fields['txnType'] ?? '', txnSubType: fields['txnSubType'] ?? '' };
    const amount = Number(fields['txnAmt']);
    if (
      !/^[0-9A-Za-z]{8,40}$/.test(base.orderId) ||
      fromBeijing14(base.txnTime) === undefined ||
      !Number.isSafeInteger(amount) ||
      amount <= 0 ||
      !fields['backUrl']
    )
      return this.signed({ ...echo, respCode: '30', respMsg: '报文格式错误' });
    if (this.orders.has(key)) return this.signed({ ...echo, respCode: '12', respMsg: '重复交易' });
    const order: Order = {
      ...base,
      txnType: fields['txnType'] as Order['txnType'],
      txnSubType: fields['txnSubType'] ?? '',
      txnAmt: amount,
      origRespCode: '05',
      origRespMsg: '交易处理中',
      backUrl: fields['backUrl'] ?? '',
      refunded: 0,
      revoked: false,
      paidOnNextQuery: false,
    };
    const route = `${fields['txnType']}/${fields['txnSubType']}`;
    let outcome: Fields;
    if (route === '01/07') outcome = this.issueCode(order, fields);
    else if (route === '01/06') outcome = this.scanned(order, fields);
    else if (route === '31/00' || route === '04/00') outcome = this.giveBack(order, fields);
    else return this.signed({ ...echo, respCode: '40', respMsg: '交易类型不支持' });
    if (outcome['respCode'] !== '30' && outcome['respCode'] !== '25') this.orders.set(key, order);
    return this.signed({ ...echo, ...outcome });
  }

  /** 申码: a code to scan; UnionPay holds no transaction until the patient pays. */
  private issueCode(order: Order, fields: Fields): Fields {
    const payTimeout = fromBeijing14(fields['payTimeout']);
    if (payTimeout !== undefined) order.payTimeout = payTimeout;
    return {
      respCode: '00',
      respMsg: '成功',
      qrCode: `https://qr.95516.com/00010000/${randomBytes(10).toString('hex')}`,
    };
  }

  /** 被扫: the patient's wallet answers at once; the code's last digit says how. */
  private scanned(order: Order, fields: Fields): Fields {
    const qrNo = fields['qrNo'] ?? '';
    if (!/^62\d{17}$/.test(qrNo)) return { respCode: '30', respMsg: '付款码无效' };
    order.queryId = this.queryId();
    if (qrNo.endsWith('6')) {
      order.origRespCode = '51';
      order.origRespMsg = '余额不足';
      return { respCode: '51', respMsg: '余额不足', queryId: order.queryId };
    }
    if (qrNo.endsWith('7') || qrNo.endsWith('8')) {
      order.paidOnNextQuery = qrNo.endsWith('7');
      return { respCode: '05', respMsg: '交易处理中，请稍后查询', queryId: order.queryId };
    }
    this.settle(order);
    return { respCode: '00', respMsg: '成功', queryId: order.queryId };
  }

  /** fileDownload (txnType 76, fileType 00): the settle day's ZM file in the answer's fileContent. */
  private fileTransfer(merchant: DoubleMerchant, fields: Fields): Fields {
    const echo = {
      version: '5.1.0',
      encoding: 'UTF-8',
      txnType: '76',
      txnSubType: '01',
      bizType: '000000',
      accessType: '0',
      merId: merchant.merId,
      settleDate: fields['settleDate'] ?? '',
      txnTime: fields['txnTime'] ?? '',
      fileType: fields['fileType'] ?? '',
    };
    const settle = /^(\d\d)(\d\d)$/.exec(echo.settleDate);
    if (fields['txnType'] !== '76' || echo.fileType !== '00' || !settle)
      return this.signed({ ...echo, respCode: '30', respMsg: '报文格式错误' });
    // The settle day of this year, or last year's when that is still to come (a December file asked in January).
    const now = new Date(this.now() + 8 * 3_600_000);
    let year = now.getUTCFullYear();
    if (
      `${settle[1]}${settle[2]}` >
      `${String(now.getUTCMonth() + 1).padStart(2, '0')}${String(now.getUTCDate()).padStart(2, '0')}`
    )
      year--;
    const day = `${year}-${settle[1]}-${settle[2]}`;
    const content = zmFileContent(merchant.merId, day, this.zmLines(merchant.merId, day), this.billDamage);
    const answer = {
      ...echo,
      respCode: '00',
      respMsg: '成功',
      fileName: `${merchant.merId}_${day.replaceAll('-', '')}.zip`,
      fileContent: content,
    };
    return this.billDamage === 'signature'
      ? this.signed(answer, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)
      : this.signed(answer);
  }

  /** 消费撤销 (31) or 退货 (04) of a consumption named by origQryId. */
  private giveBack(order: Order, fields: Fields): Fields {
    const original = [...this.orders.values()].find(
      (o) => o.txnType === '01' && o.merId === order.merId && o.queryId === fields['origQryId'],
    );
    if (!original || original.revoked) return { respCode: '35', respMsg: '原交易不存在或状态不正确' };
    if (order.txnType === '31') {
      const undoable = original.origRespCode === '00' || original.origRespCode === '05';
      if (!undoable || order.txnAmt !== original.txnAmt || original.refunded > 0)
        return { respCode: '35', respMsg: '原交易状态不正确' };
      original.revoked = true;
    } else {
      if (original.origRespCode !== '00') return { respCode: '35', respMsg: '原交易状态不正确' };
      if (original.refunded + order.txnAmt > original.txnAmt)
        return { respCode: '25', respMsg: '退货金额超限' };
      original.refunded += order.txnAmt;
    }
    order.queryId = this.queryId();
    order.origQryId = original.queryId ?? '';
    this.settle(order);
    return { respCode: '00', respMsg: '成功', queryId: order.queryId };
  }

  private query(fields: Fields): Fields {
    const order = this.orders.get(`${fields['merId']}/${fields['orderId']}`);
    const base = {
      merId: fields['merId'] ?? '',
      orderId: fields['orderId'] ?? '',
      txnTime: fields['txnTime'] ?? '',
    };
    // A 申码 is no transaction at UnionPay until the patient has scanned it (paid or declined).
    const unscanned = order?.txnSubType === '07' && order.origRespCode === '05';
    if (!order || order.txnTime !== fields['txnTime'] || unscanned)
      return { ...base, txnType: '00', txnSubType: '00', respCode: '34', respMsg: '查无此交易' };
    if (order.paidOnNextQuery && !order.revoked) {
      order.paidOnNextQuery = false;
      this.settle(order);
    }
    return {
      ...this.describe(order),
      respCode: '00',
      respMsg: '成功',
      origRespCode: order.origRespCode,
      origRespMsg: order.origRespMsg,
    };
  }

  /** The merchant whose certificate signed the request (certId exactly its own), or undefined. */
  private authenticate(url: string, fields: Fields): DoubleMerchant | undefined {
    const merchant = this.merchants.get(fields['merId'] ?? '');
    let ok = false;
    if (
      merchant &&
      fields['certId'] === merchant.certId &&
      fields['signature'] &&
      fields['signMethod'] === '01'
    ) {
      const digest = createHash('sha256').update(signingString(fields), 'utf8').digest('hex');
      try {
        ok = createVerify('RSA-SHA256')
          .update(digest, 'utf8')
          .verify(new X509Certificate(merchant.certPem).publicKey, fields['signature'], 'base64');
      } catch {
        ok = false;
      }
    }
    if (!ok) this.refusedSignatures.push(`${url} ${fields['orderId'] ?? ''}`);
    return ok ? merchant : undefined;
  }

  /**
   * POST /_double/orders/<orderId>/pay|fail|notify (notify takes
   * {"twice","delayMs","forged","txnAmt"}), POST /_double/mode
   * {"mode":"normal|error5xx|timeout|lost"}, GET /_double/orders/<orderId>.
   */
  private async control(method: string, url: string, body: string): Promise<[number, unknown]> {
    const options = (body ? JSON.parse(body) : {}) as NoticeOptions & { mode?: DoubleMode };
    const path = url.slice(CONTROL.length);
    if (method === 'POST' && path === 'mode') {
      if (!['normal', 'error5xx', 'timeout', 'lost'].includes(options.mode ?? ''))
        return [400, { message: 'mode?' }];
      this.mode = options.mode as DoubleMode;
      return [200, { mode: this.mode }];
    }
    const m = /^orders\/([^/]+)(?:\/(pay|fail|notify))?$/.exec(path);
    const orderId = decodeURIComponent(m?.[1] ?? '');
    const order = this.order(orderId);
    if (!m || !order) return [404, { message: 'no such order' }];
    try {
      if (method === 'POST' && m[2] === 'pay') await this.pay(orderId, options);
      else if (method === 'POST' && m[2] === 'fail') this.fail(orderId);
      else if (method === 'POST' && m[2] === 'notify')
        return [200, { statuses: await this.notify(orderId, options) }];
      else if (method !== 'GET' || m[2]) return [405, { message: 'method' }];
    } catch (error) {
      return [409, { message: (error as Error).message }];
    }
    return [200, order];
  }
}
