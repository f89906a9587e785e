import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Patient notifications, wristband codes and identity sessions. Delivery
 * attempts live in the foundation's `outbox`; these tables hold what the
 * outbox rows point at, so a resend always renders the current message.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  // Per-hospital delivery channels; in its own table so an operator can change them without a restart.
  await db.schema
    .createTable('notify_settings')
    .addColumn('appid', 'text', (c) => c.primaryKey())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notify_messages')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('trans_type', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('pushed', 'integer', (c) => c.notNull())
    .addColumn('view_token', 'text', (c) => c.notNull().unique())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('id_no', 'text', (c) => c.notNull())
    .addColumn('card_type', 'text', (c) => c.notNull())
    .addColumn('card_no', 'text', (c) => c.notNull())
    .addColumn('account_type', 'text', (c) => c.notNull())
    .addColumn('param', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // The same push twice is one message: the database, not the code, guarantees it.
    .addUniqueConstraint('notify_messages_dedupe', ['appid', 'dedupe_key'])
    .execute();
  await db.schema
    .createIndex('notify_messages_patient')
    .on('notify_messages')
    .columns(['appid', 'id_no', 'created_at'])
    .execute();

  await db.schema
    .createTable('wristbands')
    .addColumn('wb_key', 'text', (c) => c.primaryKey())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('card_type', 'text', (c) => c.notNull())
    .addColumn('card_no', 'text', (c) => c.notNull())
    .addColumn('account_type', 'text', (c) => c.notNull())
    .addColumn('id_no', 'text', (c) => c.notNull())
    .addColumn('id_type', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('hosp_name', 'text', (c) => c.notNull())
    .addColumn('operator_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('cancelled_at', 'bigint')
    .execute();
  // At most one live code per patient account: a second issue returns the live one.
  await db.schema
    .createIndex('wristbands_active')
    .on('wristbands')
    .columns(['appid', 'card_type', 'card_no', 'account_type'])
    .unique()
    .where(sql<boolean>`state = 'active'`)
    .execute();

  await db.schema
    .createTable('identity_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('out_no', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('expire_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('identity_sessions_out_no', ['appid', 'kind', 'out_no'])
    .execute();
}
