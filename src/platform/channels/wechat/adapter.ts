import { randomBytes } from 'node:crypto';
import { Rsa } from 'wechatpay-axios-plugin';
import type { GatewayDeps } from '../live/gateways.js';
import type {
  ChannelAdapter,
  ChannelPayment,
  ChannelRefund,
  ChannelResult,
  PaymentRef,
  StatementRow,
} from '../types.js';
import { type WechatAnswer, WechatApi } from './api.js';
import type { WechatConfig } from './config.js';
import { handleWechatNotice } from './notice.js';
import { wechatStatement } from './statement.js';
import { channelOfTradeType, REFUND_STATES, TRADE_STATE_TEXT, TRADE_STATES } from './states.js';

export const WECHAT_CHANNELS = ['WX_QR', 'WX_PUB', 'WX_BAR'] as const;

// Answers that mean "this payment is already there": ask for its state instead.
const ALREADY = new Set(['ORDERPAID', 'ORDER_PAID', 'OUT_TRADE_NO_USED', 'ORDER_CLOSED', 'ORDERCLOSED']);
// Barcode answers while the patient confirms or the bank is slow: the outcome is still coming.
const STILL_PAYING = new Set(['USERPAYING', 'BANKERROR', 'BANK_ERROR', 'SYSTEM_ERROR', 'SYSTEMERROR']);

function unknown(answer: WechatAnswer & { ok: false }): ChannelResult {
  return { state: 'unknown', message: answer.message };
}

/** The adapter of one hospital's WeChat Pay merchant account (APIv3). */
export class WechatAdapter implements ChannelAdapter {
  readonly channels = WECHAT_CHANNELS;
  private readonly api: WechatApi;
  private readonly partner: boolean;

  constructor(
    private readonly config: WechatConfig,
    private readonly deps: GatewayDeps,
  ) {
    this.api = new WechatApi(config);
    this.partner = config.subMchid !== undefined;
  }

  /** Merchant fields of a request: the merchant's own, or the service provider's and its sub-merchant's. */
  private merchant(): Record<string, string> {
    const { mchid, appid, subMchid } = this.config;
    return subMchid ? { sp_mchid: mchid, sp_appid: appid, sub_mchid: subMchid } : { mchid, appid };
  }

  private merchantParams(): Record<string, string> {
    const { mchid, subMchid } = this.config;
    return subMchid ? { sp_mchid: mchid, sub_mchid: subMchid } : { mchid };
  }

  private path(tail: string): string {
    return `v3/pay/${this.partner ? 'partner/' : ''}transactions/${tail}`;
  }

  private order(p: ChannelPayment): Record<string, unknown> {
    if (!Number.isSafeInteger(p.amountFen) || p.amountFen <= 0)
      throw new Error('amountFen: a positive integer');
    return {
      ...this.merchant(),
      description: p.subject.slice(0, 127) || '医院缴费',
      out_trade_no: p.traceNo,
      // WeChat Pay's time format: RFC 3339 with the offset (Beijing time).
      time_expire: rfc3339(p.expireAt),
      notify_url: this.deps.noticeUrl,
      amount: { total: p.amountFen, currency: 'CNY' },
    };
  }

  async pay(p: ChannelPayment): Promise<ChannelResult> {
    if (p.channel === 'WX_BAR') return this.codepay(p);
    if (p.channel === 'WX_PUB') return this.jsapi(p);
    if (p.channel !== 'WX_QR') return { state: 'fail', message: `微信支付不受理渠道 ${p.channel}` };
    const answer = await this.api.call('POST', this.path('native'), this.order(p));
    if (!answer.ok) return this.afterRefusedPay(p, answer);
    const qrcode = answer.data['code_url'];
    if (typeof qrcode !== 'string') return { state: 'unknown', message: '微信支付下单应答缺少 code_url' };
    return { state: 'pending', qrcode, message: '请用微信扫码支付' };
  }

  private async jsapi(p: ChannelPayment): Promise<ChannelResult> {
    const openid = p.extra['openId'];
    if (typeof openid !== 'string' || !openid)
      return { state: 'fail', message: '公众号支付需要付款人的 openId' };
    const payer = this.partner ? { sub_openid: openid } : { openid };
    const answer = await this.api.call('POST', this.path('jsapi'), { ...this.order(p), payer });
    if (!answer.ok) return this.afterRefusedPay(p, answer);
    const prepayId = answer.data['prepay_id'];
    if (typeof prepayId !== 'string') return { state: 'unknown', message: '微信支付下单应答缺少 prepay_id' };
    return { state: 'pending', extra: this.jsapiParameters(prepayId), message: '请在微信内确认支付' };
  }

  /** What the page passes to WeixinJSBridge getBrandWCPayRequest, signed with the merchant key. */
  jsapiParameters(prepayId: string): Record<string, string> {
    const appId = this.config.appid;
    const timeStamp = String(Math.floor(this.deps.clock() / 1000));
    const nonceStr = randomBytes(16).toString('hex');
    const pkg = `prepay_id=${prepayId}`;
    const paySign = Rsa.sign(`${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`, this.config.privateKey);
    return { appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
  }

  /**
   * Barcodes through APIv3 code pay: the merchant's APIv3 key and certificate
   * suffice, and its answers are signed like every other APIv3 answer (v2
   * micropay would need the separate v2 key and its answers are not verified
   * with the platform key).
   */
  private async codepay(p: ChannelPayment): Promise<ChannelResult> {
    const authCode = p.extra['authCode'];
    if (typeof authCode !== 'string' || !/^1[0-5]\d{16}$/.test(authCode))
      return { state: 'fail', message: '微信付款码应为 10 到 15 开头的 18 位数字' };
    const { notify_url: _notify, time_expire: _expire, ...order } = this.order(p);
    const answer = await this.api.call('POST', this.path('codepay'), {
      ...order,
      payer: { auth_code: authCode },
      scene_info: { store_info: { out_id: p.termNo || 'desk' } },
    });
    // 202 USERPAYING: the patient confirms with the password; the order is queried until it settles.
    if (answer.ok && STILL_PAYING.has(String(answer.data['code'])))
      return { state: 'pending', message: String(answer.data['message'] ?? '用户支付中') };
    if (answer.ok) return this.fromTransaction(answer.data, p.channel);
    if (STILL_PAYING.has(answer.code))
      return { state: 'pending', message: `${answer.message}（等待用户确认）` };
    return this.afterRefusedPay(p, answer);
  }

  private async afterRefusedPay(
    p: ChannelPayment,
    answer: WechatAnswer & { ok: false },
  ): Promise<ChannelResult> {
    if (answer.status === 0) return unknown(answer);
    if (ALREADY.has(answer.code))
      return this.query({ appid: p.appid, traceNo: p.traceNo, channel: p.channel });
    return { state: 'fail', message: `微信支付拒绝：${answer.code} ${answer.message}` };
  }

  private fromTransaction(data: Record<string, unknown>, channel: string): ChannelResult {
    const tradeState = String(data['trade_state'] ?? '');
    const state = TRADE_STATES[tradeState];
    if (!state) return { state: 'unknown', message: `微信支付未知的交易状态 ${tradeState}` };
    const transactionId = data['transaction_id'];
    const successTime =
      typeof data['success_time'] === 'string' ? Date.parse(data['success_time']) : Number.NaN;
    // The order's amount as WeChat Pay holds it (total, before any coupon): checked against ours.
    const total = (data['amount'] as { total?: unknown } | undefined)?.total;
    return {
      state,
      ...(typeof total === 'number' && Number.isSafeInteger(total) ? { amountFen: total } : {}),
      ...(typeof transactionId === 'string' ? { channelTradeNo: transactionId } : {}),
      ...(state === 'success' ? { paidChannel: channelOfTradeType(data['trade_type'], channel) } : {}),
      ...(Number.isFinite(successTime) ? { paidAt: successTime } : {}),
      ...(state !== 'success'
        ? { message: String(data['trade_state_desc'] ?? TRADE_STATE_TEXT[tradeState]) }
        : {}),
    };
  }

  async query(ref: PaymentRef): Promise<ChannelResult> {
    const answer = await this.api.call(
      'GET',
      this.path(`out-trade-no/${encodeURIComponent(ref.traceNo)}`),
      undefined,
      this.merchantParams(),
    );
    if (answer.ok) return this.fromTransaction(answer.data, ref.channel);
    if (answer.status === 0) return unknown(answer);
    // The order never reached WeChat Pay: nothing can be paid on it, no money moved.
    if (answer.code === 'ORDER_NOT_EXIST' || answer.code === 'ORDERNOTEXIST')
      return { state: 'closed', message: '微信支付无此订单（未下单成功，未扣款）' };
    return { state: 'unknown', message: `微信支付查询失败：${answer.code} ${answer.message}` };
  }

  async close(ref: PaymentRef): Promise<ChannelResult> {
    const answer = await this.api.call(
      'POST',
      this.path(`out-trade-no/${encodeURIComponent(ref.traceNo)}/close`),
      this.merchantParams(),
    );
    if (!answer.ok && answer.status === 0) return unknown(answer);
    // Closed or refused (paid, already closed, never existed): the order's state now says which.
    const now = await this.query(ref);
    if (now.state === 'pending')
      return { state: 'unknown', message: `关单未生效：${answer.ok ? '' : answer.message}` };
    return now;
  }

  async cancel(ref: PaymentRef): Promise<ChannelResult> {
    const answer = await this.api.call(
      'POST',
      this.path(`out-trade-no/${encodeURIComponent(ref.traceNo)}/reverse`),
      this.partner ? this.merchantParams() : this.merchant(),
    );
    if (!answer.ok && answer.status === 0) return unknown(answer);
    if (!answer.ok && answer.code !== 'ORDER_NOT_EXIST' && answer.code !== 'ORDERNOTEXIST')
      return { state: 'unknown', message: `微信支付撤销失败：${answer.code} ${answer.message}` };
    const now = await this.query(ref);
    // A reversal of a paid order refunds it: revoked all the same.
    if (now.state === 'revoked' || now.state === 'closed') return { ...now, state: 'revoked' };
    return { state: 'unknown', message: `撤销后订单状态为 ${now.state}` };
  }

  async refund(r: ChannelRefund): Promise<ChannelResult> {
    if (!Number.isSafeInteger(r.amountFen) || r.amountFen <= 0 || r.amountFen > r.totalFen)
      return { state: 'fail', message: '退款金额应为正整数分且不超过原支付金额' };
    const answer = await this.api.call('POST', 'v3/refund/domestic/refunds', {
      ...(this.partner ? { sub_mchid: this.config.subMchid } : {}),
      out_trade_no: r.payTraceNo,
      out_refund_no: r.refundTraceNo,
      reason: r.reason.slice(0, 80),
      notify_url: this.deps.noticeUrl,
      amount: { refund: r.amountFen, total: r.totalFen, currency: 'CNY' },
    });
    if (answer.ok) return this.fromRefund(answer.data);
    if (answer.status === 0) return unknown(answer);
    // A refund WeChat Pay declined moved no money.
    return { state: 'fail', message: `微信支付拒绝退款：${answer.code} ${answer.message}` };
  }

  private fromRefund(data: Record<string, unknown>): ChannelResult {
    const status = String(data['status'] ?? '');
    const state = REFUND_STATES[status];
    if (!state) return { state: 'unknown', message: `微信支付未知的退款状态 ${status}` };
    const refundId = data['refund_id'];
    const successTime =
      typeof data['success_time'] === 'string' ? Date.parse(data['success_time']) : Number.NaN;
    return {
      state,
      ...(typeof refundId === 'string' ? { channelTradeNo: refundId } : {}),
      ...(Number.isFinite(successTime) ? { paidAt: successTime } : {}),
      ...(state !== 'success' ? { message: `退款状态 ${status}` } : {}),
    };
  }

  async refundQuery(ref: PaymentRef): Promise<ChannelResult> {
    const answer = await this.api.call(
      'GET',
      `v3/refund/domestic/refunds/${encodeURIComponent(ref.traceNo)}`,
      undefined,
      this.partner ? { sub_mchid: this.config.subMchid ?? '' } : undefined,
    );
    if (answer.ok) return this.fromRefund(answer.data);
    if (answer.status === 0) return unknown(answer);
    if (answer.code === 'RESOURCE_NOT_EXISTS') return { state: 'fail', message: '微信支付无此退款' };
    return { state: 'unknown', message: `微信支付退款查询失败：${answer.code} ${answer.message}` };
  }

  /** The day's trade bill (GET /v3/bill/tradebill, bill_type ALL; a service provider names its sub-merchant). */
  statement(_appid: string, day: string): AsyncIterable<StatementRow> {
    const subMchid = this.config.subMchid;
    return wechatStatement(this.api, day, subMchid ? { sub_mchid: subMchid } : {});
  }

  handleNotice(appid: string, notice: Parameters<NonNullable<ChannelAdapter['handleNotice']>>[1]) {
    return handleWechatNotice(this.config, this.deps, appid, notice);
  }
}

/** RFC 3339 in Beijing time (+08:00), as WeChat Pay's time fields are written. */
function rfc3339(ms: number): string {
  const beijing = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19);
  return `${beijing}+08:00`;
}
