import { appendAudit } from './audit.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import { type ConsoleDb, type ConsoleUserTable, isRole, type Role } from './tables.js';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$/;

/** Why a new user is refused, in Chinese, or null when the name, role and password are acceptable. */
export function newUserProblem(username: string, role: unknown, password: string): string | null {
  if (!USERNAME.test(username)) return '用户名须为 2–32 位字母、数字或 . _ -, 以字母或数字开头';
  if (!isRole(role)) return '角色须为 cashier (收费员)、finance (财务) 或 admin (管理员)';
  if ([...password].length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 个字符`;
  if (password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return null;
}

export class UserError extends Error {}

/**
 * Creates a console user; the password is hashed before anything is stored
 * and the creation is audited in the same transaction. `actor` is who did it
 * (`cli` for `onepay user add`).
 */
export async function addUser(
  db: ConsoleDb,
  input: { username: string; role: Role; password: string; actor: string; peer: string; now: number },
): Promise<void> {
  const problem = newUserProblem(input.username, input.role, input.password);
  if (problem) throw new UserError(problem);
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('console_users')
      .values({
        username: input.username,
        role: input.role,
        password_hash: passwordHash,
        failed_count: 0,
        locked_until: null,
        disabled: 0,
        created_at: input.now,
        updated_at: input.now,
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1)
      throw new UserError(`用户 ${input.username} 已存在`);
    await appendAudit(trx, {
      actor: input.actor,
      action: 'user.add',
      target: `user:${input.username}`,
      after: { username: input.username, role: input.role },
      peer: input.peer,
      at: input.now,
    });
  });
}

export async function findUser(db: ConsoleDb, username: string): Promise<ConsoleUserTable | undefined> {
  return db.selectFrom('console_users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function listUsers(db: ConsoleDb) {
  return db
    .selectFrom('console_users')
    .select(['username', 'role', 'failed_count', 'locked_until', 'disabled', 'created_at'])
    .orderBy('username')
    .execute();
}
