import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHisSim } from '../../his-sim/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import type { SandboxChannels } from '../channels/sandbox/index.js';
import { listAudit } from './audit.js';
import { orderHistory } from './orders.js';
import { manualCases, resolveCase } from './queue.js';
import { consoleDb } from './tables.js';

const KEY = 'his-shared-key-for-console';
const op = { operatorId: '001', termNo: 'T01', operatorName: '张三' };
const card = (n: number) => ({ ...op, cardType: '03', cardNo: `QC${n}`, accountType: '02' });
const p = (a: Record<string, unknown>) => a['param'] as Record<string, unknown>;

for (const database of TEST_DATABASES) {
  describe(`the manual-handling queue on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let sim: Awaited<ReturnType<typeof startHisSim>>;
    const db = () => consoleDb(t.running.platform.store.db);
    before(async () => {
      if (availability.skip) return;
      sim = await startHisSim({ key: KEY });
      t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0, sweepGraceMs: 0 } });
      await t.running.platform.apps.configure(t.appid, {
        depositProvider: { kind: 'his-http', baseUrl: sim.url, key: KEY, timeoutMs: 400 },
      });
    });
    after(async () => {
      // The ledger check: a refund paid out by hand leaves nothing "in flight".
      await t?.closeCheckingLedger();
      await sim?.close();
    });

    async function paidByQr(n: number): Promise<string> {
      const pending = await t.client.recharge({
        ...card(n),
        hisCustId: `H${n}`,
        userName: '赵六',
        amount: '50.00',
        outChargeNo: `QR${n}`,
        depositType: 'ALI_QR',
        extra: { deskflak: '1' },
      });
      const paid = await fetch(`${String(p(pending)['qrcode'])}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ wallet: 'alipay' }),
      });
      assert.equal(paid.status, 200);
      const q = await t.client.query({ ...card(n), tradeType: 'hop.trade.recharge', outTradeNo: `QR${n}` });
      assert.equal(p(q)['result'], 'succ', JSON.stringify(q));
      return String(p(pending)['traceNo']);
    }

    function refund(n: number, outRefundNo: string, refundType: string) {
      return t.client.refund({
        ...card(n),
        hisCustId: `H${n}`,
        amount: '10.00',
        withdrawMode: '1',
        refundType,
        outChargeNo: `QR${n}`,
        outRefundNo,
        tradeChannel: 'ALI_QR',
        refundDeskMode: '1',
        extra: { deskflak: '1' },
      });
    }

    const sandbox = async () => (await t.running.platform.channelFor(t.appid, 'ALI_QR')) as SandboxChannels;
    const who = { actor: 'fin', peer: '127.0.0.1' };

    it(
      '040036 (the HIS refunded, the channel refused): listed with 10.00 in flight; paid by bank transfer with a reference, the query then answers success',
      availability,
      async () => {
        const trace = await paidByQr(1);
        await (await sandbox()).injectRefundOutcome(trace, 'fail');
        const answer = await refund(1, 'Q1-R1', 'direct');
        assert.equal(answer.respCode, '040036');
        await (await sandbox()).injectRefundOutcome(trace, null);
        const cases = await manualCases(db());
        const mine = cases.find((c) => c.order.out_no === 'Q1-R1');
        assert.ok(mine, 'the case is in the queue');
        assert.equal(mine.respCode, '040036');
        assert.equal(mine.inFlightFen, 1000);
        assert.deepEqual(mine.actions, ['payOffline']);
        const refundTrace = mine.order.trace_no;
        assert.deepEqual(
          await resolveCase(t.running.platform, {
            traceNo: refundTrace,
            action: 'writeOff',
            note: 'x',
            reference: '',
            ...who,
            now: Date.now(),
          }),
          { ok: false, message: '此案例不能核销' },
          'money held for the patient cannot be written off',
        );
        assert.deepEqual(
          await resolveCase(t.running.platform, {
            traceNo: refundTrace,
            action: 'payOffline',
            note: '已转账',
            reference: '',
            ...who,
            now: Date.now(),
          }),
          { ok: false, message: '须填写付款凭证号 (转账流水号)' },
        );
        const done = await resolveCase(t.running.platform, {
          traceNo: refundTrace,
          action: 'payOffline',
          note: '患者提供银行卡, 已转账',
          reference: 'BT20261204001',
          ...who,
          now: Date.now(),
        });
        assert.deepEqual(done, { ok: true });
        const again = await resolveCase(t.running.platform, {
          traceNo: refundTrace,
          action: 'payOffline',
          note: '再付一次',
          reference: 'BT2',
          ...who,
          now: Date.now(),
        });
        assert.equal(again.ok, false, 'a case is decided once: the money cannot leave twice');
        assert.equal(
          (await manualCases(db())).some((c) => c.order.trace_no === refundTrace),
          false,
        );
        const q = await t.client.query({ ...card(1), tradeType: 'hop.trade.refund', outTradeNo: 'Q1-R1' });
        assert.equal(p(q)['result'], 'succ', JSON.stringify(q));
        const replayed = await refund(1, 'Q1-R1', 'direct');
        assert.equal(
          replayed.respCode,
          '000000',
          'the HIS asking again under the same number hears it was refunded',
        );
        assert.equal(p(replayed)['tradeMode'], 'BANK_TRANSFER');
        const history = await orderHistory(db(), refundTrace);
        const paidOut = history?.journal.filter((j) => j.debit === `refunding:${refundTrace}`) ?? [];
        assert.deepEqual(
          paidOut.map((j) => [j.credit, j.amount_fen]),
          [['clearing:BANK_TRANSFER:T01', 1000]],
        );
        assert.equal(history?.resolution?.reference, 'BT20261204001');
        const [line] = await listAudit(db(), { target: `order:${refundTrace}` });
        assert.equal(line?.action, 'case.payOffline');
        assert.deepEqual(JSON.parse(line?.before ?? '{}'), {
          state: 'exp',
          respCode: '040036',
          inFlightFen: 1000,
        });
      },
    );

    it(
      '040023 (hisDecide, the channel refused, money back in the deposit): only a written-off reason closes it; no money moves',
      availability,
      async () => {
        const trace = await paidByQr(2);
        await (await sandbox()).injectRefundOutcome(trace, 'fail');
        assert.equal((await refund(2, 'Q2-R1', 'hisDecide')).respCode, '040023');
        await (await sandbox()).injectRefundOutcome(trace, null);
        const mine = (await manualCases(db())).find((c) => c.order.out_no === 'Q2-R1');
        assert.ok(mine);
        assert.equal(mine.inFlightFen, 0);
        assert.deepEqual(mine.actions, ['writeOff']);
        const before = (await orderHistory(db(), mine.order.trace_no))?.journal.length;
        assert.deepEqual(
          await resolveCase(t.running.platform, {
            traceNo: mine.order.trace_no,
            action: 'writeOff',
            note: 'HIS 已冲销其退费记录',
            reference: '',
            ...who,
            now: Date.now(),
          }),
          { ok: true },
        );
        const after = await orderHistory(db(), mine.order.trace_no);
        assert.equal(after?.journal.length, before, 'a write-off moves no money');
        assert.equal(after?.order.state, 'fail');
        assert.equal(
          (await manualCases(db())).some((c) => c.order.out_no === 'Q2-R1'),
          false,
        );
      },
    );

    it(
      'a recharge the HIS refused whose refund by the original route failed is listed, and no reason can close it',
      availability,
      async () => {
        const pending = await t.client.recharge({
          ...card(4),
          hisCustId: 'H4',
          userName: '赵六',
          amount: '50.00',
          outChargeNo: 'QR4',
          depositType: 'ALI_QR',
          extra: { deskflak: '1' },
        });
        const trace = String(p(pending)['traceNo']);
        await (await sandbox()).injectRefundOutcome(trace, 'fail');
        sim.faults.set('credit', 'fail', { times: 1 });
        const paid = await fetch(`${String(p(pending)['qrcode'])}/pay`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ wallet: 'alipay' }),
        });
        assert.equal(paid.status, 200);
        await t.client.query({ ...card(4), tradeType: 'hop.trade.recharge', outTradeNo: 'QR4' });
        await (await sandbox()).injectRefundOutcome(trace, null);
        const mine = (await manualCases(db())).find((c) => c.order.trace_no === trace);
        assert.ok(mine, 'listed for a person');
        assert.equal(mine.order.state, 'exp');
        assert.deepEqual(mine.actions, []);
        const tried = await resolveCase(t.running.platform, {
          traceNo: trace,
          action: 'writeOff',
          note: '已现金退还',
          reference: '',
          ...who,
          now: Date.now(),
        });
        assert.deepEqual(tried, { ok: false, message: '此案例不能核销' });
        assert.ok(
          (await manualCases(db())).some((c) => c.order.trace_no === trace),
          'still waiting',
        );
      },
    );

    it(
      'five people paying the same case out at once: one wins, the money leaves once',
      availability,
      async () => {
        const trace = await paidByQr(5);
        await (await sandbox()).injectRefundOutcome(trace, 'fail');
        assert.equal((await refund(5, 'Q5-R1', 'direct')).respCode, '040036');
        await (await sandbox()).injectRefundOutcome(trace, null);
        const mine = (await manualCases(db())).find((c) => c.order.out_no === 'Q5-R1');
        assert.ok(mine);
        const outcomes = await Promise.all(
          [1, 2, 3, 4, 5].map((n) =>
            resolveCase(t.running.platform, {
              traceNo: mine.order.trace_no,
              action: 'payOffline',
              note: `财务 ${n}`,
              reference: `BT-${n}`,
              ...who,
              now: Date.now(),
            }),
          ),
        );
        assert.equal(outcomes.filter((o) => o.ok).length, 1, JSON.stringify(outcomes));
        const history = await orderHistory(db(), mine.order.trace_no);
        const payouts = history?.journal.filter((j) => j.debit === `refunding:${mine.order.trace_no}`) ?? [];
        assert.equal(payouts.length, 1);
        assert.equal(payouts[0]?.amount_fen, 1000);
        const lines = await listAudit(db(), { target: `order:${mine.order.trace_no}` });
        assert.equal(lines.length, 1, 'one decision, one line');
      },
    );
  });
}
