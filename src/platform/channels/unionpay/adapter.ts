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
import { BACK_TRANS, beijing14, QUERY_TRANS, type UnionpayAnswer, UnionpayApi } from './api.js';
import type { UnionpayConfig } from './config.js';
import { handleUnionpayNotice } from './notice.js';
import type { AcpFields } from './sign.js';
import { unionpayStatement } from './statement.js';
import { channelOfSubType, NO_SUCH_TRANSACTION, stateOfCode } from './states.js';

export const UNIONPAY_CHANNELS = ['UP_QR', 'UP_BAR'] as const;

/** acp calls a repeated orderId "重复交易": the order already exists, so it is asked for. */
const DUPLICATE = '12';
/** The 消费撤销 of a payment is its own transaction: the payment's orderId with this suffix. */
const REVOKE_SUFFIX = 'CX';
// Platform trace numbers start with the Beijing time they were made (yyyyMMddHHmmss).
const TIMESTAMPED = /^(20\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])([01]\d|2[0-3])[0-5]\d[0-5]\d)/;

const common = { bizType: '000000', channelType: '08', currencyCode: '156' } as const;
// How many orders' txnTime and expiry the adapter remembers (the platform's own are read, not remembered).
const REMEMBERED = 10_000;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  if (map.size > REMEMBERED) map.delete(map.keys().next().value as string);
}

function unknown(answer: UnionpayAnswer & { ok: false }): ChannelResult {
  return { state: 'unknown', message: answer.message };
}

function refused(fields: AcpFields): string {
  return `${fields['respCode'] ?? ''} ${fields['respMsg'] ?? ''}`.trim();
}

function fen(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && /^\d+$/.test(value) && Number.isSafeInteger(n) ? n : undefined;
}

/**
 * UnionPay QuickPass through the acquirer's QR API (全渠道 acp 5.1.0): UP_QR
 * 申码 (the patient scans the code), UP_BAR 被扫 (the desk scans the
 * patient's code), query, 消费撤销, refunds and notifications. acp names an
 * order by orderId and txnTime together: the platform's trace numbers begin
 * with their Beijing time, which is used as txnTime, so any process can ask
 * for any order; other numbers' txnTime is remembered by this adapter.
 */
export class UnionpayAdapter implements ChannelAdapter {
  readonly channels = UNIONPAY_CHANNELS;
  private readonly api: UnionpayApi;
  private readonly txnTimes = new Map<string, string>();
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly config: UnionpayConfig,
    private readonly deps: GatewayDeps,
  ) {
    this.api = new UnionpayApi(config, deps.clock);
  }

  /** The txnTime an order was (or is now) sent with. */
  private txnTimeFor(orderId: string): string {
    const known = this.txnTimeOf(orderId);
    if (known) return known;
    const now = beijing14(this.deps.clock());
    remember(this.txnTimes, orderId, now);
    return now;
  }

  private txnTimeOf(orderId: string): string | undefined {
    return TIMESTAMPED.exec(orderId)?.[1] ?? this.txnTimes.get(orderId);
  }

  private async expireAt(traceNo: string): Promise<number | undefined> {
    return this.expiries.get(traceNo) ?? (await this.deps.orderOf?.(traceNo))?.expireAt;
  }

  async pay(p: ChannelPayment): Promise<ChannelResult> {
    if (!Number.isSafeInteger(p.amountFen) || p.amountFen <= 0)
      return { state: 'fail', message: '金额应为正整数分' };
    if (p.channel === 'UP_BAR') return this.scanned(p);
    if (p.channel !== 'UP_QR') return { state: 'fail', message: `银联不受理渠道 ${p.channel}` };
    remember(this.expiries, p.traceNo, p.expireAt);
    const answer = await this.api.call(BACK_TRANS, {
      ...common,
      txnType: '01',
      txnSubType: '07',
      orderId: p.traceNo,
      txnTime: this.txnTimeFor(p.traceNo),
      txnAmt: String(p.amountFen),
      backUrl: this.deps.noticeUrl,
      // After this moment the code can no longer be paid: acp has no close for a QR order.
      payTimeout: beijing14(p.expireAt),
    });
    // No code was issued on a request the gateway refused (even unsigned): nothing can be paid.
    if (!answer.ok)
      return answer.kind === 'none' ? unknown(answer) : { state: 'fail', message: answer.message };
    const f = answer.fields;
    if (f['respCode'] === DUPLICATE) return this.query(p);
    const qrCode = f['qrCode'];
    if (f['respCode'] !== '00') return { state: 'fail', message: `银联拒绝申码：${refused(f)}` };
    if (!qrCode) return { state: 'unknown', message: '银联申码应答缺少 qrCode' };
    return { state: 'pending', qrcode: qrCode, message: '请用云闪付或银行 App 扫码支付' };
  }

  private async scanned(p: ChannelPayment): Promise<ChannelResult> {
    const qrNo = p.extra['authCode'];
    if (typeof qrNo !== 'string' || !/^62\d{17}$/.test(qrNo))
      return { state: 'fail', message: '银联付款码应为 62 开头的 19 位数字' };
    const answer = await this.api.call(BACK_TRANS, {
      ...common,
      txnType: '01',
      txnSubType: '06',
      orderId: p.traceNo,
      txnTime: this.txnTimeFor(p.traceNo),
      txnAmt: String(p.amountFen),
      qrNo,
      termId: (p.termNo || 'DESK0001').slice(0, 8),
      backUrl: this.deps.noticeUrl,
    });
    // The patient's code may have been charged: anything but a verified answer is asked about.
    if (!answer.ok) return unknown(answer);
    const f = answer.fields;
    if (f['respCode'] === DUPLICATE) return this.query(p);
    const state = stateOfCode(f['respCode']);
    if (state === 'success') return this.query(p);
    if (state === 'pending') return { state: 'pending', message: `用户支付中：${refused(f)}` };
    if (state === 'unknown') return { state: 'unknown', message: `银联交易状态未明：${refused(f)}` };
    return { state: 'fail', message: `银联拒绝：${refused(f)}` };
  }

  /** The query of one acp transaction: orderId with its txnTime (by default, the one it was sent with). */
  private async ask(orderId: string, txnTime = this.txnTimeOf(orderId)): Promise<UnionpayAnswer | undefined> {
    if (!txnTime) return undefined;
    return this.api.call(QUERY_TRANS, { ...common, txnType: '00', txnSubType: '00', orderId, txnTime });
  }

  async query(ref: PaymentRef): Promise<ChannelResult> {
    const answer = await this.ask(ref.traceNo);
    if (!answer) return { state: 'unknown', message: '不知此订单的下单时间，无法向银联查询' };
    if (!answer.ok) return unknown(answer);
    const f = answer.fields;
    if (f['respCode'] === NO_SUCH_TRANSACTION) return this.neverPaid(ref);
    if (f['respCode'] !== '00') return { state: 'unknown', message: `银联查询失败：${refused(f)}` };
    const state = stateOfCode(f['origRespCode']);
    const amountFen = fen(f['txnAmt']);
    const paid: ChannelResult = {
      state,
      ...(amountFen !== undefined ? { amountFen } : {}),
      ...(f['queryId'] ? { channelTradeNo: f['queryId'] } : {}),
      ...(state === 'success' ? { paidChannel: channelOfSubType(f['txnSubType'], ref.channel) } : {}),
      ...(state !== 'success'
        ? { message: `${f['origRespCode'] ?? ''} ${f['origRespMsg'] ?? ''}`.trim() }
        : {}),
    };
    if (state === 'fail' || (state === 'unknown' && !f['queryId'])) return paid;
    return this.afterRevoke(ref, paid);
  }

  /** A consumption stays 00 at UnionPay once revoked: its 消费撤销 says whether it still stands. */
  private async afterRevoke(ref: PaymentRef, paid: ChannelResult): Promise<ChannelResult> {
    const revoke = await this.ask(`${ref.traceNo}${REVOKE_SUFFIX}`, this.txnTimeOf(ref.traceNo));
    if (!revoke?.ok) return revoke ? unknown(revoke) : paid;
    const f = revoke.fields;
    if (f['respCode'] === NO_SUCH_TRANSACTION) return paid;
    if (f['respCode'] !== '00') return { state: 'unknown', message: `银联撤销查询失败：${refused(f)}` };
    const undone = stateOfCode(f['origRespCode']);
    if (undone === 'success') return { ...paid, state: 'revoked', message: '已撤销（款项已退回）' };
    if (undone === 'pending' || undone === 'unknown')
      return { ...paid, state: 'unknown', message: '撤销处理中' };
    return paid;
  }

  /** UnionPay knows no such order: a QR code not yet paid (until payTimeout), else never made. */
  private async neverPaid(ref: PaymentRef): Promise<ChannelResult> {
    const expireAt = ref.channel === 'UP_QR' ? await this.expireAt(ref.traceNo) : undefined;
    if (expireAt !== undefined && this.deps.clock() <= expireAt)
      return { state: 'pending', message: '等待患者扫码支付' };
    return { state: 'closed', message: '银联无此交易（未支付，二维码已失效或未下单）' };
  }

  /**
   * acp cannot close a QR order: the code's payTimeout ends it. Closing is
   * therefore asking: paid is success, past payTimeout unpaid is closed,
   * still payable is unknown (the platform asks again later).
   */
  async close(ref: PaymentRef): Promise<ChannelResult> {
    const now = await this.query(ref);
    if (now.state === 'fail') return { ...now, state: 'closed' };
    if (now.state !== 'pending') return now;
    if (ref.channel === 'UP_BAR') return this.cancel(ref);
    return { state: 'unknown', message: '银联二维码订单不能关单，至失效时间后才不可支付' };
  }

  /** 消费撤销 (txnType 31) of a barcode payment still paying or paid: the money goes back. */
  async cancel(ref: PaymentRef): Promise<ChannelResult> {
    const now = await this.query(ref);
    if (now.state === 'revoked' || now.state === 'closed' || now.state === 'fail')
      return { ...now, state: 'revoked' };
    if (now.state === 'unknown' || !now.channelTradeNo || now.amountFen === undefined)
      return { state: 'unknown', message: `撤销前无法确认原交易：${now.message ?? now.state}` };
    const answer = await this.api.call(BACK_TRANS, {
      ...common,
      txnType: '31',
      txnSubType: '00',
      orderId: `${ref.traceNo}${REVOKE_SUFFIX}`,
      // Sent with the payment's txnTime, so a later query finds the revoke from the payment's number alone.
      txnTime: this.txnTimeFor(ref.traceNo),
      txnAmt: String(now.amountFen),
      origQryId: now.channelTradeNo,
      backUrl: this.deps.noticeUrl,
    });
    if (!answer.ok) return unknown(answer);
    const after = await this.query(ref);
    if (after.state === 'revoked') return after;
    return { state: 'unknown', message: `撤销后订单状态为 ${after.state}：${refused(answer.fields)}` };
  }

  async refund(r: ChannelRefund): Promise<ChannelResult> {
    if (!Number.isSafeInteger(r.amountFen) || r.amountFen <= 0 || r.amountFen > r.totalFen)
      return { state: 'fail', message: '退款金额应为正整数分且不超过原支付金额' };
    const original = await this.query({ appid: r.appid, traceNo: r.payTraceNo, channel: r.channel });
    if (original.state !== 'success' || !original.channelTradeNo)
      return {
        state: original.state === 'unknown' ? 'unknown' : 'fail',
        message: `原交易未成功：${original.message ?? original.state}`,
      };
    const answer = await this.api.call(BACK_TRANS, {
      ...common,
      txnType: '04',
      txnSubType: '00',
      orderId: r.refundTraceNo,
      txnTime: this.txnTimeFor(r.refundTraceNo),
      txnAmt: String(r.amountFen),
      origQryId: original.channelTradeNo,
      backUrl: this.deps.noticeUrl,
    });
    if (!answer.ok) return unknown(answer);
    const f = answer.fields;
    const state = stateOfCode(f['respCode']);
    // Accepted or already made: the refund's own query says where it stands.
    if (state === 'success' || f['respCode'] === DUPLICATE)
      return this.refundQuery({ appid: r.appid, traceNo: r.refundTraceNo, channel: r.channel });
    if (state === 'pending' || state === 'unknown')
      return { state, message: `退款处理中或状态未明：${refused(f)}` };
    // A refund UnionPay refused moved no money.
    return { state: 'fail', message: `银联拒绝退款：${refused(f)}` };
  }

  async refundQuery(ref: PaymentRef): Promise<ChannelResult> {
    const answer = await this.ask(ref.traceNo);
    if (!answer) return { state: 'unknown', message: '不知此退款的发送时间，无法向银联查询' };
    if (!answer.ok) return unknown(answer);
    const f = answer.fields;
    if (f['respCode'] === NO_SUCH_TRANSACTION) return { state: 'fail', message: '银联无此退款' };
    if (f['respCode'] !== '00') return { state: 'unknown', message: `银联退款查询失败：${refused(f)}` };
    const state = stateOfCode(f['origRespCode']);
    return {
      state,
      ...(f['queryId'] ? { channelTradeNo: f['queryId'] } : {}),
      ...(state !== 'success'
        ? { message: `退款 ${f['origRespCode'] ?? ''} ${f['origRespMsg'] ?? ''}`.trim() }
        : {}),
    };
  }

  handleNotice(appid: string, notice: ChannelNotice) {
    return handleUnionpayNotice(this.config, this.deps, appid, notice);
  }

  /** The day's ZM 流水 file (file transfer, txnType 76, fileType 00). */
  statement(_appid: string, day: string): AsyncIterable<StatementRow> {
    return unionpayStatement(this.api, day, this.deps.clock());
  }
}
