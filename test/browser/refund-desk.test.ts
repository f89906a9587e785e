import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Param } from '../../src/client/index.js';
import { findOrderByOutNo } from '../../src/platform/trades/orders.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';
import { browserAvailability, deskClient, launchBrowser, opening, p, patient, shot } from './harness.js';

const browser = browserAvailability();

for (const database of TEST_DATABASES) {
  describe(`refund desk in chromium on ${database.name}`, async () => {
    const dbAvailability = await databaseAvailability(database);
    const availability = browser.skip ? browser : dbAvailability;
    let t: TestPlatform;
    let chrome: Browser;
    let cashier: BrowserContext;
    let desk: ReturnType<typeof deskClient>;
    before(async () => {
      if (availability.skip) return;
      // Refunds of one order a moment apart are fine here; the limit has its own tests.
      t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
      desk = deskClient(t);
      chrome = await launchBrowser();
      cashier = await chrome.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
      const paid = async (outChargeNo: string, amount: string, depositType: string, extra: Param = {}) => {
        const a = await t.client.recharge({
          ...patient,
          amount,
          outChargeNo,
          depositType,
          extra: { ...opening, deskflak: '1', ...extra },
        });
        assert.equal(a.respCode, '000000', a.respMsg);
      };
      await paid('RF-C1', '10.00', 'CASH');
      await paid('RF-B1', '7.00', 'ALI_BAR', { authCode: '2856789012345670' });
      await paid('RF-C2', '5.00', 'CASH');
    });
    after(async () => {
      await chrome?.close();
      await t?.closeCheckingLedger();
    });

    function refundParam(outRefundNo: string, amount: string, more: Param = {}): Param {
      const { userName: _name, ...holder } = patient;
      return {
        ...holder,
        amount,
        withdrawMode: '1',
        refundType: 'hisDecide',
        traceNo: '',
        outChargeNo: 'RF-C1',
        outRefundNo,
        tradeChannel: 'CASH',
        refundDeskMode: '0',
        extra: { deskflak: '0', hopname: '厦门市第一医院' },
        ...more,
      };
    }

    it(
      'lists the patient’s CASH orders with what is left; the operator picks one; succAmount is what was left',
      availability,
      async () => {
        const request = refundParam('RF-R1', '8.00');
        const { url, answer } = await desk.atDesk((c) => c.refund(request));
        const page = await cashier.newPage();
        await page.goto(url);
        const rows = await page.$$eval('table.orders tbody tr', (trs) =>
          trs.map((tr) => tr.textContent ?? ''),
        );
        assert.equal(rows.length, 2, 'the Alipay order is filtered out by tradeChannel');
        assert.match(rows[0] ?? '', /RF-C2/);
        assert.match(rows[0] ?? '', /5\.00/);
        assert.match(rows[1] ?? '', /RF-C1/);
        assert.equal(
          await page.$eval('input[name=order]:checked', (r) => (r as HTMLInputElement).value.length),
          26,
        );
        await shot(page, `${database.name}-refund-desk-choose`);

        await page.keyboard.press('1');
        await page.keyboard.press('Enter');
        // Nothing leaves before the cashier confirms what the box says: how much, from which order.
        await page.waitForSelector('#refund-confirm:not([hidden])');
        assert.match((await page.textContent('#refund-what')) ?? '', /RF-C2.*现金.*¥5\.00/);
        await shot(page, `${database.name}-refund-desk-confirm`);
        await delay(500);
        const before = await findOrderByOutNo(t.running.platform.store.db, t.appid, 'refund', 'RF-R1');
        assert.equal(before?.state, 'init', 'the first Enter only asks');
        await page.keyboard.press('Enter');
        // Asked 8.00, the order had 5.00 left: a partial refund, both amounts shown, not a plain success.
        await page.waitForSelector('text=部分退款');
        const result = (await page.textContent('#panel')) ?? '';
        assert.match(result, /实退 ¥ 5\.00, 申请 ¥ 8\.00/);
        assert.match(result, /差额 ¥ 3\.00 未退/);
        assert.doesNotMatch(result, /✔ 退款成功/);
        assert.equal(await page.locator('.state.ok').count(), 0, 'no green success for a partial refund');
        await shot(page, `${database.name}-refund-desk-partial`);
        const final = await answer;
        assert.equal(final.respCode, '000000', final.respMsg);
        assert.equal(p(final)['succAmount'], '5.00');
        // The HIS's number and the platform's are named as such.
        assert.match(result, /HIS 退款单号\s*RF-R1/);
        assert.match(result, new RegExp(`平台退款流水号\\s*${String(p(final)['refundNo'])}`));
        assert.equal(p(final)['outRefundNo'], 'RF-R1');
        assert.equal(p(final)['tradeMode'], 'CASH');
        // The same request again replays the final answer, as any refund does.
        assert.deepEqual(await t.client.refund(request), final);
        await page.close();
      },
    );

    it(
      'refundDeskMode 1 shows only outChargeNo’s order; an amount within it refunds in full',
      availability,
      async () => {
        const { url, answer } = await desk.atDesk((c) =>
          c.refund(refundParam('RF-R2', '3.00', { refundDeskMode: '1' })),
        );
        const page = await cashier.newPage();
        await page.goto(url);
        const rows = await page.$$eval('table.orders tbody tr', (trs) =>
          trs.map((tr) => tr.textContent ?? ''),
        );
        assert.equal(rows.length, 1);
        assert.match(rows[0] ?? '', /RF-C1/);
        await page.click('#refund');
        // Back out once: nothing moves.
        await page.click('#refund-no');
        assert.equal(await page.isHidden('#refund-confirm'), true);
        await page.click('#refund');
        await page.click('#refund-yes');
        await page.waitForSelector('text=✔ 退款成功: ¥ 3.00');
        assert.match((await page.textContent('#panel')) ?? '', /申请金额\s*¥ 3\.00\s*实退金额\s*¥ 3\.00/);
        await shot(page, `${database.name}-refund-desk-success`);
        const final = await answer;
        assert.equal(final.respCode, '000000', final.respMsg);
        assert.equal(p(final)['succAmount'], '3.00');
        const { operatorId, termNo, operatorName, cardType, cardNo, accountType } = patient;
        const info = await t.client.accountInfo({
          operatorId,
          termNo,
          operatorName,
          cardType,
          cardNo,
          accountType,
        });
        assert.equal(p(info)['balance'], `${(10 + 7 + 5 - 5 - 3).toFixed(2)}`);
        await page.close();
      },
    );

    it(
      'Esc then Enter cancels the refund: nothing moves and payTrans answers 035001',
      availability,
      async () => {
        const { url, answer } = await desk.atDesk((c) => c.refund(refundParam('RF-R3', '1.00')));
        const page = await cashier.newPage();
        await page.goto(url);
        await page.waitForSelector('table.orders');
        await page.keyboard.press('Escape');
        await page.keyboard.press('Enter');
        await page.waitForSelector('text=退款已取消');
        const final = await answer;
        assert.equal(final.respCode, '035001', final.respMsg);
        await page.close();
      },
    );
  });
}
