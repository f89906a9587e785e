import { ACCOUNT_STATUS } from '../../protocol/dictionaries.js';
import { groupCommit } from '../store/group-commit.js';
import type { Store } from '../store/index.js';
import { appendAudit } from './audit.js';
import { consoleDb } from './tables.js';

type Status = keyof typeof ACCOUNT_STATUS;

/**
 * What a person may do to a deposit account from the console, as moves of
 * the spec's 账户状态 (hop.account.info answers it; a recharge to an account
 * that is not 01 is refused with 031003). Closing needs a zero balance: a
 * closed account can take no refund, so money left in it would be stranded.
 */
export const ACCOUNT_ACTIONS = {
  freeze: { label: '冻结', from: ['01'], to: '03' },
  reportLoss: { label: '挂失', from: ['01'], to: '02' },
  restore: { label: '解冻 / 解挂', from: ['02', '03'], to: '01' },
  close: { label: '注销', from: ['01', '02', '03'], to: '04' },
} as const satisfies Record<string, { label: string; from: readonly Status[]; to: Status }>;

export type AccountAction = keyof typeof ACCOUNT_ACTIONS;

export function isAccountAction(value: unknown): value is AccountAction {
  return typeof value === 'string' && Object.hasOwn(ACCOUNT_ACTIONS, value);
}

type AccountActionOutcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Moves an account's status only from a state the action allows (compare and
 * set in one statement, so two people acting at once cannot both win) and
 * writes the audit line in the same transaction.
 */
export async function changeAccountStatus(
  store: Store,
  input: {
    accountNo: string;
    action: AccountAction;
    reason: string;
    actor: string;
    peer: string;
    now: number;
  },
): Promise<AccountActionOutcome> {
  const rule = ACCOUNT_ACTIONS[input.action];
  if (input.reason.trim() === '') return { ok: false, message: `${rule.label}须填写原因` };
  return groupCommit(store).run(async (trx) => {
    const db = consoleDb(trx);
    const before = await db
      .selectFrom('accounts')
      .select(['status', 'balance_fen'])
      .where('account_no', '=', input.accountNo)
      .executeTakeFirst();
    if (!before) return { ok: false, message: `账户 ${input.accountNo} 不存在` };
    let update = db
      .updateTable('accounts')
      .set({ status: rule.to, updated_at: input.now })
      .where('account_no', '=', input.accountNo)
      .where('status', 'in', [...rule.from]);
    if (input.action === 'close') update = update.where('balance_fen', '=', 0);
    const moved = Number((await update.executeTakeFirst()).numUpdatedRows) === 1;
    if (!moved) {
      if (input.action === 'close' && Number(before.balance_fen) !== 0)
        return { ok: false, message: '账户仍有余额, 须先退款至零才能注销' };
      const now = ACCOUNT_STATUS[before.status as Status] ?? before.status;
      return { ok: false, message: `账户当前状态为${now}, 不能${rule.label}` };
    }
    await appendAudit(db, {
      actor: input.actor,
      action: `account.${input.action}`,
      target: `account:${input.accountNo}`,
      before: { status: before.status },
      after: { status: rule.to, reason: input.reason.trim() },
      peer: input.peer,
      at: input.now,
    });
    return { ok: true };
  });
}
