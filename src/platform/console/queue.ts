import { sql } from 'kysely';
import { clearingAccount, refundingAccount, transfer } from '../ledger/journal.js';
import type { Platform } from '../platform.js';
import { groupCommit } from '../store/group-commit.js';
import type { OrderTable } from '../store/index.js';
import { orderDetail, updateOrder } from '../trades/orders.js';
import { refundAnswer } from '../trades/refund/answer.js';
import { appendAudit } from './audit.js';
import { type ConsoleDb, consoleDb } from './tables.js';

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
  payOffline: '确认已线下付出',
  writeOff: '核销',
} as const;
type CaseAction = keyof typeof CASE_ACTIONS;

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
 * Which decisions fit a case. Money still held for a refund can only leave
 * by being paid out (the person says how, with the reference). A refund or
 * cancel with nothing held is closed by a written reason and moves no money.
 * A recharge the HIS refused whose refund by the original route did not go
 * through holds the patient's money in the channel's clearing account: no
 * reason can settle that, so the console offers nothing (docs/operations.md).
 */
function actionsFor(order: OrderTable, inFlightFen: number): CaseAction[] {
  if (inFlightFen > 0) return order.kind === 'refund' && order.state === 'exp' ? ['payOffline'] : [];
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
    actions: actionsFor(order, inFlightFen),
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

async function manualCase(db: ConsoleDb, traceNo: string): Promise<ManualCase | undefined> {
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

type CaseOutcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

interface Decision {
  readonly traceNo: string;
  readonly action: CaseAction;
  readonly note: string;
  readonly reference: string;
  readonly payoutChannel?: 'BANK_TRANSFER' | 'CASH';
  readonly actor: string;
  readonly peer: string;
  readonly now: number;
}

type Trx = Parameters<Parameters<ReturnType<typeof groupCommit>['run']>[0]>[0];

/** The refund's reserved money was paid out by hand: the order and the journal say so, inside the decision's transaction. */
async function paidOutByHand(trx: Trx, found: ManualCase, d: Decision): Promise<string | null> {
  const { order } = found;
  // What is held is what the refund reserved; anything else is a ledger a person must look at first.
  if (found.inFlightFen !== order.amount_fen) return '在途金额与退款金额不符, 请先核对账务';
  const channel = d.payoutChannel ?? 'BANK_TRANSFER';
  const answer = refundAnswer({
    refundTraceNo: order.trace_no,
    outRefundNo: order.out_no,
    channel,
    succFen: order.amount_fen,
    at: d.now,
  });
  const detail = orderDetail(order);
  const history = Array.isArray(detail['history']) ? detail['history'] : [];
  const update = {
    state: 'succ' as const,
    answer,
    finishedAt: d.now,
    detail: {
      ...detail,
      manual: false,
      paidOffline: { channel, reference: d.reference, by: d.actor },
      history: [...history, { at: d.now, event: `paid out by hand: ${channel} ${d.reference} (${d.actor})` }],
    },
  };
  if (!(await updateOrder(trx, order.trace_no, ['exp'], update, d.now)))
    return '订单状态已变化, 请刷新后重试';
  await transfer(trx, {
    traceNo: order.trace_no,
    appid: order.appid,
    debit: refundingAccount(order.trace_no),
    credit: clearingAccount(channel, order.term_no),
    amountFen: found.inFlightFen,
    memo: `refund paid out by hand (${channel} ${d.reference})`,
    now: d.now,
  });
  return null;
}

/**
 * A person's decision on one case, in one transaction with its audit line
 * and the case's row (whose key makes a second decision impossible).
 * - payOffline: the refund's reserved money was paid out by hand; it leaves
 *   `refunding:` for the clearing account of how it went (BANK_TRANSFER or
 *   CASH), the order becomes `succ` and a query answers the refund as done.
 *   Guarded on the order still being `exp` and on the amount still held,
 *   read in the same transaction.
 * - writeOff: nothing is held; the reason is recorded and the case leaves
 *   the queue. The order keeps its state and answer: no money moves.
 */
export async function resolveCase(platform: Platform, d: Decision): Promise<CaseOutcome> {
  const decision = { ...d, note: d.note.trim(), reference: d.reference.trim() };
  if (decision.note === '') return { ok: false, message: '须填写处理说明' };
  if (decision.action === 'payOffline' && decision.reference === '')
    return { ok: false, message: '须填写付款凭证号 (转账流水号)' };
  return groupCommit(platform.store).run(async (trx) => {
    const db = consoleDb(trx);
    const found = await manualCase(db, decision.traceNo);
    if (!found) return { ok: false, message: '该订单不在待人工处理队列中 (可能已被他人处理)' };
    if (!found.actions.includes(decision.action))
      return { ok: false, message: `此案例不能${CASE_ACTIONS[decision.action]}` };
    if (decision.action === 'payOffline') {
      const refused = await paidOutByHand(trx, found, decision);
      if (refused) return { ok: false, message: refused };
    }
    const { order } = found;
    const movedTo = decision.action === 'writeOff' ? order.state : 'succ';
    await db
      .insertInto('console_cases')
      .values({
        trace_no: order.trace_no,
        resolution: decision.action,
        note: decision.note,
        reference: decision.reference,
        resolved_by: decision.actor,
        resolved_at: decision.now,
      })
      .execute();
    await appendAudit(db, {
      actor: decision.actor,
      action: `case.${decision.action}`,
      target: `order:${order.trace_no}`,
      before: { state: order.state, respCode: found.respCode, inFlightFen: found.inFlightFen },
      after: {
        state: movedTo,
        note: decision.note,
        ...(decision.reference ? { reference: decision.reference } : {}),
        ...(decision.action === 'payOffline' ? { channel: decision.payoutChannel ?? 'BANK_TRANSFER' } : {}),
      },
      peer: decision.peer,
      at: decision.now,
    });
    return { ok: true };
  });
}
