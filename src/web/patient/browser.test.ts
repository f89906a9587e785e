import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PUSHES } from '../../platform/notify/fixtures.test-util.js';
import { STRICT, TEST_DATABASES } from '../../testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../testing/platform.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join('test-artifacts', 'patient');

function availability(): { skip?: string } {
  if (existsSync(CHROMIUM)) return {};
  const reason = `chromium not found at ${CHROMIUM}`;
  if (STRICT) throw new Error(`ONEPAY_TEST_STRICT=1 and ${reason}`);
  console.warn(`NOTICE: skipping patient browser tests: ${reason}`);
  return { skip: reason };
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

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

describe('patient pages in chromium', () => {
  const skip = availability();
  const sqlite = TEST_DATABASES.find((d) => d.name === 'sqlite');
  let t: TestPlatform;
  let browser: Browser;
  before(async () => {
    if (skip.skip || !sqlite) return;
    t = await startTestPlatform(sqlite);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const r = await t.client.recharge({
      ...account,
      amount: '100.00',
      outChargeNo: 'BR-OPEN',
      depositType: 'CASH',
      extra: opening,
    });
    assert.equal(r.respCode, '000000', r.respMsg);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it(
    'a family member tops up the deposit from the wristband page, paying in the sandbox wallet',
    skip,
    async () => {
      const code = await t.client.wristbandGetCode({
        cardType: account.cardType,
        cardNo: account.cardNo,
        idNo: account.idNo,
        idType: '01',
        operatorId: '001',
        operatorName: '张三',
        accountType: account.accountType,
        hospName: '通用存储过程',
        userName: account.userName,
      });
      const { key, Url } = code['param'] as { key: string; Url: string };
      const page = await browser.newPage({ viewport: { width: 390, height: 780 } });
      await page.goto(Url);
      assert.match(await page.content(), /蔡\*辉/);
      await shot(page, 'wristband-page');
      await page.fill('#amount', '88.80');
      await Promise.all([page.waitForURL(/\/q\//), page.click('#topup')]);
      await shot(page, 'wristband-wallet');
      await Promise.all([page.waitForLoadState('load'), page.click('button.wechat')]);
      assert.match(await page.content(), /支付成功/);
      await shot(page, 'wristband-paid');
      let balance = '';
      for (let i = 0; i < 50 && balance !== '188.80'; i++) {
        const q = await t.client.wristbandQueryAccount({ key });
        balance = String((q['param'] as Record<string, unknown>)['balance']);
        if (balance !== '188.80') await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(balance, '188.80');
      await page.goto(Url);
      assert.match(await page.content(), /188\.80/);

      await t.client.wristbandCancel({ key });
      const gone = await page.goto(Url);
      assert.equal(gone?.status(), 410);
      await shot(page, 'wristband-cancelled');
      await page.close();
    },
  );

  it('the overpay card, its detail and the 补缴 button', skip, async () => {
    await t.client.inpatientOverpay({ ...PUSHES['hop.inpatient.msg.overpay'] });
    const row = await t.running.platform.store.db
      .selectFrom('notify_messages')
      .select('view_token')
      .where('trans_type', '=', 'hop.inpatient.msg.overpay')
      .executeTakeFirstOrThrow();
    const page = await browser.newPage({ viewport: { width: 390, height: 780 } });
    await page.goto(`${t.running.url}/p/m/${row.view_token}`);
    await shot(page, 'message-card');
    await Promise.all([page.waitForURL(/\/detail$/), page.click('#detail')]);
    await shot(page, 'message-detail');
    await Promise.all([page.waitForURL(/\/q\//), page.click('#topup')]);
    assert.match(await page.content(), /0\.98/);
    await shot(page, 'message-topup-wallet');
    await page.close();
  });

  it('the sandbox face page completes a face query', skip, async () => {
    const param = {
      operatorId: '001',
      termNo: 'T01',
      operatorName: '张三',
      Business_type: '01',
      CardListType: '0',
      outTradeNo: 'BF1',
      extra: {},
    };
    const first = await t.client.faceQuery(param);
    const page = await browser.newPage({ viewport: { width: 390, height: 780 } });
    await page.goto(String((first['param'] as Record<string, unknown>)['qrcode']));
    await shot(page, 'face-sandbox');
    await page.fill('#f-name', '林小梅');
    await Promise.all([page.waitForLoadState('load'), page.click('#approve')]);
    assert.match((await page.textContent('#result')) ?? '', /刷脸成功/);
    await shot(page, 'face-done');
    const done = await t.client.faceQuery(param);
    assert.equal(done.respCode, '000000', done.respMsg);
    // A face device vouches for its session's patient only: what was typed on the page does not change who.
    assert.equal((done['param'] as Record<string, unknown>)['certName'], '蔡少辉');
    await page.close();
  });

  it('the sandbox authorisation page: refuse one, approve another', skip, async () => {
    const base = {
      outAuthorizeTime: '20190718121742',
      operatorId: '001',
      operatorName: '张三',
      treatmentCode: '010105',
    };
    const page = await browser.newPage({ viewport: { width: 390, height: 780 } });
    for (const [no, button, want] of [
      ['BA1', '#cancel', 'cancel'],
      ['BA2', '#approve', 'succ'],
    ] as const) {
      const first = await t.client.esccardAuthQr({ ...base, outAuthorizeNo: no });
      await page.goto(String((first['param'] as Record<string, unknown>)['qrcode']));
      await shot(page, `auth-sandbox-${want}`);
      await Promise.all([page.waitForLoadState('load'), page.click(button)]);
      await shot(page, `auth-done-${want}`);
      const after = await t.client.esccardAuthQr({ ...base, outAuthorizeNo: no });
      assert.equal((after['param'] as Record<string, unknown>)['authStatus'], want);
    }
    await page.close();
  });
});
