import {
  type DatabaseIntrospector,
  type Dialect,
  type Kysely,
  SqliteAdapter,
  type SqliteDialectConfig,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { WalSync } from './wal-sync.js';

/**
 * Kysely's SQLite driver, but a caller gets its connection's results only
 * once everything committed so far is on disk (wal-sync.ts): a read outside a
 * transaction cannot hand out a row whose commit a power cut would undo, and
 * `db.transaction().execute()` resolves only when its COMMIT is durable. The
 * connection itself is handed to the next caller first, so the wait holds
 * nobody up. The group commit's controlled transactions are not held by this
 * (Kysely releases their connection without waiting); the group commit waits
 * for durability itself before it answers a batch, while the next batch runs.
 */
class DurableSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly wal: WalSync,
  ) {
    super(config);
  }

  override async releaseConnection(): Promise<void> {
    const released = super.releaseConnection();
    const settled = this.wal.settled();
    await released;
    await settled;
  }
}

/** SQLite's dialect with the durable driver above. */
export function durableSqliteDialect(config: SqliteDialectConfig, wal: WalSync): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DurableSqliteDriver(config, wal),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>): DatabaseIntrospector => new SqliteIntrospector(db),
  };
}
