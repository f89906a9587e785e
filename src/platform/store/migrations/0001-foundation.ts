import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

// Column types are the portable subset of SQLite and PostgreSQL: text, bigint.
function withId<T extends string>(table: CreateTableBuilder<T>, dialect: DialectName): CreateTableBuilder<T> {
  return dialect === 'sqlite'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'bigserial', (c) => c.primaryKey());
}

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('apps')
    .addColumn('appid', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('nonces')
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('ts_s', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('nonces_pk', ['appid', 'nonce'])
    .execute();
  await db.schema.createIndex('nonces_ts').on('nonces').column('ts_s').execute();

  await db.schema
    .createTable('accounts')
    .addColumn('account_no', 'text', (c) => c.primaryKey())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('card_type', 'text', (c) => c.notNull())
    .addColumn('card_no', 'text', (c) => c.notNull())
    .addColumn('account_type', 'text', (c) => c.notNull())
    .addColumn('his_cust_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('id_no', 'text')
    .addColumn('id_type', 'text')
    .addColumn('user_sex', 'text')
    .addColumn('mobile_phone', 'text')
    .addColumn('card_zone', 'text')
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('balance_fen', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('accounts_card', ['appid', 'card_type', 'card_no', 'account_type'])
    .execute();
  await db.schema.createIndex('accounts_cust').on('accounts').columns(['appid', 'his_cust_id']).execute();

  await db.schema
    .createTable('orders')
    .addColumn('trace_no', 'text', (c) => c.primaryKey())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('out_no', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('account_no', 'text')
    .addColumn('orig_trace_no', 'text')
    .addColumn('refunded_fen', 'bigint', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('term_no', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('expire_at', 'bigint')
    // One order per (app, kind, merchant number): the database, not the code, guarantees it.
    .addUniqueConstraint('orders_out_no', ['appid', 'kind', 'out_no'])
    .execute();
  await db.schema.createIndex('orders_orig').on('orders').column('orig_trace_no').execute();
  await db.schema.createIndex('orders_pending').on('orders').columns(['state', 'expire_at']).execute();
  await db.schema.createIndex('orders_account').on('orders').columns(['account_no', 'kind']).execute();

  await withId(db.schema.createTable('transfers'), dialect)
    .addColumn('trace_no', 'text', (c) => c.notNull())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('debit', 'text', (c) => c.notNull())
    .addColumn('credit', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('memo', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('transfers_trace').on('transfers').column('trace_no').execute();

  await withId(db.schema.createTable('outbox'), dialect)
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'next_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['outbox', 'transfers', 'orders', 'accounts', 'nonces', 'apps']) {
    await db.schema.dropTable(t).execute();
  }
}
