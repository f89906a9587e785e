import { createHash, randomBytes } from 'node:crypto';
import type { ConsoleDb, Role } from './tables.js';

/** A session lasts one working shift at most; logging out ends it at once. */
export const SESSION_HOURS = 10;

export interface ConsoleSession {
  readonly username: string;
  readonly role: Role;
  readonly csrfToken: string;
  readonly expiresAt: number;
}

function idHash(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

/** A new session: the random id goes to the cookie, only its hash to the table. */
export async function openSession(db: ConsoleDb, username: string, now: number): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await db
    .insertInto('console_sessions')
    .values({
      id_hash: idHash(id),
      username,
      csrf_token: randomBytes(24).toString('base64url'),
      created_at: now,
      expires_at: now + SESSION_HOURS * 3_600_000,
    })
    .execute();
  return id;
}

/** The live session behind a cookie's id, with its user's current role; a disabled user has none. */
export async function findSession(
  db: ConsoleDb,
  id: string,
  now: number,
): Promise<ConsoleSession | undefined> {
  if (id.length < 40 || id.length > 60) return undefined;
  const row = await db
    .selectFrom('console_sessions as s')
    .innerJoin('console_users as u', 'u.username', 's.username')
    .select(['s.username', 'u.role', 's.csrf_token', 's.expires_at'])
    .where('s.id_hash', '=', idHash(id))
    .where('s.expires_at', '>', now)
    .where('u.disabled', '=', 0)
    .executeTakeFirst();
  return row
    ? { username: row.username, role: row.role, csrfToken: row.csrf_token, expiresAt: row.expires_at }
    : undefined;
}

export async function closeSession(db: ConsoleDb, id: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('id_hash', '=', idHash(id)).execute();
}

/** Expired sessions are dropped when someone logs in: the table never grows without end. */
export async function dropExpiredSessions(db: ConsoleDb, now: number): Promise<void> {
  await db.deleteFrom('console_sessions').where('expires_at', '<=', now).execute();
}
