import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../platform/store/index.js';

/** Under ONEPAY_TEST_STRICT=1 a test that needs PostgreSQL or a browser fails instead of skipping. */
export const STRICT = process.env['ONEPAY_TEST_STRICT'] === '1';

export const POSTGRES_URL = process.env['DATABASE_URL'] ?? 'postgres://root@127.0.0.1:5432/test';

let postgresReachable: Promise<string | null> | undefined;

/** null when PostgreSQL answers, else the reason it does not. */
export function postgresProblem(): Promise<string | null> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (error) {
      return `PostgreSQL at ${POSTGRES_URL.replace(/:[^:@/]*@/, ':***@')} unreachable: ${(error as Error).message}`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgresReachable;
}

export interface TestDatabase {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated store (own file or own schema). */
  open(): Promise<Store>;
  /** URL another process can open to share that store (SQLite file path or PostgreSQL URL + schema). */
  readonly shared: () => Promise<{ url: string; pgSchema?: string; dropSchema(): Promise<void> }>;
}

function freshSchemaName(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  open: () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'onepay-')), 'test.db')}`),
  shared: async () => ({
    url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'onepay-')), 'shared.db')}`,
    dropSchema: async () => {},
  }),
};

const postgres: TestDatabase = {
  name: 'postgres',
  async open() {
    const schema = freshSchemaName();
    const store = await openStore(POSTGRES_URL, { pgSchema: schema, pgPoolMax: 4 });
    return {
      ...store,
      close: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  },
  shared: async () => {
    const schema = freshSchemaName();
    return { url: POSTGRES_URL, pgSchema: schema, dropSchema: () => dropSchema(schema) };
  },
};

export const TEST_DATABASES: readonly TestDatabase[] = [sqlite, postgres];

/**
 * How a suite that needs a database should run on it: `{ skip: reason }` when
 * PostgreSQL is absent on a relaxed machine (the runner prints the reason), a
 * thrown error under ONEPAY_TEST_STRICT=1.
 */
export async function databaseAvailability(database: TestDatabase): Promise<{ skip?: string }> {
  if (database.name === 'sqlite') return {};
  const problem = await postgresProblem();
  if (problem === null) return {};
  if (STRICT) throw new Error(`ONEPAY_TEST_STRICT=1 and ${problem}`);
  console.warn(`NOTICE: skipping PostgreSQL tests: ${problem}`);
  return { skip: problem };
}
