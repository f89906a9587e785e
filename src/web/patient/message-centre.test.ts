import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PUSHES } from '../../platform/notify/fixtures.test-util.js';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';

const account = {
  operatorId: '001',
  termNo: 'T01',
  operatorName: '张三',
  cardType: '03',
  cardNo: 'D12345678',
  accountType: '02',
  hisCustId: 'H0001',
  userName: '蔡少辉',
  idNo: '350288888888888888',
};
const opening = { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };

async function tokenOf(t: TestPlatform, transType: string): Promise<string> {
  const row = await t.running.platform.store.db
    .selectFrom('notify_messages')
    .select('view_token')
    .where('trans_type', '=', transType)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return row.view_token;
}

async function balance(t: TestPlatform): Promise<string> {
  const info = await t.client.accountInfo({
    operatorId: '001',
    termNo: 'T01',
    operatorName: '张三',
    cardType: account.cardType,
    cardNo: account.cardNo,
    accountType: account.accountType,
  });
  return String((info['param'] as Record<string, unknown>)['balance']);
}

for (const database of TEST_DATABASES) {
  describe(`patient message centre on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      const r = await t.client.recharge({
        ...account,
        amount: '11.18',
        outChargeNo: 'MC-OPEN',
        depositType: 'CASH',
        extra: opening,
      });
      assert.equal(r.respCode, '000000', r.respMsg);
    });
    after(async () => {
      await t?.closeCheckingLedger();
    });

    it(
      'overpay: card and detail with the name masked; 补缴 pays the shortfall through the sandbox wallet',
      availability,
      async () => {
        const pushed = await t.client.inpatientOverpay({ ...PUSHES['hop.inpatient.msg.overpay'] });
        assert.equal(pushed.respCode, '000000', pushed.respMsg);
        assert.equal(
          (pushed['param'] as Record<string, string>)['notifyState'],
          'fail',
          'centre only: written, yet nobody was told',
        );
        const token = await tokenOf(t, 'hop.inpatient.msg.overpay');
        const card = await (await fetch(`${t.running.url}/p/m/${token}`)).text();
        for (const want of ['医院通知', '住院押金不足', '蔡*辉', '22.00', '需补缴金额', '0.98', '详情']) {
          assert.ok(card.includes(want), want);
        }
        assert.doesNotMatch(card, /蔡少辉|350288888888888888/);
        const detail = await (await fetch(`${t.running.url}/p/m/${token}/detail`)).text();
        for (const want of ['住院信息', '急诊内科', '1995-04-28', '院内余额', '补缴 0.98 元']) {
          assert.ok(detail.includes(want), want);
        }
        const top = await fetch(`${t.running.url}/p/m/${token}/topup`, {
          method: 'POST',
          redirect: 'manual',
        });
        assert.equal(top.status, 303);
        const wallet = top.headers.get('location') ?? '';
        assert.match(wallet, /\/q\//);
        const paid = await fetch(`${wallet}/pay`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ wallet: 'alipay' }),
        });
        assert.equal(((await paid.json()) as { ok: boolean }).ok, true);
        let now = '';
        for (let i = 0; i < 50 && now !== '12.16'; i++) {
          now = await balance(t);
          if (now !== '12.16') await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(now, '12.16');
      },
    );

    it('outDepart of a self-pay patient links to online settlement', availability, async () => {
      assert.equal(
        (await t.client.inpatientOutDepart({ ...PUSHES['hop.inpatient.msg.outDepart'] })).respCode,
        '000000',
      );
      const token = await tokenOf(t, 'hop.inpatient.msg.outDepart');
      const card = await (await fetch(`${t.running.url}/p/m/${token}`)).text();
      assert.match(card, /出科通知/);
      assert.match(card, /点击进行自费结算/);
      const detail = await (await fetch(`${t.running.url}/p/m/${token}/detail`)).text();
      assert.match(detail, /结算 0\.98 元/);
    });

    it(
      'a remote-insurance bill has no page; unknown tokens are 404; no shortfall, no top-up',
      availability,
      async () => {
        await t.client.mmpayMsgPush({ ...PUSHES['hop.mmpay.msg.push'], feeType: '02', voucherNo: 'R9' });
        const remote = await tokenOf(t, 'hop.mmpay.msg.push');
        assert.equal((await fetch(`${t.running.url}/p/m/${remote}`)).status, 404);
        assert.equal((await fetch(`${t.running.url}/p/m/AAAAAAAAAAAAAAAAAAAAAAAA`)).status, 404);
        await t.client.inpatientOutHosp({ ...PUSHES['hop.inpatient.msg.outHosp'] });
        const token = await tokenOf(t, 'hop.inpatient.msg.outHosp');
        const top = await fetch(`${t.running.url}/p/m/${token}/topup`, {
          method: 'POST',
          redirect: 'manual',
        });
        assert.equal(top.status, 409);
      },
    );
  });
}
