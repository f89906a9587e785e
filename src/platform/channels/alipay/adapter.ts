import { recognizeWallet } from '../../../protocol/channels.js';
import type { GatewayDeps } from '../live/gateways.js';
import type {
  ChannelAdapter,
  ChannelNotice,
  ChannelPayment,
  ChannelRefund,
  ChannelResult,
  PaymentRef,
  StatementRow,
} from '../types.js';
import { type AlipayAnswer, AlipayApi, type OrderStringMethod } from './api.js';
import type { AlipayConfig } from './config.js';
import { handleAlipayNotice } from './notice.js';
import { alipayStatement } from './statement.js';
import { alipayTime, fenOf, fromAlipayTime, TRADE_STATE_TEXT, TRADE_STATES, yuan } from './states.js';

export const ALIPAY_CHANNELS = [
  'ALI_QR',
  'ALI_BAR',
  'ALI_FACE',
  'ALI_PUB',
  'ALI_WAP',
  'ALI_WEB',
  'ALI_APP',
] as const;

// Answers that mean "this trade number is already a trade": ask for its state instead.
const ALREADY = new Set(['ACQ.TRADE_HAS_SUCCESS', 'ACQ.TRADE_HAS_CLOSE', 'ACQ.TRADE_HAS_FINISHED']);
// Alipay's own word for "the outcome is not known yet: query".
const SYSTEM_ERROR = 'ACQ.SYSTEM_ERROR';
const NOT_EXIST = 'ACQ.TRADE_NOT_EXIST';
// A cancel Alipay asks to repeat (retry_flag Y) is repeated this many times before the outcome is called unknown.
const CANCEL_TRIES = 3;
// How many trace numbers the adapter remembers (expiry of its QR codes, the payment of its refunds).
const REMEMBERED = 10_000;

const PAGE_PAY: Readonly<Record<string, { method: OrderStringMethod; productCode: string }>> = {
  ALI_WAP: { method: 'alipay.trade.wap.pay', productCode: 'QUICK_WAP_WAY' },
  ALI_WEB: { method: 'alipay.trade.page.pay', productCode: 'FAST_INSTANT_TRADE_PAY' },
  ALI_APP: { method: 'alipay.trade.app.pay', productCode: 'QUICK_MSECURITY_PAY' },
};

function unknown(answer: AlipayAnswer & { ok: false }): ChannelResult {
  return { state: 'unknown', message: answer.message };
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  if (map.size > REMEMBERED) map.delete(map.keys().next().value as string);
}

/** The adapter of one hospital's Alipay application (open platform v3, v2 order strings). */
export class AlipayAdapter implements ChannelAdapter {
  readonly channels = ALIPAY_CHANNELS;
  private readonly api: AlipayApi;
  /** When each QR code made here stops being payable (its time_expire). */
  private readonly expiry = new Map<string, number>();
  /** The payment each refund made here gives back (Alipay's refund query needs both numbers). */
  private readonly refunded = new Map<string, string>();

  constructor(
    private readonly config: AlipayConfig,
    private readonly deps: GatewayDeps,
  ) {
    this.api = new AlipayApi(config);
  }

  private order(p: ChannelPayment): Record<string, unknown> {
    if (!Number.isSafeInteger(p.amountFen) || p.amountFen <= 0)
      throw new Error('amountFen: a positive integer');
    return {
      out_trade_no: p.traceNo,
      total_amount: yuan(p.amountFen),
      subject: p.subject.slice(0, 256) || '医院缴费',
      // Past this moment Alipay closes the trade: nothing can be paid on it later.
      time_expire: alipayTime(p.expireAt),
      notify_url: this.deps.noticeUrl,
    };
  }

  async pay(p: ChannelPayment): Promise<ChannelResult> {
    if (p.channel === 'ALI_BAR' || p.channel === 'ALI_FACE') return this.codePay(p);
    if (p.channel === 'ALI_PUB') return this.create(p);
    const page = PAGE_PAY[p.channel];
    if (page) return this.pagePay(p, page.method, page.productCode);
    if (p.channel !== 'ALI_QR') return { state: 'fail', message: `支付宝不受理渠道 ${p.channel}` };
    remember(this.expiry, p.traceNo, p.expireAt);
    const answer = await this.api.call('/v3/alipay/trade/precreate', this.order(p));
    if (!answer.ok) return this.afterRefusedPay(p, answer);
    const qrcode = answer.data['qr_code'];
    if (typeof qrcode !== 'string') return { state: 'unknown', message: '支付宝预下单应答缺少 qr_code' };
    return { state: 'pending', qrcode, message: '请用支付宝扫码支付' };
  }

  /**
   * The patient's payment code (ALI_BAR) or the face-pay token of a face
   * terminal (ALI_FACE, scene security_code): money moves at once, or Alipay
   * waits for the password and the order is queried until it settles.
   */
  private async codePay(p: ChannelPayment): Promise<ChannelResult> {
    const authCode = p.extra['authCode'];
    const face = p.channel === 'ALI_FACE';
    if (
      typeof authCode !== 'string' ||
      (face ? !/^[\w-]{8,128}$/.test(authCode) : recognizeWallet(authCode) !== 'ALI')
    )
      return {
        state: 'fail',
        message: face
          ? '刷脸付需要刷脸设备给出的 ftoken（extra.authCode）'
          : '支付宝付款码应为 25 到 30 开头的 16 到 24 位数字',
      };
    const { time_expire: _expire, ...order } = this.order(p);
    const answer = await this.api.call('/v3/alipay/trade/pay', {
      ...order,
      auth_code: authCode,
      scene: face ? 'security_code' : 'bar_code',
      product_code: 'FACE_TO_FACE_PAYMENT',
      terminal_id: p.termNo || 'desk',
    });
    const ref = { appid: p.appid, traceNo: p.traceNo, channel: p.channel };
    if (!answer.ok) {
      const refused = await this.afterRefusedPay(p, answer);
      if (refused.state !== 'fail') return refused;
      // Money moves at once with a code, and a refusal's body is not signed (the SDK verifies 200
      // answers): before the order fails, the verified query must not say it was paid.
      const now = await this.query(ref);
      const exists = now.channelTradeNo !== undefined;
      return exists && (now.state === 'success' || now.state === 'pending') ? now : refused;
    }
    // Paid: the answer carries the moment. Otherwise the patient confirms on the phone: ask the trade.
    if (typeof answer.data['gmt_payment'] === 'string')
      return this.fromTrade({ ...answer.data, trade_status: 'TRADE_SUCCESS' }, p.channel);
    return this.query(ref);
  }

  /** 服务窗/小程序 (ALI_PUB): a trade for the payer (extra.openId, a 2088 user id or an open id) the page pays with tradePay. */
  private async create(p: ChannelPayment): Promise<ChannelResult> {
    const buyer = p.extra['openId'] ?? p.extra['buyerId'];
    if (typeof buyer !== 'string' || !buyer)
      return { state: 'fail', message: '服务窗支付需要付款人的 buyer_id（extra.openId）' };
    const who = /^2088\d{12}$/.test(buyer) ? { buyer_id: buyer } : { buyer_open_id: buyer };
    remember(this.expiry, p.traceNo, p.expireAt);
    const answer = await this.api.call('/v3/alipay/trade/create', {
      ...this.order(p),
      ...who,
      product_code: 'JSAPI_PAY',
      op_app_id: this.config.appId,
    });
    if (!answer.ok) return this.afterRefusedPay(p, answer);
    const tradeNo = answer.data['trade_no'];
    if (typeof tradeNo !== 'string') return { state: 'unknown', message: '支付宝创建交易应答缺少 trade_no' };
    return {
      state: 'pending',
      channelTradeNo: tradeNo,
      extra: { tradeNO: tradeNo },
      message: '请在支付宝内确认支付',
    };
  }

  /** Wap, page and app payments: a signed order string (v2, as v3 has no such call); the trade exists once the patient opens it. */
  private pagePay(p: ChannelPayment, method: OrderStringMethod, productCode: string): ChannelResult {
    remember(this.expiry, p.traceNo, p.expireAt);
    const { notify_url: _notify, ...order } = this.order(p);
    const signed = this.api.orderString(method, { ...order, product_code: productCode }, this.deps.noticeUrl);
    if (method === 'alipay.trade.app.pay')
      return { state: 'pending', extra: { orderStr: signed }, message: '请在支付宝 App 内确认支付' };
    return { state: 'pending', qrcode: signed, message: '请在支付宝页面完成支付' };
  }

  private async afterRefusedPay(
    p: ChannelPayment,
    answer: AlipayAnswer & { ok: false },
  ): Promise<ChannelResult> {
    if (answer.status === 0 || answer.code === SYSTEM_ERROR) return unknown(answer);
    if (ALREADY.has(answer.code))
      return this.query({ appid: p.appid, traceNo: p.traceNo, channel: p.channel });
    // Refused before any money moved (signature, balance, a bad code…): the message says Alipay's code.
    return { state: 'fail', message: `支付宝拒绝：${answer.code} ${answer.message}` };
  }

  private fromTrade(data: Record<string, unknown>, channel: string): ChannelResult {
    const tradeStatus = String(data['trade_status'] ?? '');
    const state = TRADE_STATES[tradeStatus];
    if (!state) return { state: 'unknown', message: `支付宝未知的交易状态 ${tradeStatus}` };
    const tradeNo = data['trade_no'];
    const paidAt = fromAlipayTime(data['gmt_payment'] ?? data['send_pay_date']);
    // The trade's amount as Alipay holds it: the platform checks it against the order's (settle-order.ts).
    const amountFen = fenOf(data['total_amount']);
    return {
      state,
      ...(amountFen !== null ? { amountFen } : {}),
      ...(typeof tradeNo === 'string' ? { channelTradeNo: tradeNo } : {}),
      ...(state === 'success' ? { paidChannel: channel.startsWith('ALI_') ? channel : 'ALI_QR' } : {}),
      ...(state === 'success' && Number.isFinite(paidAt) ? { paidAt } : {}),
      ...(state !== 'success' ? { message: TRADE_STATE_TEXT[tradeStatus] ?? tradeStatus } : {}),
    };
  }

  private trade(traceNo: string): Promise<AlipayAnswer> {
    return this.api.call('/v3/alipay/trade/query', { out_trade_no: traceNo });
  }

  async query(ref: PaymentRef): Promise<ChannelResult> {
    const answer = await this.trade(ref.traceNo);
    if (answer.ok) return this.fromTrade(answer.data, ref.channel);
    if (answer.code === NOT_EXIST) return this.notYetATrade(ref);
    if (answer.status === 0) return unknown(answer);
    return { state: 'unknown', message: `支付宝查询失败：${answer.code} ${answer.message}` };
  }

  /**
   * Alipay makes the trade of a QR code (precreate), a page or an app
   * payment only when the patient opens it: until then the query finds none
   * and the code can still be paid. Once its time_expire has passed it never
   * can: closed. A number with no known expiry stays pending (never closed
   * on a guess): the platform closes it, and its sweep asks again.
   */
  private async notYetATrade(ref: PaymentRef): Promise<ChannelResult> {
    const expireAt = this.expiry.get(ref.traceNo) ?? (await this.deps.orderOf?.(ref.traceNo))?.expireAt;
    if (expireAt !== undefined && this.deps.clock() > expireAt)
      return { state: 'closed', message: '支付宝无此交易且已过支付时限（未支付）' };
    return { state: 'pending', message: '支付宝尚无此交易（患者未扫码或未打开）' };
  }

  async close(ref: PaymentRef): Promise<ChannelResult> {
    const answer = await this.api.call('/v3/alipay/trade/close', { out_trade_no: ref.traceNo });
    if (!answer.ok && answer.status === 0) return unknown(answer);
    // Closed or refused (paid, already closed, never opened): the trade's state now says which.
    const now = await this.query(ref);
    if (now.state === 'pending')
      return { state: 'unknown', message: `关单未生效：${answer.ok ? '' : answer.message}` };
    return now;
  }

  async cancel(ref: PaymentRef): Promise<ChannelResult> {
    let answer: AlipayAnswer = { ok: false, status: 0, code: 'UNKNOWN', message: '未撤销' };
    for (let i = 0; i < CANCEL_TRIES; i++) {
      answer = await this.api.call('/v3/alipay/trade/cancel', { out_trade_no: ref.traceNo });
      if (!(answer.ok && answer.data['retry_flag'] === 'Y') && !(!answer.ok && answer.code === SYSTEM_ERROR))
        break;
    }
    if (!answer.ok && answer.code !== NOT_EXIST)
      return { state: 'unknown', message: `支付宝撤销失败：${answer.code} ${answer.message}` };
    if (answer.ok && answer.data['retry_flag'] === 'Y')
      return { state: 'unknown', message: '支付宝要求稍后重试撤销' };
    const now = await this.trade(ref.traceNo);
    // A cancel of a paid trade refunds it (action "refund"): revoked all the same.
    if (now.ok && now.data['trade_status'] === 'TRADE_CLOSED')
      return { ...this.fromTrade(now.data, ref.channel), state: 'revoked' };
    if (!now.ok && now.code === NOT_EXIST) return { state: 'revoked', message: '支付宝无此交易，已撤销' };
    return {
      state: 'unknown',
      message: `撤销后交易状态为 ${now.ok ? String(now.data['trade_status']) : now.message}`,
    };
  }

  async refund(r: ChannelRefund): Promise<ChannelResult> {
    if (!Number.isSafeInteger(r.amountFen) || r.amountFen <= 0 || r.amountFen > r.totalFen)
      return { state: 'fail', message: '退款金额应为正整数分且不超过原支付金额' };
    remember(this.refunded, r.refundTraceNo, r.payTraceNo);
    const answer = await this.api.call('/v3/alipay/trade/refund', {
      out_trade_no: r.payTraceNo,
      out_request_no: r.refundTraceNo,
      refund_amount: yuan(r.amountFen),
      refund_reason: r.reason.slice(0, 256),
    });
    if (!answer.ok && (answer.status === 0 || answer.code === SYSTEM_ERROR)) return unknown(answer);
    // A refund Alipay declined moved no money.
    if (!answer.ok) return { state: 'fail', message: `支付宝拒绝退款：${answer.code} ${answer.message}` };
    // fund_change Y: this call moved the money. N: an earlier call with this number did, or it is still under way.
    if (answer.data['fund_change'] === 'Y')
      return {
        state: 'success',
        ...(typeof answer.data['trade_no'] === 'string' ? { channelTradeNo: answer.data['trade_no'] } : {}),
      };
    const settled = await this.refundState(r.payTraceNo, r.refundTraceNo);
    return settled.state === 'success' ? settled : { state: 'pending', message: '支付宝退款处理中' };
  }

  async refundQuery(ref: PaymentRef): Promise<ChannelResult> {
    const payTraceNo =
      this.refunded.get(ref.traceNo) ?? (await this.deps.orderOf?.(ref.traceNo))?.origTraceNo;
    if (!payTraceNo) return { state: 'unknown', message: '不知此退款的原支付单号，无法向支付宝查询' };
    return this.refundState(payTraceNo, ref.traceNo);
  }

  private async refundState(payTraceNo: string, refundTraceNo: string): Promise<ChannelResult> {
    const answer = await this.api.call('/v3/alipay/trade/fastpay/refund/query', {
      out_trade_no: payTraceNo,
      out_request_no: refundTraceNo,
      query_options: ['gmt_refund_pay'],
    });
    if (!answer.ok && answer.code === NOT_EXIST)
      return { state: 'fail', message: '支付宝无此交易，退款未发生' };
    if (!answer.ok && answer.status === 0) return unknown(answer);
    if (!answer.ok)
      return { state: 'unknown', message: `支付宝退款查询失败：${answer.code} ${answer.message}` };
    // Alipay: REFUND_SUCCESS is done; no status means the refund was not received or failed (safe to ask again).
    if (answer.data['refund_status'] === 'REFUND_SUCCESS') {
      const at = fromAlipayTime(answer.data['gmt_refund_pay']);
      return {
        state: 'success',
        ...(typeof answer.data['trade_no'] === 'string' ? { channelTradeNo: answer.data['trade_no'] } : {}),
        ...(Number.isFinite(at) ? { paidAt: at } : {}),
      };
    }
    return { state: 'fail', message: '支付宝未受理此退款' };
  }

  handleNotice(appid: string, notice: ChannelNotice) {
    return handleAlipayNotice(this.config, this.api, this.deps, appid, notice);
  }

  /** The day's trade bill (alipay.data.dataservice.bill.downloadurl.query, bill_type trade). */
  statement(_appid: string, day: string): AsyncIterable<StatementRow> {
    return alipayStatement(this.api, day, this.config.timeoutMs);
  }
}
