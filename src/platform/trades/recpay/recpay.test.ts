import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../../testing/platform.js';
import { verifyWebhook } from '../../notify/webhook.js';
import { NotifyWorker } from '../../notify/worker.js';

const op = { operatorId: '001', termNo: 'T01', operatorName: '张三' };
const item = (seq: number, price: string, num = '1') => ({
  wardDept: '体检中心',
  doctorCode: 'D01',
  phyExamNo: 'PE001',
  purchaseCode: `P${seq}`,
  itemNum: num,
  itemPrice: price,
  totPrice: price,
  itemSeq: String(seq),
  itemName: `项目${seq}`,
});

function bill(n: number, depositType: string, rechargeAmount: string, extra: Record<string, unknown> = {}) {
  return {
    ...op,
    cardType: '03',
    cardNo: `PE${n}`,
    accountType: '01',
    depositType,
    rechargeAmount,
    consumeAmount: '30.00',
    outTradeNo: `PE${n}-T`,
    hisCustId: `H${n}`,
    extra: {
      examList: [item(1, '10.00'), item(2, '10.00', '2')],
      patientType: '00',
      deskflak: '1',
      ...extra,
    },
  };
}

function cancel(n: number, outCancelNo: string, more: Record<string, unknown> = {}) {
  return {
    operatorId: '001',
    operatorName: '张三',
    accountType: '01',
    withdrawMode: '1',
    outTradeNo: `PE${n}-T`,
    hisCustId: `H${n}`,
    outCancelNo,
    extra: { phyExamNo: 'PE001', purchaseNo: 'PN1' },
    ...more,
  };
}

const p = (a: Record<string, unknown>) => a['param'] as Record<string, unknown>;

for (const database of TEST_DATABASES) {
  describe(`exam bills (recpay) and insurance reversal (pay.cancel) on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database, { settings: { sweepGraceMs: 0 } });
    });
    after(async () => {
      await t?.closeCheckingLedger();
    });

    async function outbox(topic: string) {
      return t.running.platform.store.db
        .selectFrom('outbox')
        .selectAll()
        .where('topic', '=', topic)
        .execute();
    }

    it(
      'all insurance (rechargeAmount 0): settled at once, details queued for the HIS',
      availability,
      async () => {
        const a = await t.client.recpay(bill(1, 'CASH', '0.00', { patientType: '01' }));
        assert.equal(a.respCode, '000000', a.respMsg);
        assert.equal(p(a)['qrcode'], '0');
        assert.match(String(p(a)['traceTime']), /^\d{14}$/);
        const rows = await outbox('his.recpay');
        assert.ok(rows.some((r) => JSON.parse(r.payload).outTradeNo === 'PE1-T'));
      },
    );

    it('self-paid part by QR: pending, wallet pays, query succ, notifyUrl queued', availability, async () => {
      const a = await t.client.recpay(bill(2, 'WX_QR', '30.00', { notifyUrl: 'http://127.0.0.1:9/notify' }));
      assert.equal(a.respCode, '000000', a.respMsg);
      const qrcode = String(p(a)['qrcode']);
      assert.match(qrcode, /\/q\//);
      const paid = await fetch(`${qrcode}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ wallet: 'wechat' }),
      });
      assert.equal(paid.status, 200);
      const q = await t.client.query({
        ...op,
        cardType: '03',
        cardNo: 'PE2',
        accountType: '01',
        tradeType: 'hop.trade.recpay',
        outTradeNo: 'PE2-T',
      });
      assert.equal(p(q)['result'], 'succ');
      assert.ok((await outbox('callback')).some((r) => JSON.parse(r.payload).body.outTradeNo === 'PE2-T'));
    });

    it('notifyUrl receives a signed callback once the bill is paid', availability, async () => {
      const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
      const receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => {
          body += c.toString('utf8');
        });
        req.on('end', () => {
          got.push({ headers: req.headers, body });
          res.end('ok');
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      try {
        const { port } = receiver.address() as AddressInfo;
        const a = await t.client.recpay(
          bill(6, 'CASH', '30.00', { notifyUrl: `http://127.0.0.1:${port}/paid` }),
        );
        assert.equal(a.respCode, '000000', a.respMsg);
        await new NotifyWorker(t.running.platform).tick();
        const call = got.find((g) => JSON.parse(g.body).outTradeNo === 'PE6-T');
        assert.ok(call, 'callback delivered');
        const headers = call.headers as Record<string, string>;
        assert.ok(verifyWebhook(t.secret, headers, call.body, Math.floor(Date.now() / 1000)));
      } finally {
        receiver.close();
      }
    });

    it(
      'pay.cancel of the whole bill refunds the self-paid part by the original route; once',
      availability,
      async () => {
        const a = await t.client.recpay(bill(3, 'CASH', '30.00'));
        assert.equal(a.respCode, '000000', a.respMsg);
        const c = await t.client.payCancel(cancel(3, 'PE3-X1'));
        assert.equal(c.respCode, '000000', c.respMsg);
        assert.match(String(p(c)['traceTime']), /^\d{14}$/);
        assert.deepEqual(await t.client.payCancel(cancel(3, 'PE3-X1')), c);
        assert.equal((await t.client.payCancel(cancel(3, 'PE3-X2'))).respCode, '034002');
      },
    );

    it('partial cancels up to the bill; beyond it 034001; unknown bill 030002', availability, async () => {
      await t.client.recpay(bill(4, 'CASH', '10.00'));
      assert.equal((await t.client.payCancel(cancel(4, 'PE4-X1', { amount: '25.00' }))).respCode, '000000');
      assert.equal((await t.client.payCancel(cancel(4, 'PE4-X2', { amount: '5.01' }))).respCode, '034001');
      assert.equal((await t.client.payCancel(cancel(4, 'PE4-X3', { amount: '5.00' }))).respCode, '000000');
      assert.equal(
        (await t.client.payCancel({ ...cancel(4, 'PE4-X4'), outTradeNo: 'NOPE' })).respCode,
        '030002',
      );
    });

    it('an insurance patient needs medCancelSn and medRegisterSn (020001)', availability, async () => {
      await t.client.recpay(bill(5, 'CASH', '0.00', { patientType: '01' }));
      assert.equal((await t.client.payCancel(cancel(5, 'PE5-X1'))).respCode, '020001');
      const ok = await t.client.payCancel(
        cancel(5, 'PE5-X2', {
          extra: { phyExamNo: 'PE001', purchaseNo: 'PN1', medCancelSn: 'M1', medRegisterSn: 'R1' },
        }),
      );
      assert.equal(ok.respCode, '000000', ok.respMsg);
      assert.equal(p(ok)['medCancelSn'], 'M1');
    });
  });
}
