import { appendAudit } from './audit.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import { type ConsoleDb, type ConsoleUserTable, isRole, type Role } from './tables.js';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$/;

/** Why a new user is refused, in Chinese, or null when the name, role and password are acceptable. */
function newUserProblem(username: string, role: unknown, password: string): string | null {
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

/** What an administrator may change about a user. */
export type UserChange =
  | { readonly kind: 'role'; readonly role: Role }
  | { readonly kind: 'disable' }
  | { readonly kind: 'enable' }
  | { readonly kind: 'unlock' }
  | { readonly kind: 'password'; readonly password: string };

function columnsOf(change: UserChange, passwordHash: string | undefined) {
  switch (change.kind) {
    case 'role':
      return { role: change.role };
    case 'disable':
      return { disabled: 1 };
    case 'enable':
      return { disabled: 0 };
    case 'unlock':
      return { failed_count: 0, locked_until: null };
    case 'password':
      if (!passwordHash) throw new Error('a new password without its hash');
      return { password_hash: passwordHash, failed_count: 0, locked_until: null };
  }
}

/**
 * Changes one user, audited in the same transaction. Disabling and a new
 * password end the user's sessions (a stolen session dies with the old
 * password); a new password also lifts a lock. A change that would leave no
 * enabled administrator is refused: nobody could manage users any more.
 */
export async function changeUser(
  db: ConsoleDb,
  input: { username: string; change: UserChange; actor: string; peer: string; now: number },
): Promise<void> {
  const { change, now } = input;
  const passwordHash =
    change.kind === 'password'
      ? await (async () => {
          const problem = newUserProblem(input.username, 'admin', change.password);
          if (problem) throw new UserError(problem);
          return hashPassword(change.password);
        })()
      : undefined;
  await db.transaction().execute(async (trx) => {
    const before = await findUser(trx, input.username);
    if (!before) throw new UserError(`用户 ${input.username} 不存在`);
    await trx
      .updateTable('console_users')
      .set({ ...columnsOf(change, passwordHash), updated_at: now })
      .where('username', '=', input.username)
      .execute();
    const admins = await trx
      .selectFrom('console_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .executeTakeFirstOrThrow();
    if (Number(admins.n) === 0) throw new UserError('至少须保留一名启用的管理员');
    if (change.kind === 'disable' || change.kind === 'password')
      await trx.deleteFrom('console_sessions').where('username', '=', input.username).execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: `user.${change.kind}`,
      target: `user:${input.username}`,
      before: { role: before.role, disabled: before.disabled === 1, locked: before.locked_until !== null },
      // Never the password, nor its hash.
      after:
        change.kind === 'role'
          ? { role: change.role }
          : change.kind === 'password'
            ? { password: 'reset' }
            : { [change.kind]: true },
      peer: input.peer,
      at: now,
    });
  });
}
