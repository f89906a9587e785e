import type { ConsoleDb } from './tables.js';

/** One line of the trail: who did what to which thing, what it was before and after. */
interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** The browser's address as the platform saw it. */
  readonly peer: string;
  readonly at: number;
}

/**
 * Appends to the trail. Callers that change something pass their transaction,
 * so the change and its line commit together or not at all. The table
 * refuses UPDATE and DELETE by trigger (migration 0013): nothing rewrites it.
 */
export async function appendAudit(db: ConsoleDb, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('console_audit')
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      peer: entry.peer,
    })
    .execute();
}

interface AuditFilter {
  readonly actor?: string;
  readonly target?: string;
  readonly limit?: number;
}

export async function listAudit(db: ConsoleDb, filter: AuditFilter = {}) {
  let q = db
    .selectFrom('console_audit')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(filter.limit ?? 200, 1), 1000));
  if (filter.actor) q = q.where('actor', '=', filter.actor);
  if (filter.target) q = q.where('target', '=', filter.target);
  return q.execute();
}
