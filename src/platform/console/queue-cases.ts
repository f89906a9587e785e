import { sql } from 'kysely';
import { refundingAccount } from '../ledger/journal.js';
import type { OrderTable } from '../store/index.js';
import { orderDetail } from '../trades/orders.js';
import type { ConsoleDb } from './tables.js';

/**
 * The manual-handling queue: orders the platform marked `manual: true` (the
 * spec's 040017, 040018, 040023, 040036, 040037, 040041 paths, a recharge the
 * HIS refused whose automatic refund did not go through, a refund the sweep
 * would not resume) that no person has decided yet.
 */
export interface ManualCase {
  readonly order: OrderTable;
  readonly respCode: string;
  readonly respMsg: string;
  readonly why: string;
  /** Money reserved for this refund and not yet paid out or given back (fen). */
  readonly inFlightFen: number;
  readonly actions: readonly CaseAction[];
}

/** What a person may decide, with the words the console shows for each. */
export const CASE_ACTIONS = {
  retryChannel: '重新提交渠道退款',
  askHis: '再次请求 HIS 确认',
  refundOriginalRoute: '原路退回',
  transferDone: '确认已银行转账',
  payOffline: '确认已线下付出',
  giveBack: '确认 HIS 未扣减, 退回预交金',
  writeOff: '核销',
} as const;
export type CaseAction = keyof typeof CASE_ACTIONS;

export function isCaseAction(value: unknown): value is CaseAction {
  return typeof value === 'string' && Object.hasOwn(CASE_ACTIONS, value);
}

const MANUAL_MARK = '%"manual":true%';

/** Credits − debits of `refunding:<trace>`: what this refund still holds. */
async function inFlight(db: ConsoleDb, traceNo: string): Promise<number> {
  const account = refundingAccount(traceNo);
  const row = await db
    .selectFrom('transfers')
    .select([
      sql<number>`coalesce(sum(case when credit = ${account} then amount_fen else 0 end), 0)`.as('credits'),
      sql<number>`coalesce(sum(case when debit = ${account} then amount_fen else 0 end), 0)`.as('debits'),
    ])
    .where('trace_no', '=', traceNo)
    .executeTakeFirstOrThrow();
  return Number(row.credits) - Number(row.debits);
}

/**
 * Which decisions fit a case (docs/operations.md):
 * - a withdrawMode 2 refund waiting for its bank transfer: only finance's
 *   confirmation of the transfer finishes it;
 * - 040036 (the HIS refunded, the channel refused): the channel again under
 *   the same refund number, or paid out by hand;
 * - 040017 (paid out, the HIS refused the confirmation): the HIS again, or
 *   written off once the HIS was put right by hand;
 * - 040041 (the HIS's refund step gave no answer): once finance has looked in
 *   the HIS, paid out by hand (the HIS did deduct) or given back to the
 *   deposit's holder (it did not), the refund then failed;
 * - a recharge the HIS refused whose refund by the original route did not
 *   go through: the channel again, under the same refund number;
 * - other money still held for a refund can only leave by being paid out by
 *   hand (the person says how, with the reference);
 * - a refund or cancel with nothing held is closed by a written reason.
 */
function actionsFor(order: OrderTable, respCode: string, inFlightFen: number): CaseAction[] {
  const detail = orderDetail(order);
  const refundExp = order.kind === 'refund' && order.state === 'exp';
  if (refundExp && detail['awaitingTransfer'] === true) return inFlightFen > 0 ? ['transferDone'] : [];
  if (refundExp && respCode === '040036' && inFlightFen > 0) return ['retryChannel', 'payOffline'];
  if (refundExp && respCode === '040017' && inFlightFen === 0) return ['askHis', 'writeOff'];
  if (refundExp && respCode === '040041' && inFlightFen > 0) return ['payOffline', 'giveBack'];
  if (order.kind === 'recharge' && order.state === 'exp')
    return detail['autoRefund'] === 'fail' || detail['autoRefund'] === 'unknown'
      ? ['refundOriginalRoute']
      : [];
  if (inFlightFen > 0) return refundExp ? ['payOffline'] : [];
  return order.kind === 'refund' || order.kind === 'cancel' ? ['writeOff'] : [];
}

function describe(order: OrderTable, inFlightFen: number): ManualCase {
  const answer = order.answer ? (JSON.parse(order.answer) as { respCode?: string; respMsg?: string }) : {};
  const detail = orderDetail(order);
  const respCode = answer.respCode ?? '';
  return {
    order,
    respCode,
    respMsg: answer.respMsg ?? '',
    why: typeof detail['resultDesc'] === 'string' ? detail['resultDesc'] : '',
    inFlightFen,
    actions: actionsFor(order, respCode, inFlightFen),
  };
}

export async function manualCases(db: ConsoleDb, limit = 200): Promise<ManualCase[]> {
  const orders = await db
    .selectFrom('orders')
    .selectAll()
    .where('state', 'in', ['exp', 'fail'])
    .where(sql<boolean>`detail like ${MANUAL_MARK}`)
    .where('trace_no', 'not in', db.selectFrom('console_cases').select('trace_no'))
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return Promise.all(orders.map(async (o) => describe(o, await inFlight(db, o.trace_no))));
}

export async function manualCase(db: ConsoleDb, traceNo: string): Promise<ManualCase | undefined> {
  const order = await db
    .selectFrom('orders')
    .selectAll()
    .where('trace_no', '=', traceNo)
    .where('state', 'in', ['exp', 'fail'])
    .where(sql<boolean>`detail like ${MANUAL_MARK}`)
    .where('trace_no', 'not in', db.selectFrom('console_cases').select('trace_no'))
    .executeTakeFirst();
  return order ? describe(order, await inFlight(db, order.trace_no)) : undefined;
}

/** A refusal says why; a decision carried out may say how the trade it ran ended. */
export type CaseOutcome =
  | { readonly ok: true; readonly message?: string }
  | { readonly ok: false; readonly message: string };

export interface Decision {
  readonly traceNo: string;
  readonly action: CaseAction;
  readonly note: string;
  readonly reference: string;
  readonly payoutChannel?: 'BANK_TRANSFER' | 'CASH';
  readonly actor: string;
  readonly peer: string;
  readonly now: number;
}
