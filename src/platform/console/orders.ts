import { sql } from 'kysely';
import type { OrderKind, OrderState, OrderTable } from '../store/index.js';
import type { ConsoleDb } from './tables.js';

interface OrderSearch {
  /** Any number: traceNo, outChargeNo/outRefundNo…, the original's trace, the channel's trade number, the HIS's number. */
  readonly number?: string;
  readonly cardNo?: string;
  /** Beijing calendar day, YYYY-MM-DD. */
  readonly day?: string;
  readonly channel?: string;
  readonly state?: string;
  readonly kind?: string;
  readonly termNo?: string;
  /** The HIS's operatorId of the request, read from the order's detail. */
  readonly operatorId?: string;
  readonly limit?: number;
}

const STATES: readonly OrderState[] = ['init', 'ing', 'succ', 'fail', 'exp', 'closed'];
const KINDS: readonly OrderKind[] = ['recharge', 'refund', 'recpay', 'cancel'];
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The epoch range of one Beijing day, or undefined when the text is no calendar day. */
export function beijingDay(day: string): { from: number; to: number } | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(utcMidnight) || new Date(utcMidnight).toISOString().slice(0, 10) !== day) return undefined;
  const from = utcMidnight - BEIJING_OFFSET_MS;
  return { from, to: from + 86_400_000 };
}

/** `%` and `_` are LIKE's wildcards; a number containing them is matched literally. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Orders matching every criterion given, newest first. A number is looked
 * for in the order's own columns and, as an exact JSON string, in its detail
 * (the channel's trade number, the HIS's numbers live there): the detail
 * match scans, so it is bounded by the other criteria and the limit.
 */
export async function searchOrders(db: ConsoleDb, search: OrderSearch): Promise<OrderTable[]> {
  let q = db
    .selectFrom('orders')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(Math.min(Math.max(search.limit ?? 100, 1), 500));
  const number = search.number?.trim();
  if (number) {
    const inDetail = `%"${likeLiteral(number)}"%`;
    q = q.where((eb) =>
      eb.or([
        eb('trace_no', '=', number),
        eb('out_no', '=', number),
        eb('orig_trace_no', '=', number),
        sql<boolean>`detail like ${inDetail} escape '\\'`,
      ]),
    );
  }
  const cardNo = search.cardNo?.trim();
  if (cardNo) {
    q = q.where(
      'account_no',
      'in',
      db.selectFrom('accounts').select('account_no').where('card_no', '=', cardNo),
    );
  }
  const day = search.day ? beijingDay(search.day) : undefined;
  if (day) q = q.where('created_at', '>=', day.from).where('created_at', '<', day.to);
  if (search.channel) q = q.where('channel', '=', search.channel);
  if (search.state && (STATES as readonly string[]).includes(search.state))
    q = q.where('state', '=', search.state as OrderState);
  if (search.kind && (KINDS as readonly string[]).includes(search.kind))
    q = q.where('kind', '=', search.kind as OrderKind);
  if (search.termNo) q = q.where('term_no', '=', search.termNo);
  const operatorId = search.operatorId?.trim();
  if (operatorId) {
    const asSent = `%"operatorId":"${likeLiteral(operatorId)}"%`;
    q = q.where(sql<boolean>`detail like ${asSent} escape '\\'`);
  }
  return q.execute();
}

export interface OrderHistory {
  readonly order: OrderTable;
  /** The order it reverses, for a refund or cancel. */
  readonly original: OrderTable | undefined;
  /** Refunds and cancels of this order. */
  readonly reversals: OrderTable[];
  /** Journal entries of this order and of its reversals. */
  readonly journal: {
    trace_no: string;
    debit: string;
    credit: string;
    amount_fen: number;
    memo: string;
    created_at: number;
  }[];
  readonly audit: {
    at: number;
    actor: string;
    action: string;
    before: string | null;
    after: string | null;
  }[];
  readonly resolution:
    | { resolution: string; note: string; reference: string; resolved_by: string; resolved_at: number }
    | undefined;
}

/** Everything known of one order: itself, what it reverses or what reverses it, its money and what people did to it. */
export async function orderHistory(db: ConsoleDb, traceNo: string): Promise<OrderHistory | undefined> {
  const order = await db.selectFrom('orders').selectAll().where('trace_no', '=', traceNo).executeTakeFirst();
  if (!order) return undefined;
  const original = order.orig_trace_no
    ? await db.selectFrom('orders').selectAll().where('trace_no', '=', order.orig_trace_no).executeTakeFirst()
    : undefined;
  const reversals = await db
    .selectFrom('orders')
    .selectAll()
    .where('orig_trace_no', '=', traceNo)
    .orderBy('created_at')
    .execute();
  const traces = [traceNo, ...reversals.map((r) => r.trace_no)];
  const journal = await db
    .selectFrom('transfers')
    .select(['trace_no', 'debit', 'credit', 'amount_fen', 'memo', 'created_at'])
    .where('trace_no', 'in', traces)
    .orderBy('id')
    .execute();
  const audit = await db
    .selectFrom('console_audit')
    .select(['at', 'actor', 'action', 'before', 'after'])
    .where('target', '=', `order:${traceNo}`)
    .orderBy('id')
    .execute();
  const resolution = await db
    .selectFrom('console_cases')
    .select(['resolution', 'note', 'reference', 'resolved_by', 'resolved_at'])
    .where('trace_no', '=', traceNo)
    .executeTakeFirst();
  return { order, original, reversals, journal, audit, resolution };
}
