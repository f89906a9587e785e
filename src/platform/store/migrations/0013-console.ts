import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * The finance console (src/platform/console):
 * - people who log in, each with one role, a slow password hash and a
 *   failure count that locks the name for a while;
 * - their sessions, stored by the hash of the cookie's random id (a copy of
 *   the table cannot be replayed as cookies), each with its CSRF token;
 * - the audit trail, append-only: a trigger on each engine refuses UPDATE
 *   and DELETE, so not even the platform's own code can rewrite it;
 * - the manual-handling cases a person has decided (the order keeps its own
 *   state; this row says who decided what, so the queue forgets it).
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('console_users')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('failed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('console_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('console_sessions_user').on('console_sessions').column('username').execute();
  const audit = db.schema.createTable('console_audit');
  await (dialect === 'sqlite'
    ? audit.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : audit.addColumn('id', 'bigserial', (c) => c.primaryKey())
  )
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('peer', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('console_audit_target').on('console_audit').column('target').execute();
  await db.schema
    .createTable('console_cases')
    .addColumn('trace_no', 'text', (c) => c.primaryKey())
    .addColumn('resolution', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint', (c) => c.notNull())
    .execute();
  if (dialect === 'sqlite') {
    for (const verb of ['update', 'delete']) {
      await sql
        .raw(
          `create trigger console_audit_no_${verb} before ${verb} on console_audit
           begin select raise(abort, 'console_audit is append-only'); end`,
        )
        .execute(db);
    }
    return;
  }
  await sql`
    create function console_audit_append_only() returns trigger language plpgsql as $fn$
    begin
      raise exception 'console_audit is append-only';
    end
    $fn$`.execute(db);
  await sql`
    create trigger console_audit_no_change before update or delete on console_audit
      for each row execute function console_audit_append_only()`.execute(db);
  await sql`
    create trigger console_audit_no_truncate before truncate on console_audit
      for each statement execute function console_audit_append_only()`.execute(db);
}
