import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from 'kysely';
import type { DialectName } from './dialect.js';
import * as foundation from './migrations/0001-foundation.js';
import * as sandboxChannel from './migrations/0002-sandbox-channel.js';
import * as notifyIdentity from './migrations/0003-notify-identity.js';
import * as noncesByTime from './migrations/0004-nonces-by-time.js';
import * as nonceLog from './migrations/0005-nonce-log.js';
import * as leanIndexes from './migrations/0006-lean-indexes.js';
import * as pgOfflineRefund from './migrations/0007-pg-offline-refund.js';
import * as liveMode from './migrations/0010-live-mode.js';
import * as refundGate from './migrations/0011-refund-gate.js';
import * as sealedPatientNumbers from './migrations/0012-sealed-patient-numbers.js';
import * as consoleTables from './migrations/0013-console.js';
import * as reconciliation from './migrations/0014-reconciliation.js';
import * as shifts from './migrations/0015-shifts.js';

type Step = { up(db: Kysely<unknown>, dialect: DialectName): Promise<void> };

// In code, not read from a folder, so the built package and tsx runs see the same list.
const STEPS = {
  '0001-foundation': foundation,
  '0002-sandbox-channel': sandboxChannel,
  '0003-notify-identity': notifyIdentity,
  '0004-nonces-by-time': noncesByTime,
  '0005-nonce-log': nonceLog,
  '0006-lean-indexes': leanIndexes,
  '0007-pg-offline-refund': pgOfflineRefund,
  '0010-live-mode': liveMode,
  '0011-refund-gate': refundGate,
  '0012-sealed-patient-numbers': sealedPatientNumbers,
  '0013-console': consoleTables,
  '0014-reconciliation': reconciliation,
  '0015-shifts': shifts,
} satisfies Record<string, Step>;

class CodeProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, step] of Object.entries(STEPS)) {
      out[name] = { up: (db) => step.up(db, this.dialect) };
    }
    return out;
  }
}

/** Brings the schema up to date; throws (and the platform refuses to start) on failure. */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: DialectName,
  pgSchema?: string,
): Promise<void> {
  await migrate(db, dialect, pgSchema, (m) => m.migrateToLatest());
}

/**
 * Brings the schema up to the named migration and no further: for tests of
 * an upgrade, which start from a database an older version left.
 */
export async function migrateUpTo(
  db: Kysely<unknown>,
  dialect: DialectName,
  name: keyof typeof STEPS,
  pgSchema?: string,
): Promise<void> {
  await migrate(db, dialect, pgSchema, (m) => m.migrateTo(name));
}

/**
 * Kysely's Migrator asks the introspector for every table of every schema to
 * find its own two, and PostgreSQL's catalogue read fails (3F000) when
 * another schema is dropped meanwhile (another tenant's, a test's). The
 * migrator needs only our schema's table names: this introspector reads
 * those alone.
 */
class OneSchemaIntrospector implements DatabaseIntrospector {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly schema: string,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const rows = await sql<{ name: string }>`select nspname as name from pg_namespace
      where nspname = ${this.schema}`.execute(this.db);
    return rows.rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const rows = await sql<{ name: string }>`select c.relname as name from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${this.schema} and c.relkind in ('r', 'p', 'v')`.execute(this.db);
    return rows.rows.map((r) => ({ name: r.name, schema: this.schema, isView: false, columns: [] }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

/** The store's Kysely as the migrator sees it: the same in all but where it looks for tables. */
function scopedToSchema(db: Kysely<unknown>, schema: string): Kysely<unknown> {
  const introspection = new OneSchemaIntrospector(db, schema);
  return new Proxy(db, {
    get(target, key) {
      if (key === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function migrate(
  db: Kysely<unknown>,
  dialect: DialectName,
  pgSchema: string | undefined,
  step: (migrator: Migrator) => ReturnType<Migrator['migrateToLatest']>,
): Promise<void> {
  // Kysely looks for its own tables across every schema, then uses them unqualified: another
  // schema's migration table (another app's, a test's) was taken for ours, and migrating failed
  // on "kysely_migration_lock does not exist". So the schema is always named: the one given,
  // else the connection's own.
  const schema =
    dialect === 'postgres'
      ? (pgSchema ?? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s)
      : undefined;
  const migrator = new Migrator({
    db: schema ? scopedToSchema(db, schema) : db,
    provider: new CodeProvider(dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await step(migrator);
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    // The cause in the message too: `onepay serve` prints only the message, and an operator needs the why.
    const why = error instanceof Error ? `: ${error.message}` : '';
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}${why}`, {
      cause: error,
    });
  }
}
