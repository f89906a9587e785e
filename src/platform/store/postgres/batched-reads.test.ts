import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import { rechargeReadStatement } from '../../trades/recharge/lookup.js';

const postgres = TEST_DATABASES.find((d) => d.name === 'postgres');
if (!postgres) throw new Error('no postgres in TEST_DATABASES');

describe('the batched reads on PostgreSQL look each key up by its index, in the generic plan too', async () => {
  const availability = await databaseAvailability(postgres);
  let t: TestPlatform;
  before(async () => {
    if (availability.skip) return;
    t = await startTestPlatform(postgres);
    const db = t.running.platform.store.db;
    // A young table, rows but no statistics yet (as in the first hour of a new hospital): the case
    // where the planner, left free, hashed all of orders for one key.
    await sql`insert into accounts (account_no, appid, card_type, card_no, account_type, his_cust_id, user_name,
        profile, status, balance_fen, created_at, updated_at)
      select 'A' || n, ${t.appid}, '03', 'C' || n, '01', 'H' || n, '李四', '{}', 'active', 0, 0, 0
      from generate_series(1, 2000) n`.execute(db);
    await sql`insert into orders (trace_no, appid, kind, out_no, request_hash, state, amount_fen, channel,
        account_no, refunded_fen, detail, term_no, created_at, updated_at)
      select 'T' || n, ${t.appid}, 'recharge', 'N' || n, '', 'succ', 100, 'CASH', 'A' || (n % 2000 + 1), 0, '{}',
        'T01', 0, 0
      from generate_series(1, 20000) n`.execute(db);
  });
  after(() => t?.close());

  it(
    'a recharge read of one key: index scans on the card and the number, no whole table',
    availability,
    async () => {
      const db = t.running.platform.store.db;
      const compiled = rechargeReadStatement({
        appid: [t.appid],
        kind: ['recharge'],
        out_no: ['N7'],
        card_type: ['03'],
        card_no: ['C7'],
        account_type: ['01'],
      }).compile(db);
      // The platform's statements are named (store/pg-named.ts): after a few runs PostgreSQL may keep
      // a plan made without the values. That plan is the one checked here.
      const plan = await db.transaction().execute(async (trx) => {
        await sql`set local plan_cache_mode = force_generic_plan`.execute(trx);
        await sql.raw(`prepare batched_recharge_read as ${compiled.sql}`).execute(trx);
        const values = compiled.parameters.map(
          (p) => `array[${(p as string[]).map((v) => `'${v}'`).join(',')}]`,
        );
        const rows = await sql
          .raw<{ 'QUERY PLAN': string }>(`explain execute batched_recharge_read(${values.join(', ')})`)
          .execute(trx);
        await sql.raw('deallocate batched_recharge_read').execute(trx);
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      assert.match(plan, /Index Scan using accounts_card on accounts/, plan);
      assert.match(plan, /Index Scan using orders_out_no on orders/, plan);
      assert.doesNotMatch(plan, /Seq Scan|Hash/, plan);
    },
  );
});
