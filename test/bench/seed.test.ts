import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { seedStore, storageBytes } from '../../bench/lib/seed.js';
import { sealExistingPatientNumbers } from '../../src/platform/privacy/seal-existing.js';
import type { Store } from '../../src/platform/store/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { OPERATOR } from '../../src/testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';

const ORDERS = 30_011;
const ACCOUNTS = 5_003;

/**
 * Accounts whose cached balance is not their journal's, in one pass (the
 * test helper's check asks the journal account by account: hours at this size).
 */
async function balancesOffJournal(store: Store): Promise<string[]> {
  const off = await sql<{ account_no: string }>`select a.account_no from accounts a
    left join (select credit, sum(amount_fen) as fen from transfers group by credit) c on c.credit = 'deposit:' || a.account_no
    left join (select debit, sum(amount_fen) as fen from transfers group by debit) d on d.debit = 'deposit:' || a.account_no
    where coalesce(c.fen, 0) - coalesce(d.fen, 0) <> a.balance_fen`.execute(store.db);
  return off.rows.map((r) => r.account_no);
}

for (const database of TEST_DATABASES) {
  describe(`seeding a ${database.name} database with orders and accounts (bench/seed.ts)`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
    });
    after(() => t?.close());

    it(
      'fills paid recharges the API then finds, with balances equal to the journal',
      availability,
      async () => {
        const store = t.running.platform.store;
        const started = Date.now();
        await seedStore(store, {
          appid: t.appid,
          orders: ORDERS,
          accounts: ACCOUNTS,
          now: Date.now(),
          dataDir: t.dataDir,
        });
        const seconds = (Date.now() - started) / 1000;
        const count = async (table: 'orders' | 'transfers' | 'accounts') =>
          Number(
            (
              await store.db
                .selectFrom(table)
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        assert.equal(await count('orders'), ORDERS);
        assert.equal(await count('transfers'), ORDERS);
        assert.equal(await count('accounts'), ACCOUNTS);
        assert.deepEqual(await balancesOffJournal(store), []);
        // Phone numbers are stored sealed, under this platform's key, as its own rows are: its
        // one-time sealing pass is recorded as done and would find nothing to seal.
        const account = await store.db
          .selectFrom('accounts')
          .select('mobile_phone')
          .where('card_no', '=', 'S000000007')
          .executeTakeFirstOrThrow();
        assert.notEqual(account.mobile_phone, '13011111111');
        assert.equal(t.running.platform.patientData.open(account.mobile_phone), '13011111111');
        assert.equal(
          await sealExistingPatientNumbers(store.db, t.running.platform.patientData, Date.now()),
          0,
        );
        const order = await store.db
          .selectFrom('orders')
          .select('detail')
          .where('out_no', '=', 'SEED-0000015016')
          .executeTakeFirstOrThrow();
        assert.ok(!order.detail.includes('13011111111'), 'no phone number in clear in a seeded order');

        // Card S…7 holds orders 7, 7 + M, 7 + 2M…: six of them at 100.00 each (30,011 / 5,003).
        const card = { ...OPERATOR, cardType: '03', cardNo: 'S000000007', accountType: '01' };
        const info = await t.client.accountInfo(card);
        assert.equal(info.respCode, '000000', info.respMsg);
        assert.equal((info['param'] as Record<string, string>)['balance'], '600.00');
        const found = await t.client.query({
          ...card,
          tradeType: 'hop.trade.recharge',
          outTradeNo: 'SEED-0000015016',
        });
        assert.equal(found.respCode, '000000', found.respMsg);
        assert.equal((found['param'] as Record<string, string>)['result'], 'succ');

        const bytes = await storageBytes(store);
        // A real order row carries ~1.3 KB of JSON (its answer and detail); the journal entry far less.
        assert.ok(bytes.perOrder > 1_000 && bytes.perOrder < 10_000, `bytes per order ${bytes.perOrder}`);
        assert.ok(bytes.perJournalEntry > 50 && bytes.perJournalEntry < bytes.perOrder);
        console.log(
          `${database.name}: ${ORDERS} orders, ${ACCOUNTS} accounts in ${seconds.toFixed(1)} s ` +
            `(${Math.round(ORDERS / seconds)} orders/s); bytes per order ${bytes.perOrder}, ` +
            `per journal entry ${bytes.perJournalEntry}, per account ${bytes.perAccount}`,
        );
      },
    );
  });
}
