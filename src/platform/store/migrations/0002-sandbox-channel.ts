import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * The sandbox channel keeps its own books, apart from the platform's orders:
 * it plays an outside payment company, so the platform can only learn its
 * state by asking (query) or by being told (notify), as with a real channel.
 * In the database so it survives a restart and two platform processes on one
 * PostgreSQL see the same payments.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('sandbox_payments')
    .addColumn('trace_no', 'text', (c) => c.primaryKey())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('term_no', 'text', (c) => c.notNull())
    // Only QR-like channels have one; unique so a token names one payment.
    .addColumn('token', 'text', (c) => c.unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('scenario', 'text', (c) => c.notNull())
    .addColumn('queries', 'integer', (c) => c.notNull())
    .addColumn('paid_channel', 'text')
    .addColumn('channel_trade_no', 'text', (c) => c.notNull())
    .addColumn('pos_no', 'text')
    .addColumn('result_extra', 'text')
    .addColumn('message', 'text')
    .addColumn('refunded_fen', 'bigint', (c) => c.notNull())
    .addColumn('refund_outcome', 'text')
    .addColumn('expire_at', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sandbox_refunds')
    .addColumn('refund_trace_no', 'text', (c) => c.primaryKey())
    .addColumn('pay_trace_no', 'text', (c) => c.notNull())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('queries', 'integer', (c) => c.notNull())
    .addColumn('channel_refund_no', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('refunded_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sandbox_refunds_pay').on('sandbox_refunds').column('pay_trace_no').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sandbox_refunds').execute();
  await db.schema.dropTable('sandbox_payments').execute();
}
