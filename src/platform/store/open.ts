import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect.js';
import { migrateToLatest } from './migrate.js';
import { withNamedStatements } from './pg-named.js';
import type { Schema } from './schema.js';
import { registerDirectSqlite } from './sqlite/direct.js';
import { durableSqliteDialect } from './sqlite/durable-dialect.js';
import { type SyncFile, WalSync } from './sqlite/wal-sync.js';
import { withStatementCache } from './statement-cache.js';

export interface Store {
  readonly db: Kysely<Schema>;
  /**
   * For rows whose loss in a database crash is harmless (nonce claims). On
   * PostgreSQL its sessions commit without waiting for the WAL flush
   * (synchronous_commit=off): the WAL is one sequence, so the next durable
   * commit of `db` flushes them too. On SQLite it is `db`.
   */
  readonly lazyDb: Kysely<Schema>;
  readonly dialect: DialectName;
  /** Where the data lives, without credentials, for logs. */
  readonly where: string;
  /** PostgreSQL: each pool's connections, for /metrics; absent on SQLite (one connection). */
  readonly pools?: () => readonly PoolUse[];
  /**
   * SQLite on a file: undefined when everything committed so far is on disk,
   * otherwise a promise of the moment it is (its WAL is synced off the event
   * loop: sqlite/wal-sync.ts). Absent where a commit is on disk when it
   * returns (PostgreSQL; SQLite in memory has no disk to wait for).
   */
  readonly settled?: () => Promise<void> | undefined;
  close(): Promise<void>;
}

export interface PoolUse {
  readonly pool: 'main' | 'lazy';
  readonly total: number;
  readonly idle: number;
  /** Callers waiting for a connection: above zero the pool is the bottleneck. */
  readonly waiting: number;
}

export interface OpenOptions {
  /** PostgreSQL schema to use (created if missing): tests isolate themselves this way. */
  readonly pgSchema?: string;
  /** Pool size for PostgreSQL. */
  readonly pgPoolMax?: number;
  /** SQLite: how the WAL is flushed (tests slow it down or make it fail). */
  readonly syncFile?: SyncFile;
}

// BIGINT columns hold fen and milliseconds, all far below 2^53: read them as numbers.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Opens `sqlite:<path>` (or `sqlite::memory:`) or `postgres://…` and migrates it to the latest schema. */
export async function openStore(url: string, options: OpenOptions = {}): Promise<Store> {
  const store =
    url.startsWith('postgres://') || url.startsWith('postgresql://')
      ? await openPostgres(url, options)
      : openSqlite(url, options.syncFile);
  // Bounded retry: under many concurrent schema creations PostgreSQL has been seen to answer
  // "schema does not exist" (3F000) for a schema created a moment before; nothing is half-applied
  // because every migration runs in the migrator's own transaction and lock.
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(store.db as Kysely<unknown>, store.dialect, options.pgSchema);
      return store;
    } catch (error) {
      const code = ((error as { cause?: { code?: string } }).cause ?? (error as { code?: string })).code;
      if (store.dialect === 'postgres' && code === '3F000' && attempt < 3) {
        await new Promise((r) => setTimeout(r, 200 * attempt));
        if (options.pgSchema)
          await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(options.pgSchema)}`.execute(store.db);
        continue;
      }
      await store.close();
      throw error;
    }
  }
}

/** The file behind a `sqlite:<path>` URL (its folder created), or undefined for memory and other engines. */
export function sqliteFile(url: string): string | undefined {
  if (!url.startsWith('sqlite:')) return undefined;
  const path = url.slice('sqlite:'.length);
  if (path === ':memory:') return undefined;
  // Patients' data lives here: the folder is the platform's alone.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return path;
}

/**
 * The database file readable by the platform's user alone; SQLite gives its
 * WAL and SHM files the database file's permissions, so they follow.
 */
function privateFile(path: string): void {
  try {
    writeFileSync(path, '', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  chmodSync(path, 0o600);
}

function openSqlite(url: string, syncFile?: SyncFile): Store {
  if (!url.startsWith('sqlite:'))
    throw new Error(`unsupported database URL (use sqlite:<path> or postgres://…)`);
  const path = sqliteFile(url) ?? ':memory:';
  if (path !== ':memory:') privateFile(path);
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  if (path === ':memory:') {
    const database = withStatementCache(sqlite);
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database }) });
    registerDirectSqlite(db, database);
    return { db, lazyDb: db, dialect: 'sqlite', where: 'sqlite::memory:', close: () => db.destroy() };
  }
  // WAL with NORMAL, plus a sync of the WAL after every commit point before anything is
  // answered (sqlite/wal-sync.ts): what FULL guarantees (an answered commit survives a power
  // cut; readers never block the writer), with the fsync off the event loop.
  sqlite.pragma('synchronous = NORMAL');
  const wal = new WalSync(`${path}-wal`, syncFile);
  const database = withStatementCache(sqlite, () => wal.commitPoint());
  const db = new Kysely<Schema>({ dialect: durableSqliteDialect({ database }, wal) });
  registerDirectSqlite(db, database);
  return {
    db,
    lazyDb: db,
    dialect: 'sqlite',
    where: `sqlite:${path}`,
    settled: () => wal.settled(),
    close: async () => {
      await db.destroy();
      // A sync still under way writes through the handle: let it finish (or fail) first.
      await wal.settled()?.catch(() => {});
      wal.close();
    },
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<Store> {
  const schema = options.pgSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('bad schema name');
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const searchPath = schema ? ` -c search_path=${schema}` : '';
  const pool = (max: number, settings: string) =>
    new pg.Pool({
      connectionString: url,
      max,
      types: pgTypes,
      ...(settings ? { options: settings.trim() } : {}),
    });
  const poolMax = options.pgPoolMax ?? 10;
  const mainPool = pool(poolMax, searchPath);
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: withNamedStatements(mainPool) }),
  });
  // Every request claims a nonce, one short statement each: half the main pool keeps them from
  // queueing (measured in docs/benchmarks.md) without doubling the server's connections.
  const lazyPool = pool(Math.max(2, Math.ceil(poolMax / 2)), `-c synchronous_commit=off${searchPath}`);
  const lazyDb = new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: withNamedStatements(lazyPool) }),
  });
  const use = (name: PoolUse['pool'], p: pg.Pool): PoolUse => ({
    pool: name,
    total: p.totalCount,
    idle: p.idleCount,
    waiting: p.waitingCount,
  });
  const safe = new URL(url);
  safe.password = '';
  return {
    db,
    lazyDb,
    dialect: 'postgres',
    pools: () => [use('main', mainPool), use('lazy', lazyPool)],
    where: `${safe.protocol}//${safe.host}${safe.pathname}${schema ? `#${schema}` : ''}`,
    close: async () => {
      await lazyDb.destroy();
      await db.destroy();
    },
  };
}
