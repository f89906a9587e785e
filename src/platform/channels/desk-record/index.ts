import type { Kysely } from 'kysely';
import { channelsOfKind, kindOf } from '../../../protocol/channels.js';
import { maskNumber } from '../../log/mask.js';
import type { DeskPaymentTable, Schema, Store } from '../../store/index.js';
import type { ChannelAdapter, ChannelPayment, ChannelRefund, ChannelResult, PaymentRef } from '../types.js';

/** The slip fields a POS payment reports (the spec's response extra), plus the terminal's reference number. */
const SLIP_FIELDS = ['BankCardNo', 'posIssuingBank', 'BankCardType', 'posRefNo'] as const;

/**
 * Cash and POS for live apps. The money is counted at the desk or taken on
 * the bank's own terminal: no payment network is reached from here. The
 * platform records what the operator (or the HIS driving the terminal)
 * reported — amount, terminal, the slip with the card masked — so the order,
 * its refunds and the day's reconciliation have a record to stand on. A
 * refund is recorded here and paid out by the operator (cash from the
 * drawer, a refund on the POS terminal); never more than was paid.
 */
export class DeskRecordChannels implements ChannelAdapter {
  readonly channels: readonly string[] = [...channelsOfKind('cash'), ...channelsOfKind('pos')];
  private readonly db: Kysely<Schema>;

  constructor(
    store: Store,
    private readonly clock: () => number = Date.now,
  ) {
    this.db = store.db;
  }

  async pay(payment: ChannelPayment): Promise<ChannelResult> {
    const kind = kindOf(payment.channel);
    if (kind !== 'cash' && kind !== 'pos')
      return { state: 'fail', message: `柜台记录不受理渠道 ${payment.channel}` };
    const slip = kind === 'pos' ? slipOf(payment.extra) : undefined;
    await this.db
      .insertInto('desk_payments')
      .values({
        trace_no: payment.traceNo,
        appid: payment.appid,
        channel: payment.channel,
        amount_fen: payment.amountFen,
        refunded_fen: 0,
        term_no: payment.termNo,
        slip: slip ? JSON.stringify(slip) : null,
        paid_at: this.clock(),
      })
      // The same trace number is the same payment: its first record stands.
      .onConflict((oc) => oc.column('trace_no').doNothing())
      .execute();
    return this.query(payment);
  }

  async query(ref: PaymentRef): Promise<ChannelResult> {
    const row = await this.find(ref);
    // Nothing was recorded under this number, so nothing was taken at the desk.
    if (!row) return { state: 'fail', message: '柜台无此收款记录' };
    return paidResult(row);
  }

  /** A desk payment is taken the moment it is recorded: there is nothing unpaid to close. */
  async close(ref: PaymentRef): Promise<ChannelResult> {
    const row = await this.find(ref);
    return row ? paidResult(row) : { state: 'closed', message: '柜台无此收款记录' };
  }

  /** Cancel (撤销) gives back whatever is not yet refunded, recorded for the operator to pay out. */
  async cancel(ref: PaymentRef): Promise<ChannelResult> {
    const row = await this.find(ref);
    if (!row) return { state: 'revoked', message: '柜台无此收款记录' };
    const left = Number(row.amount_fen) - Number(row.refunded_fen);
    if (left > 0) {
      await this.refund({
        refundTraceNo: `${row.trace_no}C`,
        payTraceNo: row.trace_no,
        appid: row.appid,
        channel: row.channel,
        amountFen: left,
        totalFen: Number(row.amount_fen),
        reason: '撤销',
      });
    }
    return { state: 'revoked', message: '已撤销, 请按原方式退还患者' };
  }

  async refund(refund: ChannelRefund): Promise<ChannelResult> {
    const recorded = await this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('desk_refunds')
        .selectAll()
        .where('refund_trace_no', '=', refund.refundTraceNo)
        .executeTakeFirst();
      if (existing) return existing.state;
      // Guarded in the statement itself, so concurrent refunds cannot together exceed the payment.
      const moved = await trx
        .updateTable('desk_payments')
        .set((eb) => ({ refunded_fen: eb('refunded_fen', '+', refund.amountFen) }))
        .where('trace_no', '=', refund.payTraceNo)
        .where('appid', '=', refund.appid)
        .where((eb) => eb(eb('refunded_fen', '+', refund.amountFen), '<=', eb.ref('amount_fen')))
        .executeTakeFirst();
      const state = Number(moved.numUpdatedRows) === 1 ? 'success' : 'fail';
      await trx
        .insertInto('desk_refunds')
        .values({
          refund_trace_no: refund.refundTraceNo,
          pay_trace_no: refund.payTraceNo,
          appid: refund.appid,
          amount_fen: refund.amountFen,
          state,
          created_at: this.clock(),
        })
        .execute();
      return state;
    });
    return refundResult(recorded);
  }

  async refundQuery(ref: PaymentRef): Promise<ChannelResult> {
    const row = await this.db
      .selectFrom('desk_refunds')
      .select('state')
      .where('refund_trace_no', '=', ref.traceNo)
      .where('appid', '=', ref.appid)
      .executeTakeFirst();
    // No record under this number: no refund was ever made.
    return row ? refundResult(row.state) : { state: 'fail', message: '柜台无此退款记录' };
  }

  private find(ref: PaymentRef): Promise<DeskPaymentTable | undefined> {
    return this.db
      .selectFrom('desk_payments')
      .selectAll()
      .where('trace_no', '=', ref.traceNo)
      .where('appid', '=', ref.appid)
      .executeTakeFirst();
  }
}

function slipOf(extra: Readonly<Record<string, unknown>>): Record<string, string> | undefined {
  const slip: Record<string, string> = {};
  for (const field of SLIP_FIELDS) {
    const value = extra[field];
    if (typeof value === 'string' && value !== '')
      slip[field] = field === 'BankCardNo' ? maskNumber(value) : value;
  }
  return Object.keys(slip).length > 0 ? slip : undefined;
}

function paidResult(row: DeskPaymentTable): ChannelResult {
  return {
    state: 'success',
    paidChannel: row.channel,
    channelTradeNo: `DESK${row.trace_no}`,
    paidAt: Number(row.paid_at),
    message: kindOf(row.channel) === 'pos' ? 'POS 刷卡已记录' : '现金已收讫',
    ...(row.slip ? { extra: JSON.parse(row.slip) as Record<string, string> } : {}),
  };
}

function refundResult(state: string): ChannelResult {
  return state === 'success'
    ? { state: 'success', message: '退款已记录, 请按原方式退还患者' }
    : { state: 'fail', message: '退款金额超过可退金额' };
}
