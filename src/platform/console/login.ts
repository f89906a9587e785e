import { sql } from 'kysely';
import { appendAudit } from './audit.js';
import { decoyHash, verifyPassword } from './passwords.js';
import { dropExpiredSessions, openSession } from './sessions.js';
import type { ConsoleDb } from './tables.js';
import { findUser } from './users.js';

/** Wrong passwords in a row before the name is locked… */
export const MAX_FAILURES = 5;
/** …for this long. The lock is per name, so a guesser cannot try many passwords on one account. */
export const LOCK_MINUTES = 15;

type LoginOutcome =
  | { readonly ok: true; readonly sessionId: string }
  | { readonly ok: false; readonly message: string };

const WRONG = '用户名或密码错误';

/**
 * Checks a name and password and opens a session. Every attempt is audited.
 * An unknown name costs the same hash as a known one and gets the same
 * answer; a locked name is refused without checking the password, so
 * guessing on does not help even with the right one.
 */
export async function logIn(
  db: ConsoleDb,
  input: { username: string; password: string; peer: string; now: number },
): Promise<LoginOutcome> {
  const { username, now, peer } = input;
  const target = `user:${username.slice(0, 40)}`;
  const user = await findUser(db, username);
  if (user && user.locked_until !== null && user.locked_until > now) {
    await appendAudit(db, { actor: username.slice(0, 40), action: 'login.locked', target, peer, at: now });
    return { ok: false, message: `登录失败次数过多, 账号已锁定, 请 ${LOCK_MINUTES} 分钟后再试或联系管理员` };
  }
  const matches = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash()));
  if (!user || !matches || user.disabled !== 0) {
    if (user) await countFailure(db, username, now);
    await appendAudit(db, { actor: username.slice(0, 40), action: 'login.fail', target, peer, at: now });
    return { ok: false, message: WRONG };
  }
  await db
    .updateTable('console_users')
    .set({ failed_count: 0, locked_until: null, updated_at: now })
    .where('username', '=', username)
    .execute();
  await dropExpiredSessions(db, now);
  const sessionId = await openSession(db, username, now);
  await appendAudit(db, {
    actor: username,
    action: 'login',
    target,
    after: { role: user.role },
    peer,
    at: now,
  });
  return { ok: true, sessionId };
}

/** One statement, so concurrent wrong guesses each count: the lock falls on the MAX_FAILURES-th. */
async function countFailure(db: ConsoleDb, username: string, now: number): Promise<void> {
  const lockUntil = now + LOCK_MINUTES * 60_000;
  await db
    .updateTable('console_users')
    .set({
      failed_count: sql`case when failed_count + 1 >= ${MAX_FAILURES} then 0 else failed_count + 1 end`,
      locked_until: sql`case when failed_count + 1 >= ${MAX_FAILURES} then ${lockUntil} else locked_until end`,
      updated_at: now,
    })
    .where('username', '=', username)
    .execute();
}
