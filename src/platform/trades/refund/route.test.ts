import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { cashRecharge, cashRefund, OPERATOR } from '../../../testing/params.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import { manualCases, resolveCase } from '../../console/queue.js';
import { consoleDb } from '../../console/tables.js';

function p(answer: Record<string, unknown>): Record<string, unknown> {
  return (answer['param'] ?? {}) as Record<string, unknown>;
}

for (const database of TEST_DATABASES) {
  describe(`refund routes named the same everywhere, on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
    });
    after(async () => {
      if (!availability.skip) await t.closeCheckingLedger();
    });

    it(
      'withdrawMode 0, 2 and 3: one code of at most 16 characters in the answer and the query',
      availability,
      async () => {
        assert.equal((await t.client.recharge(cashRecharge('RR1', 'RR1-C', '30.00'))).respCode, '000000');
        for (const [mode, code] of [
          ['0', 'CASH'],
          ['2', 'BANK_TRANSFER'],
          ['3', 'INS_SELF_PAY'],
        ] as const) {
          const outRefundNo = `RR1-R${mode}`;
          const answer = await t.client.refund({
            ...cashRefund('RR1', 'RR1-C', outRefundNo, '1.00'),
            withdrawMode: mode,
          });
          if (mode === '2') {
            // A bank transfer waits for finance to confirm it (the console's queue), then finishes.
            assert.equal(answer.respCode, '040038', answer.respMsg);
            const [waiting] = (await manualCases(consoleDb(t.running.platform.store.db))).filter(
              (c) => c.order.out_no === outRefundNo,
            );
            assert.ok(waiting, 'waiting in the queue');
            const done = await resolveCase(t.running.platform, {
              traceNo: waiting.order.trace_no,
              action: 'transferDone',
              note: '已转账',
              reference: 'BT-RR1',
              actor: 'fin',
              peer: '127.0.0.1',
              now: Date.now(),
            });
            assert.equal(done.ok, true, JSON.stringify(done));
          } else {
            assert.equal(answer.respCode, '000000', answer.respMsg);
            assert.equal(p(answer)['tradeMode'], code);
          }
          assert.ok(code.length <= 16, 'tradeChannel is Char(16)');
          const query = await t.client.query({
            ...OPERATOR,
            cardType: '03',
            cardNo: 'RR1',
            accountType: '01',
            tradeType: 'hop.trade.refund',
            outTradeNo: outRefundNo,
          });
          assert.equal(p(query)['tradeMode'], code, `the query of a mode ${mode} refund names its route`);
        }
      },
    );
  });
}
