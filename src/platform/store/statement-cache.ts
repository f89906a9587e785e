import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared; the platform issues a few dozen shapes, so this never churns. */
const MAX_CACHED_STATEMENTS = 512;

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs about as
 * much as running the statement (measured in docs/benchmarks.md). Kysely
 * emits the same SQL text for the same query shape with values as
 * parameters, so statements are prepared once per text and reused.
 *
 * `onCommitPoint` is told each time a statement has made something durable-
 * to-be: a COMMIT (or the RELEASE or ROLLBACK that ends a transaction), or a
 * write outside any transaction (sqlite/wal-sync.ts syncs the WAL after it).
 */
export function withStatementCache(sqlite: Database.Database, onCommitPoint?: () => void): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) return hit;
      const prepared = sqlite.prepare(sql);
      const statement = onCommitPoint
        ? countingCommitPoints(sqlite, prepared, onCommitPoint)
        : (prepared as unknown as SqliteStatement);
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
      return statement;
    },
  };
}

/**
 * The statement, telling `onCommitPoint` after it ran when it ended a
 * transaction or wrote outside one. Counted after the statement returned,
 * never before: a sync that began earlier might miss its frames. SQLite calls
 * BEGIN, COMMIT and SAVEPOINT read-only (they write no table), so a
 * transaction's end is seen as "a transaction was open and now is not".
 */
function countingCommitPoints(
  sqlite: Database.Database,
  statement: Database.Statement,
  onCommitPoint: () => void,
): SqliteStatement {
  const writes = !statement.readonly;
  const after = (wasInTransaction: boolean) => {
    if ((writes || wasInTransaction) && !sqlite.inTransaction) onCommitPoint();
  };
  return {
    reader: statement.reader,
    all(parameters) {
      const was = sqlite.inTransaction;
      const rows = statement.all(parameters);
      after(was);
      return rows;
    },
    run(parameters) {
      const was = sqlite.inTransaction;
      const result = statement.run(parameters);
      after(was);
      return result;
    },
    *iterate(parameters) {
      const was = sqlite.inTransaction;
      yield* statement.iterate(parameters);
      after(was);
    },
  };
}
