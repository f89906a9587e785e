import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Two indexes that cost every write and helped no read:
 * - `accounts_cust` (appid, his_cust_id) was never used by any statement, yet
 *   PostgreSQL's planner, before statistics exist on a young table, took it
 *   for a card lookup (appid only) and filtered every account of the
 *   hospital: a batched recharge read grew to 2.4 ms (docs/benchmarks.md).
 *   Without it the card's unique key is the only index on appid.
 * - `orders_orig` indexed the original trace number of every order, though
 *   only refunds and cancellations have one: recharges and payments (most
 *   orders) added a NULL entry each. Partial now; `orig_trace_no = ?`
 *   implies `IS NOT NULL` on both engines, so refund lookups still use it.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.dropIndex('accounts_cust').execute();
  await db.schema.dropIndex('orders_orig').execute();
  await db.schema
    .createIndex('orders_orig')
    .on('orders')
    .column('orig_trace_no')
    .where(sql.ref('orig_trace_no'), 'is not', null)
    .execute();
}
