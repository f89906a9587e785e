import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { cashRecharge, cashRefund } from '../../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import { depositLedgerAccount, findAccount } from '../../ledger/accounts.js';
import { moveDepositBalance, transfer } from '../../ledger/journal.js';
import { findOrderByOutNo } from '../orders.js';

/**
 * A refund paid out offline is one call of onepay_offline_refund on
 * PostgreSQL (refund/one-call.ts) and a transaction on SQLite (refund/refund.ts):
 * both must write the same rows and refuse the same way.
 */

/** What a refund left in the database, with trace numbers, accounts and times replaced by names. */
async function footprint(t: TestPlatform, cardNo: string, outChargeNo: string, outRefundNo: string) {
  const db = t.running.platform.store.db;
  const orig = await findOrderByOutNo(db, t.appid, 'recharge', outChargeNo);
  const refund = await findOrderByOutNo(db, t.appid, 'refund', outRefundNo);
  const account = await findAccount(db, { appid: t.appid, cardType: '03', cardNo, accountType: '01' });
  assert.ok(orig && refund && account);
  const names = (text: string) =>
    text
      .replaceAll(refund.trace_no, '<refund>')
      .replaceAll(orig.trace_no, '<orig>')
      .replaceAll(account.account_no, '<account>');
  const entries = await db
    .selectFrom('transfers')
    .select(['debit', 'credit', 'amount_fen', 'memo', 'created_at'])
    .where('trace_no', '=', refund.trace_no)
    .orderBy('id')
    .execute();
  const answer = JSON.parse(refund.answer ?? 'null') as { param: Record<string, string> };
  const detail = JSON.parse(refund.detail) as { history: { at: number }[] };
  return {
    refund: {
      ...refund,
      trace_no: '<refund>',
      orig_trace_no: refund.orig_trace_no === orig.trace_no ? '<orig>' : refund.orig_trace_no,
      account_no: refund.account_no === account.account_no ? '<account>' : refund.account_no,
      appid: refund.appid === t.appid ? '<app>' : refund.appid,
      request_hash: refund.request_hash.length,
      created_at: 0,
      updated_at: refund.updated_at - refund.created_at,
      finished_at: refund.finished_at === null ? null : refund.finished_at - refund.created_at,
      answer: names(JSON.stringify({ ...answer, param: { ...answer.param, traceTime: '<time>' } })),
      detail: names(
        JSON.stringify({ ...detail, history: detail.history.map((h) => ({ ...h, at: '<time>' })) }),
      ),
    },
    entries: entries.map((e) => ({
      ...e,
      debit: names(e.debit),
      credit: names(e.credit),
      created_at: e.created_at - refund.created_at,
    })),
    origRefundedFen: orig.refunded_fen,
    origUpdatedAt: orig.updated_at - refund.created_at,
    balanceFen: account.balance_fen,
    accountUpdatedAt: account.updated_at - refund.created_at,
  };
}

const footprints = new Map<string, Awaited<ReturnType<typeof footprint>>>();

for (const database of TEST_DATABASES) {
  describe(`an offline refund from the deposit, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
    });
    after(async () => {
      await t?.closeCheckingLedger();
    });

    const accountOf = (cardNo: string) =>
      findAccount(t.running.platform.store.db, { appid: t.appid, cardType: '03', cardNo, accountType: '01' });
    const recharge = async (cardNo: string, outChargeNo: string, amount: string) => {
      const paid = await t.client.recharge(cashRecharge(cardNo, outChargeNo, amount));
      assert.equal(paid.respCode, '000000', paid.respMsg);
    };

    it('writes the order, journal, balance and original as the other engine does', availability, async () => {
      await recharge('OC1', 'OC1-C', '10.00');
      const answer = await t.client.refund(cashRefund('OC1', 'OC1-C', 'OC1-R', '3.50'));
      assert.equal(answer.respCode, '000000', answer.respMsg);
      assert.equal((answer['param'] as Record<string, string>)['succAmount'], '3.50');
      const print = await footprint(t, 'OC1', 'OC1-C', 'OC1-R');
      assert.equal(print.refund.state, 'succ');
      assert.equal(print.balanceFen, 650);
      assert.equal(print.origRefundedFen, 350);
      assert.deepEqual(
        print.entries.map((e) => [e.debit, e.credit, e.amount_fen]),
        [
          ['deposit:<account>', 'refunding:<refund>', 350],
          ['refunding:<refund>', 'clearing:CASH:T01', 350],
        ],
      );
      footprints.set(database.name, print);
      const other = footprints.get(database.name === 'sqlite' ? 'postgres' : 'sqlite');
      if (other) assert.deepEqual(print, other);
    });

    it('never refunds more than the order, however many ask at once', availability, async () => {
      await recharge('OC2', 'OC2-C', '10.00');
      // A second order on the account, so the balance (20.00) would allow more than this order's 10.00.
      await recharge('OC2', 'OC2-D', '10.00');
      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, i) => t.client.refund(cashRefund('OC2', 'OC2-C', `OC2-R${i}`, '3.00'))),
      );
      const codes = answers.map((a) => a.respCode).sort();
      assert.deepEqual(codes, ['000000', '000000', '000000', '034001', '034001']);
      const db = t.running.platform.store.db;
      const orig = await findOrderByOutNo(db, t.appid, 'recharge', 'OC2-C');
      assert.equal(orig?.refunded_fen, 900);
      const account = await accountOf('OC2');
      assert.equal(account?.balance_fen, 1100);
    });

    it('an identical refund sent five times at once pays out once', availability, async () => {
      await recharge('OC3', 'OC3-C', '10.00');
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => t.client.refund(cashRefund('OC3', 'OC3-C', 'OC3-R', '4.00'))),
      );
      for (const a of answers) assert.deepEqual(a, answers[0]);
      assert.equal(answers[0]?.respCode, '000000');
      const account = await accountOf('OC3');
      assert.equal(account?.balance_fen, 600);
    });

    it('a deposit spent elsewhere refuses the refund and writes nothing', availability, async () => {
      await recharge('OC4', 'OC4-C', '10.00');
      const db = t.running.platform.store.db;
      const account = await accountOf('OC4');
      assert.ok(account);
      // 9.00 of the deposit consumed by the hospital, journal and balance together.
      await db.transaction().execute(async (trx) => {
        await transfer(trx, {
          traceNo: 'consumed-OC4',
          appid: t.appid,
          debit: depositLedgerAccount(account.account_no),
          credit: 'hospital:consumed',
          amountFen: 900,
          memo: 'test: deposit consumed',
          now: Date.now(),
        });
        await moveDepositBalance(trx, account.account_no, -900, Date.now());
      });
      const answer = await t.client.refund(cashRefund('OC4', 'OC4-C', 'OC4-R', '5.00'));
      assert.equal(answer.respCode, '034001');
      assert.match(answer.respMsg, /余额不足/);
      assert.equal(await findOrderByOutNo(db, t.appid, 'refund', 'OC4-R'), undefined);
      const orig = await findOrderByOutNo(db, t.appid, 'recharge', 'OC4-C');
      assert.equal(orig?.refunded_fen, 0);
      const after = await accountOf('OC4');
      assert.equal(after?.balance_fen, 100);
      // What is left can still be refunded.
      assert.equal((await t.client.refund(cashRefund('OC4', 'OC4-C', 'OC4-R2', '1.00'))).respCode, '000000');
    });
  });
}
