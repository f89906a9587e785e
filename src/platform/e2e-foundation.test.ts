import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../testing/platform.js';

const patient = {
  operatorId: '001',
  termNo: 'T01',
  operatorName: '张三',
  cardType: '03',
  cardNo: 'D12345678',
  accountType: '01',
  hisCustId: 'H0001',
  userName: '蔡少辉',
  idNo: '350288888888888888',
};
const opening = { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };

for (const database of TEST_DATABASES) {
  describe(`payTrans end to end on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (!availability.skip) t = await startTestPlatform(database);
    });
    after(async () => {
      await t?.closeCheckingLedger();
    });

    it(
      'cash recharge opens the account, raises the balance, and hop.account.info shows it',
      availability,
      async () => {
        const first = await t.client.recharge({
          ...patient,
          amount: '100.00',
          outChargeNo: 'C0001',
          depositType: 'CASH',
          extra: opening,
        });
        assert.equal(first.respCode, '000000', first.respMsg);
        const p = first['param'] as Record<string, unknown>;
        assert.equal(p['balance'], '100.00');
        assert.equal(p['tradeMode'], 'CASH');
        assert.match(String(p['traceTime']), /^\d{14}$/);
        assert.deepEqual(first['extra'], p['extra']);

        const second = await t.client.recharge({
          ...patient,
          amount: '0.01',
          outChargeNo: 'C0002',
          depositType: 'CASH',
          extra: { deskflak: '1' },
        });
        assert.equal(second.respCode, '000000', second.respMsg);
        assert.equal((second['param'] as Record<string, unknown>)['balance'], '100.01');

        const info = await t.client.accountInfo({
          operatorId: '001',
          termNo: 'T01',
          operatorName: '张三',
          cardType: '03',
          cardNo: 'D12345678',
          accountType: '01',
        });
        assert.equal(info.respCode, '000000', info.respMsg);
        const ip = info['param'] as Record<string, unknown>;
        assert.equal(ip['balance'], '100.01');
        assert.equal(ip['hisCustID'], 'H0001');
        assert.equal(ip['userName'], '蔡少辉');
        assert.equal(ip['status'], '01');
        assert.equal(ip['userSex'], '1');
        for (const field of ['cardType', 'cardNo', 'idType', 'idNo', 'accountType', 'accountNo']) {
          assert.ok(field in ip, field);
        }
      },
    );

    it(
      'the same recharge again replays the stored answer; other parameters get 030001, paid or not',
      availability,
      async () => {
        const request = {
          ...patient,
          amount: '5.00',
          outChargeNo: 'C0003',
          depositType: 'CASH',
          extra: { deskflak: '1' },
        };
        const a = await t.client.recharge(request);
        const b = await t.client.recharge(request);
        assert.equal(a.respCode, '000000');
        assert.deepEqual(b, a);
        const c = await t.client.recharge({ ...request, amount: '6.00' });
        assert.equal(c.respCode, '030001', 'not 033001: a HIS would read it as the new amount paid');
      },
    );

    it(
      'query finds the order by outTradeNo and by traceNo, and answers notfound otherwise',
      availability,
      async () => {
        const paid = await t.client.recharge({
          ...patient,
          amount: '1.00',
          outChargeNo: 'C0004',
          depositType: 'CASH',
          extra: { deskflak: '1' },
        });
        const traceNo = (paid['param'] as Record<string, unknown>)['traceNo'];
        const base = {
          operatorId: '001',
          termNo: 'T01',
          operatorName: '张三',
          cardType: '03',
          cardNo: 'D12345678',
          accountType: '01',
          tradeType: 'hop.trade.recharge',
        };
        const byOut = await t.client.query({ ...base, outTradeNo: 'C0004' });
        assert.equal((byOut['param'] as Record<string, unknown>)['result'], 'succ');
        assert.equal((byOut['param'] as Record<string, unknown>)['traceNo'], traceNo);
        const byTrace = await t.client.query({ ...base, traceNo, outTradeNo: 'NOPE' });
        assert.equal((byTrace['param'] as Record<string, unknown>)['result'], 'succ');
        const missing = await t.client.query({ ...base, outTradeNo: 'NOPE' });
        assert.equal(missing.respCode, '000000');
        assert.equal((missing['param'] as Record<string, unknown>)['result'], 'notfound');
      },
    );

    it('an unknown account answers 031003', availability, async () => {
      const info = await t.client.accountInfo({
        operatorId: '1',
        termNo: 'T',
        operatorName: '王',
        cardType: '03',
        cardNo: 'NOBODY',
        accountType: '01',
      });
      assert.equal(info.respCode, '031003');
    });
  });
}
