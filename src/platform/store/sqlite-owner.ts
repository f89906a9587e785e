import Database from 'better-sqlite3';

export interface SqliteOwnership {
  release(): void;
}

/**
 * One platform process serves a SQLite file. Its group commit and its nonce
 * claims not yet written live in that process's memory (gateway/nonces.ts):
 * a second process on the same file could accept a replay within those
 * milliseconds, and the two would fight for the file's one writer lock. So
 * the serving process holds an exclusive lock on a small file beside the
 * database for its whole life; the operating system drops the lock when the
 * process ends, however it ends. Tools that only register apps (onepay app
 * create) do not take it. Several processes: use PostgreSQL.
 */
export function holdSqliteOwnership(dbPath: string): SqliteOwnership {
  const lock = new Database(`${dbPath}.owner`);
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new Error(
        `another onepay platform is already serving ${dbPath}; one process per SQLite file (use PostgreSQL to run several)`,
      );
    }
    throw error;
  }
  return { release: () => lock.close() };
}
