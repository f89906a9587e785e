import type { ParamOf } from '../../../protocol/catalog/index.js';
import type { App } from '../../apps/registry.js';
import type { PatientInput } from '../../ledger/accounts-open.js';
import type { Platform } from '../../platform.js';
import type { OrderKind, OrderTable } from '../../store/index.js';
import { newTraceNo } from '../orders.js';
import type { RechargeDetail } from './detail.js';

/** When an unpaid order made now expires: the app's own setting, or the platform's. */
export function orderExpiry(platform: Platform, app: App, now: number): number {
  return now + (app.config.orderTtlMinutes ?? platform.settings.orderTtlMinutes) * 60_000;
}

interface NewPayment {
  readonly kind: Extract<OrderKind, 'recharge' | 'recpay'>;
  readonly outNo: string;
  readonly requestHash: string;
  readonly amountFen: number;
  readonly channel: string;
  readonly patient: PatientInput;
  /** The request as validated: a recharge's, or an exam bill's (recpay). */
  readonly param: ParamOf<'hop.trade.recharge'> | ParamOf<'hop.trade.recpay'>;
  readonly subject: string;
  readonly now: number;
  readonly accountNo?: string | null;
  /** Kept in the detail beside the rest (an exam bill's total). */
  readonly more?: Readonly<Record<string, unknown>>;
}

/**
 * The order of a payment taken through a channel (a recharge, an exam bill),
 * not yet stored: the one place its row and detail are made. The detail keeps
 * the patient and the request with their ID and phone numbers sealed
 * (privacy/patient-data.ts).
 */
export function newPaymentOrder(
  platform: Platform,
  app: App,
  p: NewPayment,
): { order: OrderTable; detail: RechargeDetail } {
  const numbers = platform.patientData;
  const sealed = new Map<string, string>();
  const detail: RechargeDetail = {
    patient: numbers.sealFields(p.patient, sealed),
    subject: p.subject,
    param: numbers.sealFields(p.param, sealed),
    history: [{ at: p.now, event: 'created' }],
  };
  const order: OrderTable = {
    trace_no: newTraceNo(p.now),
    appid: app.appid,
    kind: p.kind,
    out_no: p.outNo,
    request_hash: p.requestHash,
    state: 'ing',
    amount_fen: p.amountFen,
    channel: p.channel,
    account_no: p.accountNo ?? null,
    orig_trace_no: null,
    refunded_fen: 0,
    answer: null,
    detail: JSON.stringify({ ...detail, ...p.more }),
    term_no: p.param.termNo,
    created_at: p.now,
    updated_at: p.now,
    finished_at: null,
    expire_at: orderExpiry(platform, app, p.now),
  };
  return { order, detail };
}
