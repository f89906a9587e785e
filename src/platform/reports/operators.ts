import { appendAudit } from '../console/audit.js';
import type { ConsoleSession } from '../console/sessions.js';
import type { ConsoleDb } from '../console/tables.js';
import { ReportError } from './report.js';
import type { ReportsDb } from './tables.js';

/** The spec's operatorId: Char(30). */
const OPERATOR_ID = /^[A-Za-z0-9_-]{1,30}$/;

/**
 * Whose money a person may see in shifts and reports: everyone's (finance,
 * admin: `all`), or one HIS operator's (a cashier: the operatorId linked to
 * their user). A cashier not yet linked sees nothing (`none`), rather than
 * everything. The one place this rule lives.
 */
export type Scope =
  | { readonly kind: 'all' }
  | { readonly kind: 'operator'; readonly operatorId: string }
  | { readonly kind: 'none' };

export async function scopeOf(db: ReportsDb, session: ConsoleSession): Promise<Scope> {
  if (session.role !== 'cashier') return { kind: 'all' };
  const row = await db
    .selectFrom('console_users')
    .select('operator_id')
    .where('username', '=', session.username)
    .executeTakeFirst();
  return row?.operator_id ? { kind: 'operator', operatorId: row.operator_id } : { kind: 'none' };
}

export function scopeCovers(scope: Scope, operatorId: string): boolean {
  return scope.kind === 'all' || (scope.kind === 'operator' && scope.operatorId === operatorId);
}

/** Users and the HIS operator each stands for. */
export async function operatorLinks(
  db: ReportsDb,
): Promise<{ username: string; role: string; operatorId: string | null }[]> {
  const rows = await db
    .selectFrom('console_users')
    .select(['username', 'role', 'operator_id'])
    .orderBy('username')
    .execute();
  return rows.map((r) => ({ username: r.username, role: r.role, operatorId: r.operator_id }));
}

/**
 * Links a console user to the HIS operatorId their desk sends ('' unlinks).
 * One operator, one user: two people closing one drawer would make neither
 * answerable for it. Audited with the link before and after.
 */
export async function linkOperator(
  db: ReportsDb,
  change: { username: string; operatorId: string; actor: string; peer: string; now: number },
): Promise<void> {
  const operatorId = change.operatorId.trim();
  if (operatorId !== '' && !OPERATOR_ID.test(operatorId))
    throw new ReportError('操作员编号应为 1–30 位字母、数字、下划线或连字符');
  await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('console_users')
      .select('operator_id')
      .where('username', '=', change.username)
      .executeTakeFirst();
    if (!user) throw new ReportError('用户不存在');
    if (operatorId !== '') {
      const holder = await trx
        .selectFrom('console_users')
        .select('username')
        .where('operator_id', '=', operatorId)
        .where('username', '<>', change.username)
        .executeTakeFirst();
      if (holder) throw new ReportError(`操作员 ${operatorId} 已关联用户 ${holder.username}`);
    }
    await trx
      .updateTable('console_users')
      .set({ operator_id: operatorId === '' ? null : operatorId, updated_at: change.now })
      .where('username', '=', change.username)
      .execute();
    await appendAudit(trx as unknown as ConsoleDb, {
      actor: change.actor,
      action: 'user.operator',
      target: `user:${change.username}`,
      before: { operatorId: user.operator_id },
      after: { operatorId: operatorId === '' ? null : operatorId },
      peer: change.peer,
      at: change.now,
    });
  });
}
