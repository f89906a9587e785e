import type { Answer } from '../../../protocol/codes.js';
import type { App } from '../../apps/registry.js';
import type { Platform } from '../../platform.js';
import { groupCommit } from '../../store/group-commit.js';
import type { AccountTable, OrderTable } from '../../store/index.js';
import { insertOrder } from '../orders.js';
import type { RechargeDetail } from '../pay/detail.js';
import { settleCashInOneStatement } from './cash-one-statement.js';
import { creditWithoutStoring } from './credit-deposit.js';

/**
 * Cash is counted by the operator at the desk, so the platform is its system
 * of record: order, journal, balance and answer commit in ONE transaction and
 * a crash leaves either all of it or none. Returns undefined when an
 * identical concurrent request claimed the number first. The transaction is
 * grouped with concurrent ones (store/group-commit.ts): one fsync serves many
 * desks, and this still returns only once its own commit is durable. On
 * PostgreSQL, to an account already open, the same writes are one statement
 * instead (cash-one-statement.ts): there a round trip costs more than the work.
 */
export async function settleCash(
  platform: Platform,
  app: App,
  order: OrderTable,
  detail: RechargeDetail,
  account?: AccountTable,
): Promise<Answer | undefined> {
  const now = order.created_at;
  const finalOrder = (answer: Answer, accountNo: string): OrderTable => ({
    ...order,
    state: 'succ',
    account_no: accountNo,
    answer: JSON.stringify(answer),
    finished_at: now,
    detail: JSON.stringify({ ...detail, paidChannel: order.channel, resultDesc: '交易成功' }),
  });
  let known = account;
  if (platform.store.dialect === 'postgres' && known) {
    const outcome = await settleCashInOneStatement(platform, app, order, detail, known, finalOrder);
    if (outcome.kind === 'settled') return outcome.answer;
    if (outcome.kind === 'numberTaken') return undefined;
    // balanceMoved: a concurrent trade on this account; the transaction below reads it afresh.
    known = undefined;
  }
  try {
    return await groupCommit(platform.store).run(async (trx) => {
      const paid = { channel: order.channel, paidAt: now, now };
      const { answer, accountNo } = await creditWithoutStoring(
        trx,
        app,
        order,
        detail,
        paid,
        platform.patientData,
        known,
      );
      // The order goes in last, already final, so it is one insert rather than an insert and an
      // update. A duplicate loses on the number here, and throwing undoes its money movement.
      const claimed = await insertOrder(trx, finalOrder(answer, accountNo));
      if (!claimed) throw new NumberTaken();
      return answer;
    });
  } catch (error) {
    if (error instanceof NumberTaken) return undefined;
    throw error;
  }
}

/** An identical concurrent request holds the merchant number: this unit is undone. */
class NumberTaken extends Error {}
