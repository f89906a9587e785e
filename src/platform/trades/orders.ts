import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { canonicalJson } from '../../protocol/canonical-json.js';
import type { Answer } from '../../protocol/codes.js';
import { freshBytes } from '../../protocol/random.js';
import { beijing14 } from '../../protocol/time.js';
import type { PaymentRef } from '../channels/types.js';
import type { PatientData } from '../privacy/patient-data.js';
import { ORDER_COLUMNS } from '../store/columns.js';
import { compiledOnce } from '../store/compiled.js';
import type { OrderKind, OrderState, OrderTable, Schema } from '../store/index.js';

type Db = Kysely<Schema> | Transaction<Schema>;

const TRACE_SUFFIX_SPACE = 2 ** 48;
/** Starts anywhere in 48 bits, so two processes' counters meeting within one second is as unlikely as random. */
let traceCounter = freshBytes(6).readUIntBE(0, 6);

/**
 * Platform trace number: Beijing time + 12 hex digits, 26 characters (the
 * spec allows 32), unique. The 12 digits count up from a random start in each
 * process rather than being drawn afresh, so each new order lands at the end
 * of the indexes keyed by its number (orders, journal) instead of on a random
 * page: a random page per order was a third of a recharge's commit
 * (docs/benchmarks.md). Not a secret: nothing is authorised by knowing one.
 */
export function newTraceNo(now: number): string {
  traceCounter = (traceCounter + 1) % TRACE_SUFFIX_SPACE;
  return `${beijing14(now)}${traceCounter.toString(16).padStart(12, '0')}`;
}

/**
 * What makes two requests "the same" for idempotency: every business field.
 * Operator and terminal are left out: a cashier retrying from the next
 * window is still the same payment. ID and phone numbers enter as their
 * keyed hash, so the stored hash gives no way to guess them.
 */
export function requestHash(param: Record<string, unknown>, numbers: PatientData): string {
  return hashOfRequest(numbers.hashableFields(param));
}

/** The hash orders were stored with before numbers were hashed in (privacy/seal-existing.ts re-keys them). */
export function legacyRequestHash(param: Record<string, unknown>): string {
  return hashOfRequest(param);
}

function hashOfRequest(param: Record<string, unknown>): string {
  const { operatorId: _o, operatorName: _n, termNo: _t, notes: _x, ...business } = param;
  return createHash('sha256').update(canonicalJson(business)).digest('hex').slice(0, 32);
}

const byOutNo = compiledOnce(['appid', 'kind', 'outNo'], (db, slot) =>
  db
    .selectFrom('orders')
    .select(ORDER_COLUMNS)
    .where('appid', '=', slot.appid)
    .where('kind', '=', slot.kind)
    .where('out_no', '=', slot.outNo),
);

export async function findOrderByOutNo(
  db: Db,
  appid: string,
  kind: OrderKind,
  outNo: string,
): Promise<OrderTable | undefined> {
  return (await byOutNo(db, { appid, kind, outNo })).rows[0];
}

const byTraceNo = compiledOnce(['appid', 'traceNo'], (db, slot) =>
  db
    .selectFrom('orders')
    .select(ORDER_COLUMNS)
    .where('trace_no', '=', slot.traceNo)
    .where('appid', '=', slot.appid),
);

export async function findOrder(db: Db, appid: string, traceNo: string): Promise<OrderTable | undefined> {
  return (await byTraceNo(db, { appid, traceNo })).rows[0];
}

const insertOrderRow = compiledOnce(ORDER_COLUMNS, (db, slot) =>
  db
    .insertInto('orders')
    .values(slot)
    .onConflict((oc) => oc.columns(['appid', 'kind', 'out_no']).doNothing()),
);

/** Claims the merchant number: false when another request holds it already. */
export async function insertOrder(db: Db, row: OrderTable): Promise<boolean> {
  const result = await insertOrderRow(db, row);
  return Number(result.numAffectedRows ?? 0n) === 1;
}

/**
 * A failed payment gives its merchant number back, so the HIS can pay again
 * under it (the spec: pay again with the original number). The failed attempt
 * keeps its trace number, journal and history, renamed `<outNo>#<traceNo>`,
 * which no request can name. Only from "fail": nothing was taken, or it went
 * back; paid, open, closed and refunded numbers stay taken.
 */
export async function retireFailedOrder(db: Db, order: OrderTable, now: number): Promise<boolean> {
  const result = await db
    .updateTable('orders')
    .set({ out_no: `${order.out_no}#${order.trace_no}`, updated_at: now })
    .where('trace_no', '=', order.trace_no)
    .where('state', '=', 'fail')
    .where('out_no', '=', order.out_no)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface OrderUpdate {
  readonly state: OrderState;
  readonly answer?: Answer;
  readonly detail?: Record<string, unknown>;
  readonly finishedAt?: number;
  readonly refundedFen?: number;
}

/**
 * Moves an order on, but only from the state the caller saw: two processes
 * finishing the same order cannot both win. Returns whether it moved.
 */
export async function updateOrder(
  db: Db,
  traceNo: string,
  from: readonly OrderState[],
  update: OrderUpdate,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('orders')
    .set({
      state: update.state,
      updated_at: now,
      ...(update.answer ? { answer: JSON.stringify(update.answer) } : {}),
      ...(update.detail ? { detail: JSON.stringify(update.detail) } : {}),
      ...(update.finishedAt !== undefined ? { finished_at: update.finishedAt } : {}),
      ...(update.refundedFen !== undefined ? { refunded_fen: update.refundedFen } : {}),
    })
    .where('trace_no', '=', traceNo)
    .where('state', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** What every order's detail may hold, whatever its kind; each kind's reader adds its own (pay/detail.ts, refund/detail.ts, recpay/detail.ts). */
export interface StoredDetail {
  /** The wallet that paid (a payment), or the original payment's (a refund). */
  paidChannel?: string;
  resultDesc?: string;
  /** Left for a person to decide. */
  manual?: boolean;
  history?: { at: number; event: string }[];
  [key: string]: unknown;
}

/** The one place an order's stored detail is parsed; the kinds' readers type it further. */
export function orderDetail(order: Pick<OrderTable, 'detail'>): StoredDetail {
  return JSON.parse(order.detail) as StoredDetail;
}

/** How a channel names this order's payment: the app, the trace number, the channel code. */
export function paymentRef(order: Pick<OrderTable, 'appid' | 'trace_no' | 'channel'>): PaymentRef {
  return { appid: order.appid, traceNo: order.trace_no, channel: order.channel };
}
