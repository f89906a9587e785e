import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { DESK_WAIT_LEASE_MS } from '../../src/platform/events/desk-waits.js';
import { findOrderByOutNo } from '../../src/platform/trades/orders.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';
import { screenPath } from '../../src/web/screen/key.js';
import { browserAvailability, deskClient, launchBrowser, rechargeParam, shot } from './harness.js';

const browser = browserAvailability();

/** The extension screens hospitals mount: a portrait tablet, a small and a common laptop panel, a TV. */
const SIZES = [
  { width: 800, height: 1280 },
  { width: 1024, height: 600 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/** What the patient must see while paying: nothing of it may lie outside the screen. */
const MUST_SEE = {
  amount: '.scan .big',
  qr: 'img[data-qr]',
  instruction: '.scan .instruction',
  countdown: '.scan .countdown',
} as const;

const LONG_SHOW_MSG = `请核对金额与姓名\n门诊一楼收费处\n${'预交金可用于门诊和住院费用结算, 出院时可退. '.repeat(12)}`;

async function assertFits(
  page: Page,
  label: string,
  mustSee: Readonly<Record<string, string>> = MUST_SEE,
): Promise<void> {
  const viewport = page.viewportSize();
  assert.ok(viewport);
  for (const [what, selector] of Object.entries(mustSee)) {
    const box = await page.locator(selector).boundingBox();
    assert.ok(box, `${label}: ${what} is shown`);
    assert.ok(box.width > 0 && box.height > 0, `${label}: ${what} has a size`);
    assert.ok(
      box.x >= 0 &&
        box.y >= 0 &&
        box.x + box.width <= viewport.width &&
        box.y + box.height <= viewport.height,
      `${label}: ${what} (${JSON.stringify(box)}) lies inside ${viewport.width}x${viewport.height}`,
    );
  }
  const page_ = await page.evaluate(() => ({
    scrollHeight: document.documentElement.scrollHeight,
    scrollWidth: document.documentElement.scrollWidth,
  }));
  assert.ok(page_.scrollHeight <= viewport.height, `${label}: the page is ${page_.scrollHeight} px tall`);
  assert.ok(page_.scrollWidth <= viewport.width, `${label}: the page is ${page_.scrollWidth} px wide`);
}

for (const database of TEST_DATABASES) {
  describe(`extension screen in chromium on ${database.name}`, async () => {
    const dbAvailability = await databaseAvailability(database);
    const availability = browser.skip ? browser : dbAvailability;
    let t: TestPlatform;
    let chrome: Browser;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      chrome = await launchBrowser();
    });
    after(async () => {
      await chrome?.close();
      await t?.closeCheckingLedger();
    });

    async function screenPage(termNo: string, width: number, height: number): Promise<Page> {
      const app = await t.running.platform.apps.find(t.appid);
      assert.ok(app);
      const context = await chrome.newContext({ viewport: { width, height }, locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(`${t.running.url}${screenPath(app, termNo)}`);
      await page.waitForSelector('text=欢迎光临');
      return page;
    }

    /** A desk order on the terminal, still at the cashier's choice. */
    async function deskOrder(outChargeNo: string, termNo: string, more = {}) {
      const desk = deskClient(t);
      return desk.atDesk((c) => c.recharge(rechargeParam(outChargeNo, '1234.56', { termNo, ...more })));
    }

    /** The same, moved to the QR step as the cashier's click would. */
    async function qrOrder(outChargeNo: string, termNo: string, more = {}) {
      const { url, answer } = await deskOrder(outChargeNo, termNo, more);
      await payByQr(url);
      return { url, answer };
    }

    async function payByQr(url: string) {
      const res = await fetch(`${url}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'ONE_QR' }),
      });
      assert.equal(res.status, 200);
    }

    it(
      'at 800x1280, 1024x600, 1280x800 and 1920x1080 the amount, QR, instruction and countdown are on screen',
      availability,
      async () => {
        const screens = await Promise.all(SIZES.map((s) => screenPage('S-FIT', s.width, s.height)));
        const withMsg = await deskOrder('FIT-1', 'S-FIT', { ShowMsg: LONG_SHOW_MSG });
        // While the cashier chooses: the amount and what is happening, ShowMsg cut below them if long.
        for (const [i, screen] of screens.entries()) {
          const { width, height } = SIZES[i] ?? SIZES[0];
          await screen.waitForSelector('text=收费员正在为您办理');
          await assertFits(screen, `${width}x${height} at the cashier's choice`, {
            amount: '.center .big',
            status: '.center [role=status]',
          });
          await shot(screen, `${database.name}-screen-${width}x${height}-choose`);
        }
        await payByQr(withMsg.url);
        for (const [i, screen] of screens.entries()) {
          const { width, height } = SIZES[i] ?? SIZES[0];
          await screen.waitForSelector('img[data-qr]');
          await screen.waitForFunction(() =>
            /\d\d:\d\d/.test(document.querySelector('[data-expire]')?.textContent ?? ''),
          );
          assert.match((await screen.textContent('.show-msg')) ?? '', /门诊一楼收费处/);
          await assertFits(screen, `${width}x${height} with ShowMsg`);
          await shot(screen, `${database.name}-screen-${width}x${height}-showmsg`);
        }
        await fetch(`${withMsg.url}/cancel`, { method: 'POST' });
        assert.equal((await withMsg.answer).respCode, '035001');

        // Without ShowMsg the left side holds what to pay and how, not an empty box.
        const plain = await qrOrder('FIT-2', 'S-FIT');
        for (const [i, screen] of screens.entries()) {
          const { width, height } = SIZES[i] ?? SIZES[0];
          await screen.waitForSelector('text=1234.56');
          await screen.waitForSelector('img[data-qr]');
          assert.equal(await screen.locator('.show-msg').count(), 0, 'no empty ShowMsg box');
          await assertFits(screen, `${width}x${height} without ShowMsg`);
          const amount = await screen.locator(MUST_SEE.amount).boundingBox();
          const qr = await screen.locator(MUST_SEE.qr).boundingBox();
          assert.ok(amount && qr);
          if (width > height)
            assert.ok(amount.x + amount.width <= qr.x, 'landscape: the amount is left of the QR');
          else assert.ok(amount.y + amount.height <= qr.y, 'portrait: the amount is above the QR');
          await shot(screen, `${database.name}-screen-${width}x${height}`);
        }
        await fetch(`${plain.url}/cancel`, { method: 'POST' });
        assert.equal((await plain.answer).respCode, '035001');
        for (const screen of screens) await screen.context().close();
      },
    );

    it(
      'once the client stops waiting at the desk, the screen drops the amount at once',
      availability,
      async () => {
        const screen = await screenPage('S-GONE', 1280, 800);
        const desk = deskClient(t, DESK_WAIT_LEASE_MS + 3_000);
        const { answer } = await desk.atDesk((c) =>
          c.recharge(rechargeParam('GONE-1', '7.00', { termNo: 'S-GONE' })),
        );
        await screen.waitForSelector('text=收费员正在为您办理');
        // While the client replays, the amount stays, past the lease.
        await delay(DESK_WAIT_LEASE_MS + 1_500);
        assert.match((await screen.textContent('main')) ?? '', /¥ 7\.00/);
        await shot(screen, `${database.name}-screen-waiting`);

        const pending = await answer;
        const gaveUpAt = Date.now();
        assert.equal(pending.respCode, '035001', 'the client gave up and closed the unpaid order');
        // The patient is told at once that it is cancelled; "please wait" never lingers.
        await screen.waitForSelector('text=订单已取消', { timeout: 3_000 });
        assert.ok(Date.now() - gaveUpAt <= 3_000);
        assert.doesNotMatch((await screen.textContent('main')) ?? '', /收费员正在为您办理/);
        // The order is closed: the desk no longer offers it, and the HIS was told.
        const order = await findOrderByOutNo(t.running.platform.store.db, t.appid, 'recharge', 'GONE-1');
        assert.equal(order?.state, 'closed');
        // A screen loaded afresh has no open order to show: the welcome, never the old amount.
        await screen.reload();
        await screen.waitForSelector('text=欢迎光临');
        assert.doesNotMatch((await screen.textContent('main')) ?? '', /7\.00/);
        await screen.context().close();
      },
    );
  });
}
