import type { CompiledQuery, Kysely, QueryResult, SqliteDatabase, Transaction } from 'kysely';
import type { Schema } from '../schema.js';

/** The SQLite database behind each store's Kysely, by the dialect adapter its transactions share. */
const databases = new WeakMap<object, SqliteDatabase>();

/** Lets statements run inside this store's transactions skip Kysely's executor (store/open.ts). */
export function registerDirectSqlite(db: Kysely<Schema>, database: SqliteDatabase): void {
  databases.set(db.getExecutor().adapter, database);
}

/**
 * Runs an already compiled statement straight on better-sqlite3 when `db` is
 * a transaction of a SQLite store; undefined otherwise (PostgreSQL, or a
 * SQLite statement outside a transaction), and the caller takes Kysely's way.
 * A transaction holds the store's one connection until it ends, so nothing
 * else can be running on it: the statement is exactly what Kysely's driver
 * would run (same prepared statement, same result shape), without its
 * executor, connection provider and promises, 1.3-2.5 µs a statement
 * (docs/benchmarks.md). Outside a transaction Kysely's connection lock is
 * what keeps a read from landing inside another caller's open batch, so
 * those statements keep going through it.
 */
export function runDirect<R>(
  db: Kysely<Schema> | Transaction<Schema>,
  query: Pick<CompiledQuery, 'sql' | 'parameters'>,
): QueryResult<R> | undefined {
  if (!db.isTransaction) return undefined;
  const database = databases.get(db.getExecutor().adapter);
  if (!database) return undefined;
  const statement = database.prepare(query.sql);
  if (statement.reader) return { rows: statement.all(query.parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(query.parameters);
  // better-sqlite3 always reports both; Kysely's driver turns them into bigints the same way.
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}
