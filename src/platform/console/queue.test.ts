import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHisSim } from '../../his-sim/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import type { SandboxChannels } from '../channels/sandbox/index.js';
import { sweepPending } from '../trades/sweep.js';
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
        assert.deepEqual(mine.actions, ['retryChannel', 'payOffline']);
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
        assert.deepEqual(mine.actions, ['refundOriginalRoute']);
        const tried = await resolveCase(t.running.platform, {
          traceNo: trace,
          action: 'writeOff',
          note: '已现金退还',
          reference: '',
          ...who,
          now: Date.now(),
        });
        assert.deepEqual(tried, { ok: false, message: '此案例不能核销' });
        const journal = async () => (await orderHistory(db(), trace))?.journal ?? [];
        const entries = (await journal()).length;
        // The channel still refuses that refund number: nothing moves, the case stays.
        const refused = await resolveCase(t.running.platform, {
          traceNo: trace,
          action: 'refundOriginalRoute',
          note: '再试原路退回',
          reference: '',
          ...who,
          now: Date.now(),
        });
        assert.equal(refused.ok, true);
        assert.match(refused.ok ? (refused.message ?? '') : '', /仍未完成/);
        assert.equal((await journal()).length, entries, 'a refused refund moves no money');
        assert.ok(
          (await manualCases(db())).some((c) => c.order.trace_no === trace),
          'still waiting',
        );
        // The channel takes the refund this time (its refused attempt under that number is gone):
        await t.running.platform.store.db
          .deleteFrom('sandbox_refunds')
          .where('refund_trace_no', '=', `${trace}R`)
          .execute();
        const done = await resolveCase(t.running.platform, {
          traceNo: trace,
          action: 'refundOriginalRoute',
          note: '渠道恢复, 原路退回',
          reference: '',
          ...who,
          now: Date.now(),
        });
        assert.deepEqual(done, { ok: true, message: `订单 ${trace} 已原路退回` });
        const moved = (await journal()).slice(entries);
        assert.deepEqual(
          moved.map((j) => [j.debit, j.credit, j.amount_fen]),
          [[`his:${t.appid}`, 'clearing:ALI_QR:T01', 5000]],
        );
        const q = await t.client.query({ ...card(4), tradeType: 'hop.trade.recharge', outTradeNo: 'QR4' });
        assert.equal(p(q)['result'], 'fail');
        assert.equal(
          (await manualCases(db())).some((c) => c.order.trace_no === trace),
          false,
        );
        const again = await resolveCase(t.running.platform, {
          traceNo: trace,
          action: 'refundOriginalRoute',
          note: '再来一次',
          reference: '',
          ...who,
          now: Date.now(),
        });
        assert.equal(again.ok, false, 'refunded once: the case is gone');
        assert.equal((await journal()).length, entries + 1);
        const lines = await listAudit(db(), { target: `order:${trace}` });
        assert.deepEqual(lines.map((l) => l.action).reverse(), [
          'case.refundOriginalRoute',
          'case.refundOriginalRoute.result',
          'case.refundOriginalRoute',
          'case.refundOriginalRoute.result',
        ]);
      },
    );

    it(
      '040036, retry the channel: refused again it comes back to the queue; taken, the refund finishes by the channel, once',
      availability,
      async () => {
        const trace = await paidByQr(6);
        await (await sandbox()).injectRefundOutcome(trace, 'fail');
        assert.equal((await refund(6, 'Q6-R1', 'direct')).respCode, '040036');
        await (await sandbox()).injectRefundOutcome(trace, null);
        const mine = (await manualCases(db())).find((c) => c.order.out_no === 'Q6-R1');
        assert.ok(mine);
        const refundTrace = mine.order.trace_no;
        assert.equal(
          typeof JSON.parse(mine.order.detail)['hisCallsn'],
          'string',
          "the HIS's receipt of its step is kept (the sweep reads it to know the HIS answered)",
        );
        const retry = () =>
          resolveCase(t.running.platform, {
            traceNo: refundTrace,
            action: 'retryChannel',
            note: '渠道已恢复, 重新提交',
            reference: '',
            ...who,
            now: Date.now(),
          });
        const first = await retry();
        assert.equal(first.ok, true);
        const back = (await manualCases(db())).find((c) => c.order.trace_no === refundTrace);
        assert.ok(back, 'refused again: back in the queue');
        assert.equal(back.respCode, '040036');
        assert.equal(back.inFlightFen, 1000, 'still held for the patient');
        await t.running.platform.store.db
          .deleteFrom('sandbox_refunds')
          .where('refund_trace_no', '=', refundTrace)
          .execute();
        const second = await retry();
        assert.deepEqual(second, { ok: true, message: `订单 ${refundTrace} 已完成` });
        const history = await orderHistory(db(), refundTrace);
        assert.equal(history?.order.state, 'succ');
        const paidOut = history?.journal.filter((j) => j.debit === `refunding:${refundTrace}`) ?? [];
        assert.deepEqual(
          paidOut.map((j) => [j.credit, j.amount_fen]),
          [['clearing:ALI_QR:T01', 1000]],
        );
        const q = await t.client.query({ ...card(6), tradeType: 'hop.trade.refund', outTradeNo: 'Q6-R1' });
        assert.equal(p(q)['result'], 'succ');
        assert.equal((await retry()).ok, false, 'finished: nothing to retry');
        const paidTwice = (await orderHistory(db(), refundTrace))?.journal.filter(
          (j) => j.debit === `refunding:${refundTrace}`,
        );
        assert.equal(paidTwice?.length, 1);
      },
    );

    it(
      '040017, ask the HIS again: the confirmation comes, the refund finishes with no money moved',
      availability,
      async () => {
        await paidByQr(7);
        sim.faults.set('confirmRefund', 'fail', { times: 1 });
        assert.equal((await refund(7, 'Q7-R1', 'prepareAndConfirm')).respCode, '040017');
        const mine = (await manualCases(db())).find((c) => c.order.out_no === 'Q7-R1');
        assert.ok(mine);
        assert.deepEqual(mine.actions, ['askHis', 'writeOff']);
        const entries = (await orderHistory(db(), mine.order.trace_no))?.journal.length;
        const refusedAgain = await resolveCase(t.running.platform, {
          traceNo: mine.order.trace_no,
          action: 'askHis',
          note: '再次确认',
          reference: '',
          ...who,
          now: Date.now(),
        });
        assert.match(refusedAgain.ok ? (refusedAgain.message ?? '') : '', /仍未完成.*040017/);
        assert.ok(
          (await manualCases(db())).some((c) => c.order.out_no === 'Q7-R1'),
          'refused again: still waiting',
        );
        // The HIS's staff put its record right (the refusal is gone); asked again, it confirms.
        sim.state.forget('confirmRefund', mine.order.trace_no);
        const asked = await resolveCase(t.running.platform, {
          traceNo: mine.order.trace_no,
          action: 'askHis',
          note: 'HIS 已修复, 再次确认',
          reference: '',
          ...who,
          now: Date.now(),
        });
        assert.deepEqual(asked, { ok: true, message: `订单 ${mine.order.trace_no} 已完成` });
        const after = await orderHistory(db(), mine.order.trace_no);
        assert.equal(after?.order.state, 'succ');
        assert.equal(after?.journal.length, entries, 'the money went out before: nothing moves now');
        const q = await t.client.query({ ...card(7), tradeType: 'hop.trade.refund', outTradeNo: 'Q7-R1' });
        assert.equal(p(q)['result'], 'succ');
      },
    );

    it(
      '040041 (the HIS step gave no answer), the HIS did not deduct: given back to the deposit once, the refund failed, the payment refundable again',
      availability,
      async () => {
        const trace = await paidByQr(11);
        const refundedFen = async () =>
          Number(
            (
              await t.running.platform.store.db
                .selectFrom('orders')
                .select('refunded_fen')
                .where('trace_no', '=', trace)
                .executeTakeFirstOrThrow()
            ).refunded_fen,
          );
        sim.faults.set('refund', 'unknown', { times: 1 });
        assert.equal((await refund(11, 'Q11-R1', 'direct')).respCode, '040041');
        assert.equal(await refundedFen(), 1000, 'the unknown refund counts against the payment');
        const mine = (await manualCases(db())).find((c) => c.order.out_no === 'Q11-R1');
        assert.ok(mine, 'the case is in the queue');
        assert.equal(mine.inFlightFen, 1000);
        assert.deepEqual(mine.actions, ['payOffline', 'giveBack']);
        const decide = () =>
          resolveCase(t.running.platform, {
            traceNo: mine.order.trace_no,
            action: 'giveBack',
            note: 'HIS 查无扣减记录',
            reference: '',
            ...who,
            now: Date.now(),
          });
        assert.deepEqual(await decide(), { ok: true });
        assert.equal((await decide()).ok, false, 'decided once: the money cannot go back twice');
        const q = await t.client.query({ ...card(11), tradeType: 'hop.trade.refund', outTradeNo: 'Q11-R1' });
        assert.equal(p(q)['result'], 'fail', JSON.stringify(q));
        assert.equal(await refundedFen(), 0, 'the refund that did not happen no longer counts');
        const history = await orderHistory(db(), mine.order.trace_no);
        const back = history?.journal.filter((j) => j.debit === `refunding:${mine.order.trace_no}`) ?? [];
        assert.deepEqual(
          back.map((j) => j.amount_fen),
          [1000],
        );
        assert.equal(back[0]?.credit.startsWith('clearing:'), false, 'back to the deposit, not paid out');
        const [line] = await listAudit(db(), { target: `order:${mine.order.trace_no}` });
        assert.equal(line?.action, 'case.giveBack');
        assert.equal(JSON.parse(line?.after ?? '{}').state, 'fail');
        assert.equal((await refund(11, 'Q11-R2', 'direct')).respCode, '000000', 'refundable again');
      },
    );

    it(
      'withdrawMode 2: the refund waits in the queue, its money in flight, until finance confirms the transfer',
      availability,
      async () => {
        await paidByQr(8);
        const answer = await t.client.refund({
          ...card(8),
          hisCustId: 'H8',
          amount: '10.00',
          withdrawMode: '2',
          refundType: 'direct',
          outChargeNo: 'QR8',
          outRefundNo: 'Q8-R1',
          tradeChannel: 'ALI_QR',
          refundDeskMode: '1',
          extra: { deskflak: '1' },
        });
        assert.equal(answer.respCode, '040038', JSON.stringify(answer));
        const query = () =>
          t.client.query({ ...card(8), tradeType: 'hop.trade.refund', outTradeNo: 'Q8-R1' });
        assert.notEqual(p(await query())['result'], 'succ', 'not refunded before the transfer');
        const mine = (await manualCases(db())).find((c) => c.order.out_no === 'Q8-R1');
        assert.ok(mine, 'waiting in the queue');
        assert.equal(mine.inFlightFen, 1000);
        assert.deepEqual(mine.actions, ['transferDone']);
        const noRef = await resolveCase(t.running.platform, {
          traceNo: mine.order.trace_no,
          action: 'transferDone',
          note: '已转账',
          reference: '',
          ...who,
          now: Date.now(),
        });
        assert.deepEqual(noRef, { ok: false, message: '须填写付款凭证号 (转账流水号)' });
        const done = await resolveCase(t.running.platform, {
          traceNo: mine.order.trace_no,
          action: 'transferDone',
          note: '已转账至患者银行卡',
          reference: 'BT-Q8',
          ...who,
          now: Date.now(),
        });
        assert.deepEqual(done, { ok: true, message: `订单 ${mine.order.trace_no} 已完成` });
        const q = await query();
        assert.equal(p(q)['result'], 'succ');
        assert.equal(p(q)['tradeMode'], 'BANK_TRANSFER');
        const history = await orderHistory(db(), mine.order.trace_no);
        const paidOut = history?.journal.filter((j) => j.debit === `refunding:${mine.order.trace_no}`) ?? [];
        assert.deepEqual(
          paidOut.map((j) => [j.credit, j.amount_fen]),
          [['clearing:BANK_TRANSFER:T01', 1000]],
        );
        const replayed = await t.client.refund({
          ...card(8),
          hisCustId: 'H8',
          amount: '10.00',
          withdrawMode: '2',
          refundType: 'direct',
          outChargeNo: 'QR8',
          outRefundNo: 'Q8-R1',
          tradeChannel: 'ALI_QR',
          refundDeskMode: '1',
          extra: { deskflak: '1' },
        });
        assert.equal(replayed.respCode, '000000', 'the same request now hears it was refunded');
      },
    );

    it(
      'withdrawMode 2 stopped after the HIS step (a crash): the sweep sends it to finance, never to the channel',
      availability,
      async () => {
        await paidByQr(9);
        const answer = await t.client.refund({
          ...card(9),
          hisCustId: 'H9',
          amount: '10.00',
          withdrawMode: '2',
          refundType: 'direct',
          outChargeNo: 'QR9',
          outRefundNo: 'Q9-R1',
          tradeChannel: 'ALI_QR',
          refundDeskMode: '1',
          extra: { deskflak: '1' },
        });
        assert.equal(answer.respCode, '040038');
        const store = t.running.platform.store.db;
        const row = await store
          .selectFrom('orders')
          .selectAll()
          .where('out_no', '=', 'Q9-R1')
          .executeTakeFirstOrThrow();
        // As the process would have left it had it stopped between the HIS's answer and the wait.
        const {
          awaitingTransfer: _a,
          manual: _m,
          ...before
        } = JSON.parse(row.detail) as Record<string, unknown>;
        await store
          .updateTable('orders')
          .set({ state: 'ing', answer: null, detail: JSON.stringify(before) })
          .where('trace_no', '=', row.trace_no)
          .execute();
        await sweepPending(t.running.platform);
        const channelAsked = await store
          .selectFrom('sandbox_refunds')
          .select('refund_trace_no')
          .where('refund_trace_no', '=', row.trace_no)
          .execute();
        assert.deepEqual(channelAsked, [], 'the channel was not asked to pay a bank-transfer refund');
        const mine = (await manualCases(db())).find((c) => c.order.trace_no === row.trace_no);
        assert.ok(mine, 'waiting for finance');
        assert.deepEqual(mine.actions, ['transferDone']);
        assert.equal(mine.inFlightFen, 1000);
        const done = await resolveCase(t.running.platform, {
          traceNo: row.trace_no,
          action: 'transferDone',
          note: '已转账',
          reference: 'BT-Q9',
          ...who,
          now: Date.now(),
        });
        assert.equal(done.ok, true, JSON.stringify(done));
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
