import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { cashRecharge } from '../../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import { findAccount } from '../../ledger/accounts.js';
import { findOrderByOutNo } from '../orders.js';
import { findRechargeAndAccount } from './lookup.js';

for (const database of TEST_DATABASES) {
  describe(`a recharge's two reads in one statement, on ${database.name} (with the turn's others on PostgreSQL)`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database);
    });
    after(() => t?.close());

    const key = (cardNo: string, appid = t.appid) => ({ appid, cardType: '03', cardNo, accountType: '01' });

    it('finds what the two separate reads find, column for column', availability, async () => {
      const store = t.running.platform.store;
      const db = store.db;
      assert.deepEqual(await findRechargeAndAccount(store, 'LK-1', key('LK')), {
        existing: undefined,
        account: undefined,
      });
      const paid = await t.client.recharge(cashRecharge('LK', 'LK-1', '12.34'));
      assert.equal(paid.respCode, '000000', paid.respMsg);

      const both = await findRechargeAndAccount(store, 'LK-1', key('LK'));
      assert.ok(both.existing && both.account);
      assert.deepEqual(both.existing, await findOrderByOutNo(db, t.appid, 'recharge', 'LK-1'));
      assert.deepEqual(both.account, await findAccount(db, key('LK')));
      assert.equal(both.account.balance_fen, 1234);

      // Each side alone: a new number on a known card, a known number on an unknown card.
      const accountOnly = await findRechargeAndAccount(store, 'LK-2', key('LK'));
      assert.equal(accountOnly.existing, undefined);
      assert.deepEqual(accountOnly.account, both.account);
      const orderOnly = await findRechargeAndAccount(store, 'LK-1', key('NOBODY'));
      assert.deepEqual(orderOnly.existing, both.existing);
      assert.equal(orderOnly.account, undefined);
    });

    it('many at once: each gets its own answer', availability, async () => {
      const store = t.running.platform.store;
      const known = await findRechargeAndAccount(store, 'LK-1', key('LK'));
      assert.ok(known.existing && known.account);
      // Every fifth asks as another hospital for the same number and card: it must find nothing.
      const asks = Array.from({ length: 60 }, (_, i) => ({
        outNo: i % 3 === 0 ? 'LK-1' : `LK-X${i}`,
        card: i % 2 === 0 ? 'LK' : `NOBODY${i}`,
        appid: i % 5 === 0 ? 'someoneelse' : t.appid,
      }));
      const answers = await Promise.all(
        asks.map((a) => findRechargeAndAccount(store, a.outNo, key(a.card, a.appid))),
      );
      answers.forEach((answer, i) => {
        const ask = asks[i] as (typeof asks)[number];
        const ours = ask.appid === t.appid;
        assert.deepEqual(
          answer.existing,
          ours && ask.outNo === 'LK-1' ? known.existing : undefined,
          `ask ${i}`,
        );
        assert.deepEqual(answer.account, ours && ask.card === 'LK' ? known.account : undefined, `ask ${i}`);
      });
    });
  });
}
