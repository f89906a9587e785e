import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';
import { sweepPending } from './sweep.js';

const op = { operatorId: '001', termNo: 'T01', operatorName: '张三' };
const opening = { userSex: '2', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };

function card(n: number) {
  return { ...op, cardType: '03', cardNo: `CARD${n}`, accountType: '01' };
}

function patient(n: number) {
  return { ...card(n), hisCustId: `H${n}`, userName: '李四', idNo: '' };
}

function p(answer: Record<string, unknown>): Record<string, unknown> {
  return answer['param'] as Record<string, unknown>;
}

for (const database of TEST_DATABASES) {
  describe(`money flows on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
    });
    after(async () => {
      await t?.closeCheckingLedger();
    });

    async function cash(n: number, outChargeNo: string, amount: string) {
      const answer = await t.client.recharge({
        ...patient(n),
        amount,
        outChargeNo,
        depositType: 'CASH',
        extra: opening,
      });
      assert.equal(answer.respCode, '000000', answer.respMsg);
      return answer;
    }

    function refundOf(
      n: number,
      outChargeNo: string,
      outRefundNo: string,
      amount: string,
      more: Record<string, unknown> = {},
    ) {
      return t.client.refund({
        ...card(n),
        hisCustId: `H${n}`,
        amount,
        withdrawMode: '0',
        refundType: 'hisDecide',
        traceNo: '',
        outChargeNo,
        outRefundNo,
        tradeChannel: 'CASH',
        refundDeskMode: '1',
        extra: { deskflak: '1' },
        ...more,
      });
    }

    it(
      'partial cash refunds until exhausted, then 034001; the same outRefundNo never refunds twice',
      availability,
      async () => {
        await cash(1, 'R1-C', '10.00');
        const a = await refundOf(1, 'R1-C', 'R1-R1', '3.00');
        assert.equal(a.respCode, '000000', a.respMsg);
        assert.equal(p(a)['succAmount'], '3.00');
        assert.equal(p(a)['outRefundNo'], 'R1-R1');
        const again = await refundOf(1, 'R1-C', 'R1-R1', '3.00');
        assert.deepEqual(again, a);
        const b = await refundOf(1, 'R1-C', 'R1-R2', '7.00');
        assert.equal(b.respCode, '000000', b.respMsg);
        const c = await refundOf(1, 'R1-C', 'R1-R3', '0.01');
        assert.equal(c.respCode, '034001');
        const info = await t.client.accountInfo({
          ...op,
          cardType: '03',
          cardNo: 'CARD1',
          accountType: '01',
        });
        assert.equal(p(info)['balance'], '0.00');
      },
    );

    it('refund beyond the refundable amount gets 034001 and moves nothing', availability, async () => {
      await cash(2, 'R2-C', '5.00');
      const r = await refundOf(2, 'R2-C', 'R2-R1', '5.01');
      assert.equal(r.respCode, '034001');
      const info = await t.client.accountInfo({ ...op, cardType: '03', cardNo: 'CARD2', accountType: '01' });
      assert.equal(p(info)['balance'], '5.00');
    });

    it(
      "refund of another patient's order gets 034007; of an unknown order 040008",
      availability,
      async () => {
        await cash(3, 'R3-C', '5.00');
        await cash(4, 'R4-C', '5.00');
        assert.equal((await refundOf(4, 'R3-C', 'R4-R1', '1.00')).respCode, '034007');
        assert.equal((await refundOf(4, 'NOPE', 'R4-R2', '1.00')).respCode, '040008');
      },
    );

    it('a refund whose outRefundNo is reused with other parameters gets 030001', availability, async () => {
      await cash(5, 'R5-C', '5.00');
      assert.equal((await refundOf(5, 'R5-C', 'R5-R1', '1.00')).respCode, '000000');
      assert.equal((await refundOf(5, 'R5-C', 'R5-R1', '2.00')).respCode, '030001');
    });

    it('close of a paid order answers 033001; of an unknown one 030002', availability, async () => {
      await cash(6, 'R6-C', '5.00');
      const base = { ...card(6), closeReason: '测试' };
      assert.equal((await t.client.rechargeClose({ ...base, outChargeNo: 'R6-C' })).respCode, '033001');
      assert.equal((await t.client.rechargeClose({ ...base, outChargeNo: 'NOPE' })).respCode, '030002');
    });

    it(
      'a channel the app has not enabled gets 032001; bad amounts get 020003 and nothing is written',
      availability,
      async () => {
        const bad = await t.client.recharge({
          ...patient(7),
          amount: '1.001',
          outChargeNo: 'R7-C',
          depositType: 'CASH',
          extra: opening,
        });
        assert.equal(bad.respCode, '020003');
        for (const amount of ['-1.00', '0', '0.00', 'abc', '1e3']) {
          const r = await t.client.recharge({
            ...patient(7),
            amount,
            outChargeNo: 'R7-C',
            depositType: 'CASH',
            extra: opening,
          });
          assert.equal(r.respCode, '020003', `${amount}: ${r.respMsg}`);
        }
        const q = await t.client.query({ ...card(7), tradeType: 'hop.trade.recharge', outTradeNo: 'R7-C' });
        assert.equal(p(q)['result'], 'notfound');
      },
    );

    it(
      '200 concurrent identical recharges make one order and 200 identical answers',
      availability,
      async () => {
        const request = {
          ...patient(8),
          amount: '12.34',
          outChargeNo: 'R8-C',
          depositType: 'CASH',
          extra: opening,
        };
        const answers = await Promise.all(Array.from({ length: 200 }, () => t.client.recharge(request)));
        for (const answer of answers) assert.deepEqual(answer, answers[0]);
        assert.equal(answers[0]?.respCode, '000000');
        const info = await t.client.accountInfo({
          ...op,
          cardType: '03',
          cardNo: 'CARD8',
          accountType: '01',
        });
        assert.equal(p(info)['balance'], '12.34');
      },
    );

    it(
      '100 concurrent refunds that together exceed the paid amount refund no more than was paid',
      availability,
      async () => {
        await cash(9, 'R9-C', '10.00');
        const answers = await Promise.all(
          Array.from({ length: 100 }, (_, i) => refundOf(9, 'R9-C', `R9-R${i}`, '0.30')),
        );
        const ok = answers.filter((a) => a.respCode === '000000').length;
        assert.equal(ok, 33, answers.map((a) => a.respCode).join(','));
        for (const a of answers) assert.ok(['000000', '034001'].includes(a.respCode), a.respMsg);
        const info = await t.client.accountInfo({
          ...op,
          cardType: '03',
          cardNo: 'CARD9',
          accountType: '01',
        });
        assert.equal(p(info)['balance'], '0.10');
      },
    );
  });
}

describe('QR recharge through the sandbox wallet (SQLite)', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform(TEST_DATABASES[0]!, {
      settings: { refundMinIntervalMs: 0, sweepGraceMs: 0, barcodePollIntervalMs: 10, barcodePollMax: 5 },
    });
  });
  after(async () => {
    await t?.closeCheckingLedger();
  });

  it('QR recharge → wallet pays → query succ → partial refunds by the original route', async () => {
    const request = {
      ...patient(20),
      amount: '8.00',
      outChargeNo: 'Q20-C',
      depositType: 'ALI_QR',
      extra: opening,
    };
    const pending = await t.client.recharge(request);
    assert.equal(pending.respCode, '000000', pending.respMsg);
    const qrcode = String(p(pending)['qrcode']);
    assert.match(qrcode, /^http:\/\/127\.0\.0\.1:\d+\/q\//);
    assert.equal(p(pending)['tradeState'], '1');
    const query = { ...card(20), tradeType: 'hop.trade.recharge', outTradeNo: 'Q20-C' };
    assert.equal(p(await t.client.query(query))['result'], 'ing');

    const paid = await fetch(`${qrcode}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ wallet: 'alipay' }),
    });
    assert.equal(paid.status, 200, await paid.text());
    const done = await t.client.query(query);
    assert.equal(p(done)['result'], 'succ');
    assert.equal(p(done)['tradeMode'], 'ALI_QR');
    const replay = await t.client.recharge(request);
    assert.equal(p(replay)['tradeState'], '0');
    assert.equal(p(replay)['balance'], '8.00');

    const refund = await t.client.refund({
      ...card(20),
      hisCustId: 'H20',
      amount: '3.00',
      withdrawMode: '1',
      refundType: 'hisDecide',
      outChargeNo: 'Q20-C',
      outRefundNo: 'Q20-R1',
      tradeChannel: 'ALI_QR',
      refundDeskMode: '1',
      extra: { deskflak: '1' },
    });
    assert.equal(refund.respCode, '000000', refund.respMsg);
    assert.equal(p(refund)['tradeMode'], 'ALI_QR');
    const rq = await t.client.query({ ...card(20), tradeType: 'hop.trade.refund', outTradeNo: 'Q20-R1' });
    assert.equal(p(rq)['result'], 'succ');
  });

  it('close of an unpaid QR order closes it; closing again answers 035001; the wallet refuses', async () => {
    const request = {
      ...patient(21),
      amount: '2.00',
      outChargeNo: 'Q21-C',
      depositType: 'WX_QR',
      extra: opening,
    };
    const pending = await t.client.recharge(request);
    const qrcode = String(p(pending)['qrcode']);
    const close = { ...card(21), outChargeNo: 'Q21-C', closeReason: '患者离开' };
    const closed = await t.client.rechargeClose(close);
    assert.equal(closed.respCode, '000000', closed.respMsg);
    assert.equal(p(closed)['outChargeNo'], 'Q21-C');
    assert.equal((await t.client.rechargeClose(close)).respCode, '035001');
    const late = await fetch(`${qrcode}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ wallet: 'wechat' }),
    });
    assert.notEqual(late.status, 200);
    const q = await t.client.query({ ...card(21), tradeType: 'hop.trade.recharge', outTradeNo: 'Q21-C' });
    assert.equal(p(q)['result'], 'closed');
  });

  it('refunds of one order closer together than the limit get 044003', async () => {
    await t.running.platform.apps.configure(t.appid, {});
    const limited = await startTestPlatform(TEST_DATABASES[0]!, {
      settings: { refundMinIntervalMs: 60_000 },
    });
    try {
      const paid = await limited.client.recharge({
        ...patient(23),
        amount: '5.00',
        outChargeNo: 'L23-C',
        depositType: 'CASH',
        extra: opening,
      });
      assert.equal(paid.respCode, '000000', paid.respMsg);
      const refund = (outRefundNo: string) =>
        limited.client.refund({
          ...card(23),
          hisCustId: 'H23',
          amount: '1.00',
          withdrawMode: '0',
          refundType: 'hisDecide',
          outChargeNo: 'L23-C',
          outRefundNo,
          tradeChannel: 'CASH',
          refundDeskMode: '1',
          extra: { deskflak: '1' },
        });
      assert.equal((await refund('L23-R1')).respCode, '000000');
      const again = await refund('L23-R2');
      assert.equal(again.respCode, '044003');
      assert.match(again.respMsg, /频繁/);
      await limited.assertLedger();
    } finally {
      await limited.close();
    }
  });

  it('an unpaid QR order expires by itself: the sweep closes the channel side, the wallet refuses', async () => {
    await t.running.platform.apps.configure(t.appid, { orderTtlMinutes: 0 });
    try {
      const pending = await t.client.recharge({
        ...patient(22),
        amount: '3.00',
        outChargeNo: 'Q22-C',
        depositType: 'UP_QR',
        extra: opening,
      });
      const qrcode = String(p(pending)['qrcode']);
      const stats = await sweepPending(t.running.platform);
      assert.ok(stats.closed >= 1, JSON.stringify(stats));
      const q = await t.client.query({ ...card(22), tradeType: 'hop.trade.recharge', outTradeNo: 'Q22-C' });
      assert.equal(p(q)['result'], 'closed');
      const late = await fetch(`${qrcode}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ wallet: 'unionpay' }),
      });
      assert.notEqual(late.status, 200);
    } finally {
      await t.running.platform.apps.configure(t.appid, {});
    }
  });

  it('barcode payments: instant success, declined (032002), password then success, stuck then cancelled', async () => {
    const code = (last: number) => `13${'0'.repeat(15)}${last}`; // WeChat: 18 digits starting 10-15
    const bar = (n: number, last: number) =>
      t.client.recharge({
        ...patient(n),
        amount: '1.00',
        outChargeNo: `B${n}`,
        depositType: 'ONE_BAR',
        extra: { ...opening, authCode: code(last) },
      });
    const ok = await bar(30, 1);
    assert.equal(ok.respCode, '000000', ok.respMsg);
    assert.equal(p(ok)['tradeMode'], 'WX_BAR');
    assert.equal((await bar(31, 6)).respCode, '032002');
    const password = await bar(32, 7);
    assert.equal(password.respCode, '000000', password.respMsg);
    const stuck = await bar(33, 8);
    assert.equal(stuck.respCode, '032002', stuck.respMsg);
    const q = await t.client.query({ ...card(33), tradeType: 'hop.trade.recharge', outTradeNo: 'B33' });
    assert.equal(p(q)['result'], 'fail');
  });
});
