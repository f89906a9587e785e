import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { beijing14 } from '../../src/protocol/time.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';
import { seedShiftDay } from '../../src/testing/shift-day.js';
import { addConsoleUsers, loggedIn as loginAs, type Role } from './console-users.js';
import { browserAvailability, launchBrowser, shot } from './harness.js';

const browser = browserAvailability();

for (const database of TEST_DATABASES) {
  describe(`shift close and reports in chromium on ${database.name}`, async () => {
    const dbAvailability = await databaseAvailability(database);
    const availability = browser.skip ? browser : dbAvailability;
    let t: TestPlatform;
    let chrome: Browser;
    let cashFen = 0;
    const url = (path: string) => `${t.running.url}${path}`;
    const name = (step: string) => `reports-${database.name}-${step}`;
    const s = beijing14(Date.now());
    const day = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;

    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
      await addConsoleUsers(t);
      cashFen = (await seedShiftDay(t)).cashierACashFen;
      chrome = await launchBrowser();
    });
    after(async () => {
      await chrome?.close();
      await t?.closeCheckingLedger();
    });

    const loggedIn = (role: Role) => loginAs(chrome, t.running.url, role);

    it(
      'an unlinked cashier sees no shift; an administrator links them to operator 001',
      availability,
      async () => {
        const cashier = await loggedIn('cashier');
        await cashier.goto(url('/console/shifts'));
        assert.match((await cashier.textContent('main')) ?? '', /尚未关联 HIS 操作员编号/);
        const admin = await loggedIn('admin');
        await admin.goto(url('/console/shifts'));
        const row = admin.locator('tr', { hasText: 'cashier1' });
        await row.locator('input[name=operatorId]').fill('001');
        await row.locator('button[type=submit]').click();
        assert.match((await admin.textContent('.flash')) ?? '', /已更新 cashier1 的操作员编号/);
        await shot(admin, name('admin-links'));
        await admin.context().close();
        await cashier.context().close();
      },
    );

    it(
      'a cashier sees and closes only their own shift; another operator’s is 403',
      availability,
      async () => {
        const page = await loggedIn('cashier');
        await page.goto(url('/console/shifts'));
        const listed = (await page.textContent('main')) ?? '';
        assert.match(listed, /T01/);
        assert.doesNotMatch(listed, /T02/, 'operator 002’s window is not listed');
        await shot(page, name('cashier-shifts'));
        await page.click('text=查看 / 日结');
        assert.match(
          (await page.textContent('.cash-box .due')) ?? '',
          new RegExp((cashFen / 100).toFixed(2)),
        );
        await shot(page, name('cashier-open-shift'));
        await Promise.all([
          page.waitForURL(/\/console\/shifts\/S[0-9a-f]{20}$/),
          page.click('text=确认日结'),
        ]);
        const sheet = (await page.textContent('main')) ?? '';
        assert.match(sheet, /已锁定, 不可修改/);
        assert.match(sheet, /支付宝二维码支付/);
        await shot(page, name('cashier-closed-shift'));
        await page.emulateMedia({ media: 'print' });
        assert.equal(await page.isVisible('header.top'), false, 'the printed sheet has no menu');
        assert.equal(await page.isVisible('.signatures'), true, 'the printed sheet has signature lines');
        await shot(page, name('cashier-closed-shift-print'));
        await page.emulateMedia({ media: 'screen' });
        const csv = await page.request.get(`${page.url()}.csv`);
        assert.equal(csv.status(), 200);
        assert.match(await csv.text(), new RegExp(`现金,应交现金,,,${(cashFen / 100).toFixed(2)},,`));

        const other = await page.goto(url('/console/shifts/open?operator=002&term=T02'));
        assert.equal(other?.status(), 403);
        const forged = await page.request.post(url('/console/shifts/close'), {
          form: { operator: '002', term: 'T02', toAt: String(Date.now()), csrf: 'x' },
        });
        assert.equal(forged.status(), 403);
        const report = await page.goto(url(`/console/reports?from=${day}&to=${day}&period=day&by=channel`));
        assert.equal(report?.status(), 200);
        const text = (await page.textContent('table.report')) ?? '';
        assert.doesNotMatch(
          text,
          /POS/,
          'a cashier’s report holds only their own money (002 took the POS payment)',
        );
        await page.context().close();
      },
    );

    it(
      'finance sees every shift and the reports with their charts rendered, and exports Excel',
      availability,
      async () => {
        const page = await loggedIn('finance');
        await page.goto(url('/console/shifts'));
        const listed = (await page.textContent('main')) ?? '';
        assert.match(listed, /T02/);
        assert.match(listed, /已日结/);
        await page.goto(
          url(`/console/reports?from=${day}&to=${day}&period=day&by=channel&by=feeType&by=operator`),
        );
        const charts = page.locator('figure.chart img');
        assert.equal(await charts.count(), 2);
        for (const img of await charts.all()) {
          const width = await img.evaluate(async (el) => {
            const image = el as HTMLImageElement;
            await image.decode();
            return image.naturalWidth;
          });
          assert.ok(width > 0, 'the chart image decoded');
        }
        const table = (await page.textContent('table.report')) ?? '';
        assert.match(table, /POS 终端/);
        assert.match(table, /挂号费/);
        assert.match((await page.textContent('table.report tfoot')) ?? '', /800\.00/);
        await shot(page, name('finance-report'));
        const xlsx = await page.request.get(
          url(`/console/reports/export.xlsx?from=${day}&to=${day}&period=day&by=channel`),
        );
        assert.equal(xlsx.status(), 200);
        assert.match(xlsx.headers()['content-type'] ?? '', /spreadsheetml/);
        assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');
        const bad = await page.goto(url('/console/reports?from=2026-13-01&to=2026-13-02&period=day'));
        assert.equal(bad?.status(), 400);
        assert.match((await page.textContent('.flash')) ?? '', /日期格式/);
        await page.context().close();
      },
    );
  });
}
