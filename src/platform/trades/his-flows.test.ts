import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHisSim } from '../../his-sim/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import type { SandboxChannels } from '../channels/sandbox/index.js';
import { sweepPending } from './sweep.js';

const KEY = 'his-shared-key-for-tests';
const op = { operatorId: '001', termNo: 'T01', operatorName: '张三' };
const card = (n: number) => ({ ...op, cardType: '03', cardNo: `HC${n}`, accountType: '02' });
const p = (a: Record<string, unknown>) => a['param'] as Record<string, unknown>;

for (const database of TEST_DATABASES) {
  describe(`deposits held by an external HIS (simulator over HTTP) on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    let sim: Awaited<ReturnType<typeof startHisSim>>;
    before(async () => {
      if (availability.skip) return;
      sim = await startHisSim({ key: KEY });
      t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0, sweepGraceMs: 0 } });
      await t.running.platform.apps.configure(t.appid, {
        depositProvider: { kind: 'his-http', baseUrl: sim.url, key: KEY, timeoutMs: 400 },
      });
    });
    after(async () => {
      await t?.closeCheckingLedger();
      await sim?.close();
    });

    async function recharge(n: number, channel: string, amount = '50.00') {
      return t.client.recharge({
        ...card(n),
        hisCustId: `H${n}`,
        userName: '赵六',
        amount,
        outChargeNo: `HR${n}-${channel}`,
        depositType: channel,
        extra: { deskflak: '1' },
      });
    }

    /** A QR recharge paid through the sandbox wallet; answers the trace number. */
    async function paidByQr(n: number): Promise<string> {
      const pending = await recharge(n, 'ALI_QR');
      const qrcode = String(p(pending)['qrcode']);
      const paid = await fetch(`${qrcode}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ wallet: 'alipay' }),
      });
      assert.equal(paid.status, 200);
      const q = await t.client.query({
        ...card(n),
        tradeType: 'hop.trade.recharge',
        outTradeNo: `HR${n}-ALI_QR`,
      });
      assert.equal(p(q)['result'], 'succ', JSON.stringify(q));
      return String(p(pending)['traceNo']);
    }

    function refund(
      n: number,
      outRefundNo: string,
      refundType: string,
      withdrawMode = '1',
      channel = 'ALI_QR',
    ) {
      return t.client.refund({
        ...card(n),
        hisCustId: `H${n}`,
        amount: '10.00',
        withdrawMode,
        refundType,
        outChargeNo: `HR${n}-${channel}`,
        outRefundNo,
        tradeChannel: channel,
        refundDeskMode: '1',
        extra: { deskflak: '1' },
      });
    }

    const sandbox = async () => (await t.running.platform.channelFor(t.appid, 'ALI_QR')) as SandboxChannels;

    it(
      'cash recharge is credited by the HIS: callsn and the HIS balance come back; account info asks the HIS',
      availability,
      async () => {
        const a = await recharge(1, 'CASH');
        assert.equal(a.respCode, '000000', a.respMsg);
        assert.notEqual(p(a)['callsn'], '');
        assert.equal(p(a)['balance'], '50.00');
        const info = await t.client.accountInfo(card(1));
        assert.equal(info.respCode, '000000', info.respMsg);
        assert.equal(p(info)['balance'], '50.00');
        assert.equal(p(info)['status'], '01', 'the spec’s 账户状态, whoever holds the deposit');
      },
    );

    it(
      'an explicit HIS refusal refunds by the original route (040004) and the query says fail',
      availability,
      async () => {
        sim.faults.set('credit', 'fail', { times: 1 });
        const a = await recharge(2, 'CASH');
        assert.equal(a.respCode, '040004', a.respMsg);
        assert.match(a.respMsg, /原路退回/);
        const q = await t.client.query({
          ...card(2),
          tradeType: 'hop.trade.recharge',
          outTradeNo: 'HR2-CASH',
        });
        assert.equal(p(q)['result'], 'fail');
      },
    );

    it(
      'an HIS credit whose answer is lost is never guessed: 040038, then the sweep credits it once',
      availability,
      async () => {
        sim.faults.set('credit', 'timeout', { times: 1, applied: true, hangMs: 2_000 });
        const a = await recharge(3, 'CASH');
        assert.equal(a.respCode, '040038', a.respMsg);
        await sweepPending(t.running.platform);
        const q = await t.client.query({
          ...card(3),
          tradeType: 'hop.trade.recharge',
          outTradeNo: 'HR3-CASH',
        });
        assert.equal(p(q)['result'], 'succ');
        const info = await t.client.accountInfo(card(3));
        assert.equal(p(info)['balance'], '50.00');
      },
    );

    it(
      'direct: HIS refunds then the channel; HIS refusal 040004; channel failure after the HIS 040036',
      availability,
      async () => {
        await paidByQr(4);
        assert.equal((await refund(4, 'D4-1', 'direct')).respCode, '000000');
        sim.faults.set('refund', 'fail', { times: 1 });
        assert.equal((await refund(4, 'D4-2', 'direct')).respCode, '040004');
        const trace = await paidByQr(5);
        await (await sandbox()).injectRefundOutcome(trace, 'fail');
        assert.equal((await refund(5, 'D5-1', 'direct')).respCode, '040036');
        await (await sandbox()).injectRefundOutcome(trace, 'unknown');
        assert.equal((await refund(5, 'D5-2', 'direct')).respCode, '040040');
        await (await sandbox()).injectRefundOutcome(trace, null);
      },
    );

    it(
      'direct: an HIS step whose answer is lost answers 040041 and pays nothing out',
      availability,
      async () => {
        await paidByQr(6);
        sim.faults.set('refund', 'unknown', { times: 1 });
        assert.equal((await refund(6, 'D6-1', 'direct')).respCode, '040041');
      },
    );

    it(
      'hisDecide: channel only; a channel failure is 040023 (the HIS already booked its 退费)',
      availability,
      async () => {
        const trace = await paidByQr(7);
        assert.equal((await refund(7, 'H7-1', 'hisDecide')).respCode, '000000');
        await (await sandbox()).injectRefundOutcome(trace, 'fail');
        assert.equal((await refund(7, 'H7-2', 'hisDecide')).respCode, '040023');
        await (await sandbox()).injectRefundOutcome(trace, null);
      },
    );

    it('prepareAndConfirm: every step and its failures', availability, async () => {
      const trace = await paidByQr(8);
      assert.equal((await refund(8, 'P8-1', 'prepareAndConfirm')).respCode, '000000');
      sim.faults.set('preRefund', 'fail', { times: 1 });
      assert.equal((await refund(8, 'P8-2', 'prepareAndConfirm')).respCode, '040004');
      sim.faults.set('preRefund', 'unknown', { times: 1 });
      assert.equal((await refund(8, 'P8-3', 'prepareAndConfirm')).respCode, '040041');
      await (await sandbox()).injectRefundOutcome(trace, 'fail');
      assert.equal((await refund(8, 'P8-4', 'prepareAndConfirm')).respCode, '032002');
      sim.faults.set('confirmRefund', 'fail', { times: 1 });
      assert.equal((await refund(8, 'P8-5', 'prepareAndConfirm')).respCode, '040018');
      await (await sandbox()).injectRefundOutcome(trace, null);
      await paidByQr(9);
      sim.faults.set('confirmRefund', 'fail', { times: 1 });
      assert.equal((await refund(9, 'P9-1', 'prepareAndConfirm')).respCode, '040017');
    });
  });
}
