import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { ALL_CHANNELS, barcodePaidChannel, isChannel, kindOf } from '../../../protocol/channels.js';
import { CHANNEL, type Channel } from '../../../protocol/dictionaries.js';
import { beijing14 } from '../../../protocol/time.js';
import { beijingDayBounds } from '../../reconcile/day.js';
import type { SandboxPaymentTable, SandboxRefundTable, Schema, Store } from '../../store/index.js';
import type {
  ChannelAdapter,
  ChannelPayment,
  ChannelRefund,
  ChannelResult,
  PaymentRef,
  StatementRow,
} from '../types.js';
import {
  barcodeScenario,
  isSandboxWallet,
  PASSWORD_QUERIES,
  qrPaidChannel,
  type SandboxWallet,
  WALLET_LABEL,
  walletsFor,
} from './rules.js';
import { sandboxStatement } from './statement.js';

export interface SandboxOptions {
  readonly store: Store;
  /** Base URL phones reach the platform at; read at each payment so a late change applies. */
  readonly publicUrl: () => string;
  readonly clock: () => number;
  /** Tells the platform a payment changed; the platform then queries and completes the order. */
  readonly notify: (traceNo: string) => Promise<void>;
  /** Where a failed notify is reported (the payment stays paid; the platform's sweep finds it). */
  readonly onNotifyError?: (traceNo: string, error: unknown) => void;
}

/**
 * What the next refunds of one payment do (tests inject it, the default is success):
 * - fail: refused, no money moves; the same refund number stays failed;
 * - unknown: the money moves but the answer is lost; query or resubmission says success;
 * - pending: accepted and processing; the next query or resubmission says success;
 * - lost: the request never arrives: unknown, nothing recorded, query says fail.
 */
export type SandboxRefundOutcome = 'success' | 'fail' | 'unknown' | 'pending' | 'lost';
const REFUND_OUTCOMES: readonly SandboxRefundOutcome[] = ['success', 'fail', 'unknown', 'pending', 'lost'];

/** The patient's view of a QR payment, for the wallet page. */
export interface WalletView {
  readonly traceNo: string;
  readonly channel: string;
  readonly channelName: string;
  readonly amountFen: number;
  readonly subject: string;
  /** The hospital's name as registered, when the app is known. */
  readonly hospital: string | null;
  readonly state: SandboxPaymentTable['state'];
  readonly wallets: readonly SandboxWallet[];
  readonly expireAt: number;
  /** Why it cannot be paid now; undefined when it can. */
  readonly refusal?: WalletRefusal;
}

export type WalletRefusal =
  | 'not_found'
  | 'expired'
  | 'closed'
  | 'revoked'
  | 'paid'
  | 'failed'
  | 'bad_wallet'
  | 'wrong_wallet';

export const REFUSAL_MESSAGE: Record<WalletRefusal, string> = {
  not_found: '二维码无效或已失效',
  expired: '二维码已过期, 请让收银员重新下单',
  closed: '该订单已关闭, 不能再支付',
  revoked: '该订单已撤销, 不能再支付',
  paid: '该订单已支付, 请勿重复支付',
  failed: '该订单支付失败, 请让收银员重新下单',
  bad_wallet: '未知的钱包 (可选 alipay, wechat, unionpay)',
  wrong_wallet: '该二维码不支持此钱包',
};

export type WalletPayOutcome =
  | {
      readonly ok: true;
      readonly traceNo: string;
      readonly state: 'success' | 'fail';
      readonly paidChannel?: string;
      readonly amountFen: number;
      readonly message: string;
      /** False when the platform could not be told; its sweep will query later. */
      readonly notified: boolean;
    }
  | { readonly ok: false; readonly refusal: WalletRefusal; readonly message: string };

/** Bounds the re-reads after a lost race; states only move forward, so two suffice. */
const RACE_RETRIES = 3;

function randomId(bytes: number): string {
  return randomBytes(bytes).toString('hex').toUpperCase();
}

/**
 * The sandbox payment company: serves every channel code of the spec, keeps
 * its books in `sandbox_payments`/`sandbox_refunds`, and lets the sandbox
 * wallet (src/web/sandbox) play the patient's phone. State changes are
 * guarded updates, so two platform processes on one PostgreSQL agree.
 *
 * notify fires exactly once when the patient's wallet pays or fails a
 * payment, the one change the platform cannot learn from an answer. Barcode
 * outcomes (see sandbox-rules.ts) are learned by querying, which the platform
 * does for every barcode payment anyway; close, cancel and refund are the
 * platform's own calls and are answered directly.
 */
export class SandboxChannels implements ChannelAdapter {
  readonly channels: readonly string[] = ALL_CHANNELS;
  private readonly db: Kysely<Schema>;

  constructor(private readonly options: SandboxOptions) {
    this.db = options.store.db;
  }

  statement(appid: string, day: string): AsyncIterable<StatementRow> {
    return sandboxStatement(this.db, appid, beijingDayBounds(day));
  }

  /** The URL a QR payment's token is reached at. */
  qrUrl(token: string): string {
    return `${this.options.publicUrl().replace(/\/+$/, '')}/q/${token}`;
  }

  async pay(payment: ChannelPayment): Promise<ChannelResult> {
    const channel = payment.channel;
    if (!isChannel(channel)) return { state: 'fail', message: `沙箱不支持渠道 ${channel}` };
    if (!Number.isSafeInteger(payment.amountFen) || payment.amountFen <= 0) {
      return { state: 'fail', message: '金额必须是正整数分' };
    }
    const existing = await this.find(payment.traceNo);
    if (existing) return this.resultOf(existing);

    const now = this.options.clock();
    const row: SandboxPaymentTable = {
      trace_no: payment.traceNo,
      appid: payment.appid,
      channel,
      amount_fen: payment.amountFen,
      subject: payment.subject,
      term_no: payment.termNo,
      token: null,
      state: 'pending',
      scenario: 'wallet',
      queries: 0,
      paid_channel: null,
      channel_trade_no: `SBX${beijing14(now)}${randomId(5)}`,
      pos_no: null,
      result_extra: null,
      message: null,
      refunded_fen: 0,
      refund_outcome: null,
      expire_at: payment.expireAt,
      paid_at: null,
      created_at: now,
      updated_at: now,
    };
    const kind = kindOf(channel);
    if (kind === 'qr') {
      // Random, not derived from the trace number: whoever holds the URL can pay, nobody can guess one.
      row.token = randomBytes(18).toString('base64url');
      row.message = '等待用户扫码支付';
    } else if (kind === 'barcode') {
      Object.assign(row, this.barcodePlan(channel, payment, now));
    } else if (kind === 'pos') {
      Object.assign(row, posPlan(payment, now));
    } else {
      Object.assign(row, {
        state: 'success',
        scenario: 'instant',
        paid_channel: channel,
        paid_at: now,
        message: '支付成功',
      });
    }

    const inserted = await this.db
      .insertInto('sandbox_payments')
      .values(row)
      .onConflict((oc) => oc.column('trace_no').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) {
      // The same trace number raced in from another process (or was closed first): its record decides.
      const winner = await this.find(payment.traceNo);
      if (!winner) throw new Error(`sandbox payment ${payment.traceNo} neither inserted nor found`);
      return this.resultOf(winner);
    }
    if (row.scenario === 'lost') return { state: 'unknown', message: '渠道应答超时 (沙箱: 付款码末位 9)' };
    return this.resultOf(row);
  }

  private barcodePlan(channel: Channel, payment: ChannelPayment, now: number): Partial<SandboxPaymentTable> {
    const authCode = payment.extra['authCode'];
    if (typeof authCode !== 'string' || authCode === '') {
      return { state: 'fail', scenario: 'declined', message: '扩展参数 authCode 为空' };
    }
    const route = barcodePaidChannel(channel, authCode);
    if ('refusal' in route) return { state: 'fail', scenario: 'declined', message: route.refusal };
    const scenario = barcodeScenario(authCode);
    const base = { scenario, paid_channel: route.paidChannel };
    switch (scenario) {
      case 'instant':
        return { ...base, state: 'success', paid_at: now, message: '支付成功' };
      case 'declined':
        return { ...base, state: 'fail', message: '余额不足' };
      case 'password':
      case 'stuck':
        return { ...base, state: 'pending', message: '需要用户输入支付密码' };
      case 'lost':
        // The money moved; only the answer to the desk is lost.
        return { ...base, state: 'success', paid_at: now, message: '支付成功' };
    }
  }

  async query({ traceNo }: PaymentRef): Promise<ChannelResult> {
    const row = await this.find(traceNo);
    if (!row) return { state: 'unknown', message: '渠道无此交易' };
    if (row.scenario === 'password' && row.state === 'pending') {
      const now = this.options.clock();
      const due = sql<boolean>`queries + 1 >= ${PASSWORD_QUERIES}`;
      await this.db
        .updateTable('sandbox_payments')
        .set({
          queries: sql`queries + 1`,
          state: sql`case when ${due} then 'success' else state end`,
          paid_at: sql`case when ${due} then ${now} else paid_at end`,
          message: sql`case when ${due} then '支付成功' else message end`,
          updated_at: now,
        })
        .where('trace_no', '=', traceNo)
        .where('state', '=', 'pending')
        .execute();
      const after = await this.find(traceNo);
      if (after) return this.resultOf(after);
    }
    return this.resultOf(row);
  }

  async close({ traceNo, channel }: PaymentRef): Promise<ChannelResult> {
    return this.settle(traceNo, channel, 'closed');
  }

  async cancel({ traceNo, channel }: PaymentRef): Promise<ChannelResult> {
    return this.settle(traceNo, channel, 'revoked');
  }

  /**
   * close: unpaid → closed, paid → success. cancel (撤销): unpaid → revoked,
   * paid → revoked with everything not yet refunded given back. A trace
   * number the channel never saw is recorded closed/revoked, so a payment
   * arriving late for it is refused instead of taken.
   */
  private async settle(traceNo: string, channel: string, to: 'closed' | 'revoked'): Promise<ChannelResult> {
    for (let attempt = 0; attempt < RACE_RETRIES; attempt++) {
      const now = this.options.clock();
      const row = await this.find(traceNo);
      if (!row) {
        const inserted = await this.db
          .insertInto('sandbox_payments')
          .values(tombstone(traceNo, channel, to, now))
          .onConflict((oc) => oc.column('trace_no').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1)
          return { state: to, message: '渠道无此交易, 已作废该单号' };
        continue;
      }
      if (row.state === 'pending' || row.state === 'fail') {
        const moved = await this.db
          .updateTable('sandbox_payments')
          .set({ state: to, message: to === 'closed' ? '交易已关闭' : '交易已撤销', updated_at: now })
          .where('trace_no', '=', traceNo)
          .where('state', '=', row.state)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) === 1) return this.resultOf({ ...row, state: to });
        continue;
      }
      if (row.state === 'success' && to === 'revoked') {
        const moved = await this.db
          .updateTable('sandbox_payments')
          .set({
            state: 'revoked',
            refunded_fen: sql`amount_fen`,
            message: '交易已撤销, 款项已退回',
            updated_at: now,
          })
          .where('trace_no', '=', traceNo)
          .where('state', '=', 'success')
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) === 1) {
          return this.resultOf({ ...row, state: 'revoked', message: '交易已撤销, 款项已退回' });
        }
        continue;
      }
      // success on close (paid meanwhile), or already closed/revoked: the record answers.
      return this.resultOf(row);
    }
    throw new Error(`sandbox ${to} of ${traceNo} kept losing races`);
  }

  async refund(refund: ChannelRefund): Promise<ChannelResult> {
    const known = await this.findRefund(refund.refundTraceNo);
    if (known) {
      if (known.pay_trace_no !== refund.payTraceNo || known.amount_fen !== refund.amountFen) {
        return { state: 'fail', message: `退款单号 ${refund.refundTraceNo} 已用于另一笔退款` };
      }
      return this.refundResultOf(await this.advanceRefund(known));
    }
    const payment = await this.find(refund.payTraceNo);
    if (!payment) return { state: 'fail', message: '原支付交易不存在' };
    if (refund.channel !== payment.channel && refund.channel !== payment.paid_channel) {
      return {
        state: 'fail',
        message: `退款渠道 ${refund.channel} 与原交易 (${payment.paid_channel ?? payment.channel}) 不符`,
      };
    }
    if (!Number.isSafeInteger(refund.amountFen) || refund.amountFen <= 0) {
      return { state: 'fail', message: '退款金额必须是正整数分' };
    }
    const outcome = (payment.refund_outcome ?? 'success') as SandboxRefundOutcome;
    if (outcome === 'lost') return { state: 'unknown', message: '渠道退款应答超时 (沙箱注入: lost)' };

    const now = this.options.clock();
    const row = await this.db.transaction().execute(async (trx) => {
      // The number is claimed before any money moves, so a duplicate can never refund twice.
      const claimed = await trx
        .insertInto('sandbox_refunds')
        .values({
          refund_trace_no: refund.refundTraceNo,
          pay_trace_no: refund.payTraceNo,
          appid: refund.appid,
          channel: refund.channel,
          amount_fen: refund.amountFen,
          state: 'fail',
          queries: 0,
          channel_refund_no: `SBR${beijing14(now)}${randomId(5)}`,
          message: null,
          refunded_at: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('refund_trace_no').doNothing())
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) !== 1) return undefined;
      let state: SandboxRefundTable['state'] = 'fail';
      let message: string;
      if (outcome === 'fail') {
        message = '退款失败 (沙箱注入: fail)';
      } else {
        const counted = await trx
          .updateTable('sandbox_payments')
          .set({ refunded_fen: sql`refunded_fen + ${refund.amountFen}`, updated_at: now })
          .where('trace_no', '=', refund.payTraceNo)
          .where('state', '=', 'success')
          .where(sql<boolean>`refunded_fen + ${refund.amountFen} <= amount_fen`)
          .executeTakeFirst();
        if (Number(counted.numUpdatedRows) === 1) {
          state = outcome === 'pending' ? 'pending' : 'success';
          message = state === 'pending' ? '退款处理中' : '退款成功';
        } else {
          const current = await trx
            .selectFrom('sandbox_payments')
            .select(['state', 'refunded_fen', 'amount_fen'])
            .where('trace_no', '=', refund.payTraceNo)
            .executeTakeFirstOrThrow();
          message =
            current.state !== 'success'
              ? `原交易状态为 ${current.state}, 不能退款`
              : `退款金额超过可退金额 (已退 ${current.refunded_fen} 分, 共 ${current.amount_fen} 分)`;
        }
      }
      const refundedAt = state === 'success' ? now : null;
      await trx
        .updateTable('sandbox_refunds')
        .set({ state, message, refunded_at: refundedAt })
        .where('refund_trace_no', '=', refund.refundTraceNo)
        .execute();
      return await trx
        .selectFrom('sandbox_refunds')
        .selectAll()
        .where('refund_trace_no', '=', refund.refundTraceNo)
        .executeTakeFirstOrThrow();
    });
    if (!row) {
      // A concurrent duplicate claimed the number: its record is the answer.
      const winner = await this.findRefund(refund.refundTraceNo);
      if (!winner) throw new Error(`sandbox refund ${refund.refundTraceNo} neither inserted nor found`);
      return this.refundResultOf(winner);
    }
    if (outcome === 'unknown' && row.state === 'success') {
      return { state: 'unknown', message: '渠道退款应答超时 (沙箱注入: unknown)' };
    }
    return this.refundResultOf(row);
  }

  async refundQuery({ traceNo: refundTraceNo }: PaymentRef): Promise<ChannelResult> {
    const row = await this.findRefund(refundTraceNo);
    // Nothing reached the channel under this number, so no money moved.
    if (!row) return { state: 'fail', message: '渠道无此退款' };
    return this.refundResultOf(await this.advanceRefund(row));
  }

  /** A processing refund completes when it is next asked about. */
  private async advanceRefund(row: SandboxRefundTable): Promise<SandboxRefundTable> {
    if (row.state !== 'pending') return row;
    const now = this.options.clock();
    await this.db
      .updateTable('sandbox_refunds')
      .set({
        state: 'success',
        queries: sql`queries + 1`,
        message: '退款成功',
        refunded_at: now,
        updated_at: now,
      })
      .where('refund_trace_no', '=', row.refund_trace_no)
      .where('state', '=', 'pending')
      .execute();
    return (await this.findRefund(row.refund_trace_no)) ?? row;
  }

  /** Tests: how the next refunds of this payment behave; null or 'success' restores the default. */
  async injectRefundOutcome(payTraceNo: string, outcome: SandboxRefundOutcome | null): Promise<void> {
    if (outcome !== null && !REFUND_OUTCOMES.includes(outcome))
      throw new Error(`unknown refund outcome ${outcome}`);
    const moved = await this.db
      .updateTable('sandbox_payments')
      .set({ refund_outcome: outcome === 'success' ? null : outcome, updated_at: this.options.clock() })
      .where('trace_no', '=', payTraceNo)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new Error(`sandbox has no payment ${payTraceNo}`);
  }

  /** The wallet page's view of a QR payment; null for an unknown token. */
  async walletView(token: string): Promise<WalletView | null> {
    const row = await this.db
      .selectFrom('sandbox_payments')
      .leftJoin('apps', 'apps.appid', 'sandbox_payments.appid')
      .selectAll('sandbox_payments')
      .select('apps.name as hospital')
      .where('sandbox_payments.token', '=', token)
      .executeTakeFirst();
    if (!row) return null;
    const refusal = this.refusalFor(row, this.options.clock());
    return {
      traceNo: row.trace_no,
      channel: row.channel,
      channelName: isChannel(row.channel) ? CHANNEL[row.channel] : row.channel,
      amountFen: row.amount_fen,
      subject: row.subject,
      hospital: row.hospital ?? null,
      state: row.state,
      wallets: walletsFor(row.channel),
      expireAt: row.expire_at,
      ...(refusal ? { refusal } : {}),
    };
  }

  /**
   * The patient pays (or fails to pay) a QR payment with a wallet; the
   * winner of the state change tells the platform, so notify runs once.
   * Without a wallet, the first one the channel accepts is used.
   */
  async payByWallet(token: string, choice: { wallet?: unknown; fail?: boolean }): Promise<WalletPayOutcome> {
    const refuse = (refusal: WalletRefusal): WalletPayOutcome => ({
      ok: false,
      refusal,
      message: REFUSAL_MESSAGE[refusal],
    });
    const row = await this.db
      .selectFrom('sandbox_payments')
      .selectAll()
      .where('token', '=', token)
      .executeTakeFirst();
    if (!row) return refuse('not_found');
    const accepted = walletsFor(row.channel);
    const wallet = choice.wallet === undefined || choice.wallet === '' ? accepted[0] : choice.wallet;
    if (!isSandboxWallet(wallet)) return refuse('bad_wallet');
    if (!accepted.includes(wallet)) {
      return {
        ok: false,
        refusal: 'wrong_wallet',
        message: `该二维码只能用${accepted.map((w) => WALLET_LABEL[w]).join('或')}支付`,
      };
    }
    const now = this.options.clock();
    const refusal = this.refusalFor(row, now);
    if (refusal) return refuse(refusal);

    const paidChannel = qrPaidChannel(row.channel, wallet);
    const changes = choice.fail
      ? { state: 'fail' as const, message: '用户支付失败 (沙箱模拟)' }
      : { state: 'success' as const, paid_channel: paidChannel, paid_at: now, message: '支付成功' };
    const moved = await this.db
      .updateTable('sandbox_payments')
      .set({ ...changes, updated_at: now })
      .where('trace_no', '=', row.trace_no)
      .where('state', '=', 'pending')
      .where('expire_at', '>', now)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) {
      // Closed, paid or expired in the instant between reading and writing.
      const after = await this.find(row.trace_no);
      return refuse((after && this.refusalFor(after, now)) ?? 'closed');
    }
    let notified = true;
    try {
      await this.options.notify(row.trace_no);
    } catch (error) {
      notified = false;
      this.options.onNotifyError?.(row.trace_no, error);
    }
    return {
      ok: true,
      traceNo: row.trace_no,
      state: changes.state,
      ...(choice.fail ? {} : { paidChannel }),
      amountFen: row.amount_fen,
      message: changes.message,
      notified,
    };
  }

  private refusalFor(row: SandboxPaymentTable, now: number): WalletRefusal | undefined {
    switch (row.state) {
      case 'success':
        return 'paid';
      case 'closed':
        return 'closed';
      case 'revoked':
        return 'revoked';
      case 'fail':
        return 'failed';
      case 'pending':
        return row.expire_at <= now ? 'expired' : undefined;
    }
  }

  private find(traceNo: string): Promise<SandboxPaymentTable | undefined> {
    return this.db
      .selectFrom('sandbox_payments')
      .selectAll()
      .where('trace_no', '=', traceNo)
      .executeTakeFirst();
  }

  private findRefund(refundTraceNo: string): Promise<SandboxRefundTable | undefined> {
    return this.db
      .selectFrom('sandbox_refunds')
      .selectAll()
      .where('refund_trace_no', '=', refundTraceNo)
      .executeTakeFirst();
  }

  private resultOf(row: SandboxPaymentTable): ChannelResult {
    const paid = row.state === 'success' || (row.state === 'revoked' && row.paid_at !== null);
    return {
      state: row.state,
      channelTradeNo: row.channel_trade_no,
      ...(paid && row.paid_channel ? { paidChannel: row.paid_channel } : {}),
      ...(paid && row.paid_at !== null ? { paidAt: row.paid_at } : {}),
      ...(row.token ? { qrcode: this.qrUrl(row.token) } : {}),
      ...(row.result_extra ? { extra: JSON.parse(row.result_extra) as Record<string, string> } : {}),
      ...(row.message ? { message: row.message } : {}),
    };
  }

  private refundResultOf(row: SandboxRefundTable): ChannelResult {
    return {
      state: row.state,
      channelTradeNo: row.channel_refund_no,
      ...(row.message ? { message: row.message } : {}),
      ...(row.refunded_at !== null ? { paidAt: row.refunded_at } : {}),
    };
  }
}

function tombstone(
  traceNo: string,
  channel: string,
  state: 'closed' | 'revoked',
  now: number,
): SandboxPaymentTable {
  return {
    trace_no: traceNo,
    appid: '',
    channel,
    amount_fen: 0,
    subject: '',
    term_no: '',
    token: null,
    state,
    scenario: 'tombstone',
    queries: 0,
    paid_channel: null,
    channel_trade_no: `SBX${beijing14(now)}${randomId(5)}`,
    pos_no: null,
    result_extra: null,
    message: state === 'closed' ? '交易已关闭' : '交易已撤销',
    refunded_fen: 0,
    refund_outcome: null,
    expire_at: now,
    paid_at: null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * POS: the card is "swiped" at once. The card number is masked as the POS
 * library returns it; `extra.sandboxCardType` = '贷记卡' plays a credit card.
 */
function posPlan(payment: ChannelPayment, now: number): Partial<SandboxPaymentTable> {
  const given = payment.extra['PosNo'] ?? payment.extra['posNo'];
  // The spec lets PosNo be empty; a desk with one terminal means terminal 1.
  const posNo = given === undefined || given === '' ? '1' : given;
  if (posNo !== '1' && posNo !== '2') {
    return { state: 'fail', scenario: 'declined', message: `POS 终端号 ${String(posNo)} 不存在 (只有 1, 2)` };
  }
  const credit = payment.extra['sandboxCardType'] === '贷记卡';
  // Last four digits from the trace number: stable for one payment, different between payments.
  const digest = createHash('sha256').update(payment.traceNo).digest();
  const last4 = String(digest.readUInt32BE(0) % 10_000).padStart(4, '0');
  const card = credit
    ? { BankCardNo: `6225****${last4}`, posIssuingBank: '招商银行', BankCardType: '贷记卡' }
    : { BankCardNo: `6222****${last4}`, posIssuingBank: '中国工商银行', BankCardType: '借记卡' };
  return {
    state: 'success',
    scenario: 'instant',
    paid_channel: 'POS',
    paid_at: now,
    pos_no: posNo,
    result_extra: JSON.stringify(card),
    message: `${posNo} 号终端刷卡成功`,
  };
}
