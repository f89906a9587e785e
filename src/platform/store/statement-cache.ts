import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared; the platform issues a few dozen shapes, so this never churns. */
const MAX_CACHED_STATEMENTS = 512;

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs about as
 * much as running the statement (measured in docs/benchmarks.md). Kysely
 * emits the same SQL text for the same query shape with values as
 * parameters, so statements are prepared once per text and reused.
 */
export function withStatementCache(sqlite: Database.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) return hit;
      const statement = sqlite.prepare(sql) as unknown as SqliteStatement;
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
      return statement;
    },
  };
}
