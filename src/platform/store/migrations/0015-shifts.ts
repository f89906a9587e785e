import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Shift close (日结) and reports (src/platform/reports):
 * - a console user may stand for one HIS operatorId: a cashier sees and
 *   closes the shifts of that operator only;
 * - a closed shift keeps the totals it was closed with, and names each order
 *   it counted (an order belongs to one closed shift at most: its primary
 *   key). An order the channel finishes late, stamped with an earlier time,
 *   is not lost: it is in no closed shift, so the next one counts it;
 * - neither table can change once written: a trigger on each engine refuses
 *   UPDATE and DELETE, as on the audit trail;
 * - orders get an index on the moment money moved (finished_at), the range
 *   every report reads; only finished orders have one.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema.alterTable('console_users').addColumn('operator_id', 'text').execute();
  await db.schema
    .createIndex('console_users_operator')
    .on('console_users')
    .column('operator_id')
    .unique()
    .where(sql.ref('operator_id'), 'is not', null)
    .execute();
  await db.schema
    .createTable('shift_closes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operator_id', 'text', (c) => c.notNull())
    .addColumn('term_no', 'text', (c) => c.notNull())
    .addColumn('from_at', 'bigint', (c) => c.notNull())
    .addColumn('to_at', 'bigint', (c) => c.notNull())
    .addColumn('order_count', 'integer', (c) => c.notNull())
    .addColumn('cash_fen', 'bigint', (c) => c.notNull())
    .addColumn('totals', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('shift_closes_operator')
    .on('shift_closes')
    .columns(['operator_id', 'closed_at'])
    .execute();
  await db.schema
    .createTable('shift_close_orders')
    .addColumn('trace_no', 'text', (c) => c.primaryKey())
    .addColumn('shift_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('shift_close_orders_shift')
    .on('shift_close_orders')
    .column('shift_id')
    .execute();
  await db.schema
    .createIndex('orders_finished')
    .on('orders')
    .column('finished_at')
    .where(sql.ref('finished_at'), 'is not', null)
    .execute();
  if (dialect === 'sqlite') {
    for (const table of ['shift_closes', 'shift_close_orders']) {
      for (const verb of ['update', 'delete']) {
        await sql
          .raw(
            `create trigger ${table}_no_${verb} before ${verb} on ${table}
             begin select raise(abort, 'a closed shift cannot change'); end`,
          )
          .execute(db);
      }
    }
    return;
  }
  await sql`
    create function shift_closes_immutable() returns trigger language plpgsql as $fn$
    begin
      raise exception 'a closed shift cannot change';
    end
    $fn$`.execute(db);
  for (const table of ['shift_closes', 'shift_close_orders']) {
    await sql
      .raw(
        `create trigger ${table}_no_change before update or delete on ${table}
           for each row execute function shift_closes_immutable()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${table}_no_truncate before truncate on ${table}
           for each statement execute function shift_closes_immutable()`,
      )
      .execute(db);
  }
}
