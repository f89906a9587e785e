import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Live apps apart from the sandbox.
 * - Every app is `sandbox` or `live`, like test and live keys. Apps that
 *   existed before the mode are live: their channels then answer only through
 *   adapters configured for them, so a production hospital never goes on
 *   taking simulated payments because nobody chose a mode.
 * - A live app's merchant credentials per payment gateway (Alipay, WeChat
 *   Pay, UnionPay), sealed with the master key like app secrets.
 * - Cash and POS of live apps are the operator's record (counted at the desk,
 *   read from the bank terminal's slip), kept in tables of their own rather
 *   than the sandbox's.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .alterTable('apps')
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('live'))
    .execute();
  await db.schema
    .createTable('app_gateways')
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('gateway', 'text', (c) => c.notNull())
    .addColumn('config_sealed', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_gateways_pk', ['appid', 'gateway'])
    .execute();
  await db.schema
    .createTable('desk_payments')
    .addColumn('trace_no', 'text', (c) => c.primaryKey())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('refunded_fen', 'bigint', (c) => c.notNull())
    .addColumn('term_no', 'text', (c) => c.notNull())
    .addColumn('slip', 'text')
    .addColumn('paid_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('desk_refunds')
    .addColumn('refund_trace_no', 'text', (c) => c.primaryKey())
    .addColumn('pay_trace_no', 'text', (c) => c.notNull())
    .addColumn('appid', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
