import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseAvailability, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';

const patient = {
  operatorId: '001',
  termNo: 'T01',
  operatorName: '张三',
  cardType: '05',
  cardNo: 'ZY20190001',
  accountType: '02',
  hisCustId: 'H0001',
  userName: '蔡少辉',
  idNo: '350288888888888888',
};
const opening = { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111', deskflak: '1' };
const issue = {
  cardType: patient.cardType,
  cardNo: patient.cardNo,
  idNo: patient.idNo,
  idType: '01',
  operatorId: '001',
  operatorName: '张三',
  accountType: '02',
  hospName: '通用存储过程',
  userName: '蔡少辉',
};

/** Pays the sandbox wallet page a top-up redirected to, as the family member's phone would. */
async function payWallet(location: string): Promise<void> {
  const res = await fetch(`${location}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ wallet: 'wechat' }),
  });
  const body = (await res.json()) as { ok: boolean; state?: string; message?: string };
  assert.equal(body.ok, true, body.message);
}

async function balanceOf(t: TestPlatform, key: string): Promise<string> {
  const a = await t.client.wristbandQueryAccount({ key });
  assert.equal(a.respCode, '000000', a.respMsg);
  return String((a['param'] as Record<string, unknown>)['balance']);
}

for (const database of TEST_DATABASES) {
  describe(`wristband pay codes on ${database.name}`, async () => {
    const availability = await databaseAvailability(database);
    let t: TestPlatform;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      const opened = await t.client.recharge({
        ...patient,
        amount: '100.00',
        outChargeNo: 'WB-OPEN',
        depositType: 'CASH',
        extra: opening,
      });
      assert.equal(opened.respCode, '000000', opened.respMsg);
    });
    after(async () => {
      await t?.closeCheckingLedger();
    });

    it('issue, query, top up through the Url page and the sandbox wallet, cancel', availability, async () => {
      const got = await t.client.wristbandGetCode(issue);
      assert.equal(got.respCode, '000000', got.respMsg);
      const { key, Url } = got['param'] as { key: string; Url: string };
      assert.match(key, /^wb[A-Za-z0-9_-]{24}$/);
      assert.ok(key.length <= 32);
      assert.equal(Url, `${t.running.url}/p/wb/${key}`);
      const twice = await t.client.wristbandGetCode(issue);
      assert.deepEqual(twice['param'], got['param'], 'one live code per inpatient account');

      const q = await t.client.wristbandQueryAccount({ key });
      assert.deepEqual(q['param'], { balance: '100.00', idNo: patient.idNo, userName: '蔡少辉' });

      const page = await fetch(Url);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /蔡\*辉/);
      assert.doesNotMatch(html, /蔡少辉/);
      assert.match(html, /100\.00/);

      const bad = await fetch(`${Url}/topup`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'amount=1.001',
        redirect: 'manual',
      });
      assert.equal(bad.status, 400);

      const top = await fetch(`${Url}/topup`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'amount=50.25',
        redirect: 'manual',
      });
      assert.equal(top.status, 303);
      const location = top.headers.get('location') ?? '';
      assert.match(location, /\/q\/[A-Za-z0-9_-]+$/);
      assert.equal(await balanceOf(t, key), '100.00', 'nothing credited before the wallet pays');
      await payWallet(location);
      let balance = '';
      for (let i = 0; i < 50; i++) {
        balance = await balanceOf(t, key);
        if (balance === '150.25') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(balance, '150.25');

      const cancelled = await t.client.wristbandCancel({ key });
      assert.equal(cancelled.respCode, '000000', cancelled.respMsg);
      const after = await t.client.wristbandQueryAccount({ key });
      assert.equal(after.respCode, '039001');
      assert.match(after.respMsg, /取消/);
      assert.equal((await fetch(Url)).status, 410);
      const late = await fetch(`${Url}/topup`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'amount=1.00',
        redirect: 'manual',
      });
      assert.equal(late.status, 410);
      assert.equal((await t.client.wristbandCancel({ key })).respCode, '000000', 'cancel is idempotent');

      const fresh = await t.client.wristbandGetCode(issue);
      const newKey = (fresh['param'] as { key: string }).key;
      assert.notEqual(newKey, key, 'after a cancel a new code is issued');
      assert.equal(await balanceOf(t, newKey), '150.25');
    });

    it('unknown keys, other apps and bad inputs get spec codes and write nothing', availability, async () => {
      const db = t.running.platform.store.db;
      const count = async () =>
        Number(
          (
            await db
              .selectFrom('wristbands')
              .select((e) => e.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      assert.equal(
        (await t.client.wristbandQueryAccount({ key: 'wbAAAAAAAAAAAAAAAAAAAAAAAA' })).respCode,
        '039001',
      );
      assert.equal((await t.client.wristbandCancel({ key: 'nope' })).respCode, '039001');
      assert.equal((await t.client.wristbandQueryAccount({ key: '' })).respCode, '020001');
      assert.equal((await t.client.wristbandGetCode({ ...issue, idNo: '' })).respCode, '020001');
      assert.equal((await t.client.wristbandGetCode({ ...issue, accountType: '09' })).respCode, '020000');
      const mismatch = await t.client.wristbandGetCode({ ...issue, idNo: '110101199001011234' });
      assert.equal(mismatch.respCode, '031003');
      assert.equal((await fetch(`${t.running.url}/p/wb/wbAAAAAAAAAAAAAAAAAAAAAAAA`)).status, 404);
      assert.equal(await count(), before);
    });
  });
}
