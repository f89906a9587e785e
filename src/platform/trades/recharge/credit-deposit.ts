import type { Transaction } from 'kysely';
import type { Answer } from '../../../protocol/codes.js';
import type { App } from '../../apps/registry.js';
import { depositLedgerAccount } from '../../ledger/accounts.js';
import { ensureAccount } from '../../ledger/accounts-open.js';
import {
  checkedTransfer,
  clearingAccount,
  moveDepositBalance,
  type TransferInput,
  transfer,
} from '../../ledger/journal.js';
import type { PatientData } from '../../privacy/patient-data.js';
import { compiledOnce } from '../../store/compiled.js';
import type { AccountTable, OrderTable, Schema } from '../../store/index.js';
import type { RechargeDetail } from '../pay/detail.js';
import { rechargeAnswer } from './answer.js';

export type Paid = {
  channel: string;
  paidAt: number;
  now: number;
  posExtra?: Readonly<Record<string, string>>;
};

/**
 * The one place a paid recharge reaches a patient's deposit, inside the
 * caller's transaction: open the account if needed, journal the money from
 * the channel's clearing account, move the cached balance, store the final
 * answer on the order.
 */
export async function creditDeposit(
  trx: Transaction<Schema>,
  app: App,
  order: OrderTable,
  detail: RechargeDetail,
  paid: Paid,
  numbers: PatientData,
  /** The account when the caller has just read it: accounts are never deleted, so it need not be read again. */
  known?: AccountTable,
): Promise<Answer> {
  const credited = await creditWithoutStoring(trx, app, order, detail, paid, numbers, known);
  await storeAnswer(trx, {
    accountNo: credited.accountNo,
    answer: JSON.stringify(credited.answer),
    traceNo: order.trace_no,
  });
  return credited.answer;
}

/**
 * creditDeposit without its last step, for a caller that writes the order
 * row itself after this, answer included (cash: one statement fewer).
 */
export async function creditWithoutStoring(
  trx: Transaction<Schema>,
  app: App,
  order: OrderTable,
  detail: RechargeDetail,
  paid: Paid,
  numbers: PatientData,
  known?: AccountTable,
): Promise<{ answer: Answer; accountNo: string }> {
  const account = known ?? (await ensureAccount(trx, detail.patient, paid.now, numbers));
  await transfer(trx, rechargeEntry(order, account.account_no, paid));
  const balanceFen = await moveDepositBalance(trx, account.account_no, order.amount_fen, paid.now);
  return { answer: paidRechargeAnswer(app, order, detail, paid, balanceFen), accountNo: account.account_no };
}

/** A paid recharge's journal entry: from the channel's clearing account to the patient's deposit. */
export function rechargeEntry(order: OrderTable, accountNo: string, paid: Paid): TransferInput {
  return checkedTransfer({
    traceNo: order.trace_no,
    appid: order.appid,
    debit: clearingAccount(paid.channel, order.term_no),
    credit: depositLedgerAccount(accountNo),
    amountFen: order.amount_fen,
    memo: `recharge ${order.out_no}`,
    now: paid.now,
  });
}

/** A paid recharge's answer, given the deposit balance its credit left. */
export function paidRechargeAnswer(
  app: App,
  order: OrderTable,
  detail: RechargeDetail,
  paid: Paid,
  balanceFen: number,
): Answer {
  return rechargeAnswer(app.config, {
    traceNo: order.trace_no,
    balanceFen,
    channel: paid.channel,
    paidAt: paid.paidAt,
    ...(detail.qrcode ? { qrcode: detail.qrcode } : {}),
    resNote: '充值成功',
    ...(paid.posExtra ? { posExtra: paid.posExtra } : {}),
    tradeState: '0',
  });
}

const storeAnswer = compiledOnce(['accountNo', 'answer', 'traceNo'], (db, slot) =>
  db
    .updateTable('orders')
    .set({ account_no: slot.accountNo, answer: slot.answer })
    .where('trace_no', '=', slot.traceNo),
);
