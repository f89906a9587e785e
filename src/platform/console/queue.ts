import { sql } from 'kysely';
import { clearingAccount, refundingAccount, transfer } from '../ledger/journal.js';
import { groupCommit } from '../store/group-commit.js';
import type { OrderTable, Store } from '../store/index.js';
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

export const CASE_ACTIONS = {
  payOffline: '已线下付出 (银行转账 / 现金), 填写凭证号',
  writeOff: '核销: 已人工处理, 填写原因',
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
 * Which decisions fit a case. Money still held for a refund can only leave
 * by being paid out (the person says how, with the reference); a case with
 * nothing held is closed by a written reason, and moves no money.
 */
function actionsFor(order: OrderTable, inFlightFen: number): CaseAction[] {
  if (inFlightFen > 0) return order.kind === 'refund' && order.state === 'exp' ? ['payOffline'] : [];
  return ['writeOff'];
}

function describe(order: OrderTable, inFlightFen: number): ManualCase {
  const answer = order.answer ? (JSON.parse(order.answer) as { respCode?: string; respMsg?: string }) : {};
  const detail = orderDetail(order);
  return {
    order,
    respCode: answer.respCode ?? '',
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

export type CaseOutcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * A person's decision on one case, in one transaction with its audit line
 * and the case's row (whose key makes a second decision impossible).
 * - payOffline: the refund's reserved money was paid out by hand; it leaves
 *   `refunding:` for the clearing account of how it went
 *   (BANK_TRANSFER or CASH), the order becomes `succ` and a query answers
 *   the refund as done. Guarded on the order still being `exp` and on the
 *   amount still held, read in the same transaction.
 * - writeOff: nothing is held; the reason is recorded and the case leaves
 *   the queue. The order keeps its state and answer: no money moves.
 */
export async function resolveCase(
  store: Store,
  input: {
    traceNo: string;
    action: CaseAction;
    note: string;
    reference: string;
    payoutChannel?: 'BANK_TRANSFER' | 'CASH';
    actor: string;
    peer: string;
    now: number;
  },
): Promise<CaseOutcome> {
  const note = input.note.trim();
  const reference = input.reference.trim();
  if (note === '') return { ok: false, message: '须填写处理说明' };
  if (input.action === 'payOffline' && reference === '')
    return { ok: false, message: '须填写付款凭证号 (转账流水号)' };
  return groupCommit(store).run(async (trx) => {
    const db = consoleDb(trx);
    const found = await manualCase(db, input.traceNo);
    if (!found) return { ok: false, message: '该订单不在待人工处理队列中 (可能已被他人处理)' };
    if (!found.actions.includes(input.action))
      return { ok: false, message: `此案例不能${CASE_ACTIONS[input.action].split(':')[0]}` };
    const { order } = found;
    const channel = input.payoutChannel ?? 'BANK_TRANSFER';
    if (input.action === 'payOffline') {
      // What is held is what the refund reserved; anything else is a ledger a person must look at first.
      if (found.inFlightFen !== order.amount_fen)
        return { ok: false, message: '在途金额与退款金额不符, 请先核对账务' };
      const answer = refundAnswer({
        refundTraceNo: order.trace_no,
        outRefundNo: order.out_no,
        channel,
        succFen: order.amount_fen,
        at: input.now,
      });
      const detail = {
        ...orderDetail(order),
        manual: false,
        paidOffline: { channel, reference, by: input.actor },
      };
      const moved = await updateOrder(
        trx,
        order.trace_no,
        ['exp'],
        { state: 'succ', answer, detail, finishedAt: input.now },
        input.now,
      );
      if (!moved) return { ok: false, message: '订单状态已变化, 请刷新后重试' };
      await transfer(trx, {
        traceNo: order.trace_no,
        appid: order.appid,
        debit: refundingAccount(order.trace_no),
        credit: clearingAccount(channel, order.term_no),
        amountFen: found.inFlightFen,
        memo: `refund paid out by hand (${channel} ${reference})`,
        now: input.now,
      });
    }
    await db
      .insertInto('console_cases')
      .values({
        trace_no: order.trace_no,
        resolution: input.action,
        note,
        reference,
        resolved_by: input.actor,
        resolved_at: input.now,
      })
      .execute();
    await appendAudit(db, {
      actor: input.actor,
      action: `case.${input.action}`,
      target: `order:${order.trace_no}`,
      before: { state: order.state, respCode: found.respCode, inFlightFen: found.inFlightFen },
      after: {
        state: input.action === 'payOffline' ? 'succ' : order.state,
        note,
        ...(reference ? { reference } : {}),
        ...(input.action === 'payOffline' ? { channel } : {}),
      },
      peer: input.peer,
      at: input.now,
    });
    return { ok: true };
  });
}
