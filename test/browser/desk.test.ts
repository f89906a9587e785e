import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findOrderByOutNo } from '../../src/platform/trades/orders.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';
import { screenPath } from '../../src/web/screen/key.js';
import { browserAvailability, deskClient, launchBrowser, p, rechargeParam, shot } from './harness.js';

const browser = browserAvailability();

for (const database of TEST_DATABASES) {
  describe(`cashier desk in chromium on ${database.name}`, async () => {
    const dbAvailability = await databaseAvailability(database);
    const availability = browser.skip ? browser : dbAvailability;
    let t: TestPlatform;
    let chrome: Browser;
    let cashier: BrowserContext;
    let desk: ReturnType<typeof deskClient>;
    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database);
      desk = deskClient(t);
      chrome = await launchBrowser();
      cashier = await chrome.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    });
    after(async () => {
      await chrome?.close();
      await t?.closeCheckingLedger();
    });

    async function openDesk(outChargeNo: string, amount: string, more = {}) {
      const { url, answer } = await desk.atDesk((c) => c.recharge(rechargeParam(outChargeNo, amount, more)));
      const page = await cashier.newPage();
      await page.goto(url);
      await page.waitForSelector('button[data-channel]');
      return { page, answer };
    }

    async function screenPage(termNo: string, width: number, height: number): Promise<Page> {
      const app = await t.running.platform.apps.find(t.appid);
      assert.ok(app);
      const context = await chrome.newContext({ viewport: { width, height }, locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(`${t.running.url}${screenPath(app, termNo)}`);
      return page;
    }

    it(
      'QR: the desk shows the QR, the screen follows without reload, the wallet pays, payTrans gets the final answer',
      availability,
      async () => {
        const screen = await screenPage('T01', 1280, 800);
        const portrait = await screenPage('T01', 800, 1280);
        await screen.waitForSelector('text=欢迎光临');
        const { page, answer } = await openDesk('QR-1', '12.34', { ShowMsg: '请核对金额\n门诊一楼收费处' });
        assert.match((await page.textContent('main')) ?? '', /蔡\*辉/);
        assert.match((await page.textContent('main')) ?? '', /厦门市第一医院/);
        assert.ok(!(await page.content()).includes('蔡少辉'), 'the full name never reaches the page');
        await screen.waitForSelector('text=收费员正在为您办理');
        await shot(page, `${database.name}-desk-choose`);

        await page.keyboard.press('1');
        // the pick lands once no second digit followed (a scanner's would)
        await page.waitForSelector('button[data-channel=ONE_QR][aria-pressed=true]:focus');
        await page.keyboard.press('Enter');
        const qr = await page.waitForSelector('img[data-qr]');
        const qrUrl = await qr.getAttribute('data-qr');
        assert.ok(qrUrl?.startsWith(t.running.url), qrUrl ?? '');
        assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
        await page.waitForFunction(() =>
          /\d\d:\d\d/.test(document.querySelector('[data-expire]')?.textContent ?? ''),
        );
        await shot(page, `${database.name}-desk-qr`);

        // The extension screen switched to the QR by itself: same code, with ShowMsg on the left.
        const screenQr = await screen.waitForSelector('img[data-qr]');
        assert.equal(await screenQr.getAttribute('data-qr'), qrUrl);
        assert.match((await screen.textContent('.show-msg')) ?? '', /门诊一楼收费处/);
        await portrait.waitForSelector('img[data-qr]');
        await shot(screen, `${database.name}-screen-qr-landscape`);
        await shot(portrait, `${database.name}-screen-qr-portrait`);

        // The patient's phone: Alipay's browser goes straight to Alipay's payment.
        const phone = await chrome.newContext({
          viewport: { width: 390, height: 844 },
          userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AlipayClient/10.5.0',
        });
        const wallet = await phone.newPage();
        await wallet.goto(qrUrl ?? '');
        assert.equal(await wallet.locator('button', { hasText: '用微信支付' }).count(), 0);
        await wallet.click('text=用支付宝支付');
        await wallet.waitForSelector('text=支付成功');
        await phone.close();

        await page.waitForSelector('text=✔ 支付成功');
        await screen.waitForSelector('text=✔ 支付成功');
        await portrait.waitForSelector('text=✔ 支付成功');
        // Both name the wallet that really paid, not the one-QR code the cashier picked.
        assert.match((await screen.textContent('[data-paid-by]')) ?? '', /支付宝二维码支付/);
        assert.match((await page.textContent('body')) ?? '', /支付宝二维码支付/);
        await shot(page, `${database.name}-desk-success`);
        await shot(screen, `${database.name}-screen-success`);
        const final = await answer;
        assert.equal(final.respCode, '000000', final.respMsg);
        assert.equal(p(final)['tradeMode'], 'ALI_QR');
        assert.equal(p(final)['balance'], '12.34');
        assert.equal(screen.url(), screen.url(), 'no navigation happened');
        await screen.context().close();
        await portrait.context().close();
        await page.close();
      },
    );

    it(
      'barcode: a scanner burst of digits + Enter pays with ONE_BAR, which recognises the wallet',
      availability,
      async () => {
        const { page, answer } = await openDesk('BAR-1', '1.00');
        // A scanner's keys, dispatched in the page back to back as a scanner sends them (the
        // automation protocol's own latency under load would make them look typed by a person).
        await page.evaluate((code) => {
          const target = document.activeElement ?? document.body;
          for (const key of [...code, 'Enter']) {
            target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
          }
        }, '134567890123456780');
        await page.waitForSelector('text=✔ 支付成功');
        const final = await answer;
        assert.equal(final.respCode, '000000', final.respMsg);
        assert.equal(p(final)['tradeMode'], 'WX_BAR');
        await shot(page, `${database.name}-desk-barcode`);
        await page.close();
      },
    );

    it(
      'barcode typed by hand into the field after picking the channel by its number key',
      availability,
      async () => {
        const { page, answer } = await openDesk('BAR-2', '2.00');
        await page.keyboard.press('2');
        await page.waitForFunction(() => document.activeElement?.id === 'authCode');
        await page.keyboard.type('2856789012345670', { delay: 60 });
        await page.keyboard.press('Enter');
        await page.waitForSelector('text=✔ 支付成功');
        assert.equal(p(await answer)['tradeMode'], 'ALI_BAR');
        await page.close();
      },
    );

    it('cash: number key then Enter', availability, async () => {
      const { page, answer } = await openDesk('CASH-1', '100.00');
      await page.keyboard.press('4');
      // the pick lands once no second digit followed (a scanner's would)
      await page.waitForSelector('button[data-channel=CASH][aria-pressed=true]:focus');
      await page.keyboard.press('Enter');
      await page.waitForSelector('text=✔ 支付成功');
      const final = await answer;
      assert.equal(final.respCode, '000000', final.respMsg);
      assert.equal(p(final)['tradeMode'], 'CASH');
      // Two numbers, each named by whose it is: the HIS's outChargeNo and the platform's traceNo.
      const text = (await page.textContent('body')) ?? '';
      assert.match(text, /HIS 流水号\s*CASH-1/);
      assert.match(text, new RegExp(`平台流水号\\s*${String(p(final)['traceNo'])}`));
      assert.doesNotMatch(text, /流水(?!号)/, 'no bare 流水 label');
      await shot(page, `${database.name}-desk-cash`);
      await page.close();
    });

    it('POS on terminal 2: the card fields come back in extra', availability, async () => {
      const { page, answer } = await openDesk('POS-1', '30.00');
      await page.click('button[data-channel=POS]');
      await page.selectOption('#posNo', '2');
      await page.click('#pay');
      await page.waitForSelector('text=✔ 支付成功');
      const final = await answer;
      assert.equal(final.respCode, '000000', final.respMsg);
      assert.equal(p(final)['tradeMode'], 'POS');
      assert.match(String((final['extra'] as Record<string, unknown>)['BankCardNo']), /^6222\*{4}\d{4}$/);
      await page.close();
    });

    it('Esc then Enter cancels: the order closes and payTrans answers 035001', availability, async () => {
      const { page, answer } = await openDesk('CANCEL-1', '5.00');
      await page.keyboard.press('Escape');
      await page.waitForSelector('#confirm:not([hidden])');
      await page.keyboard.press('Enter');
      await page.waitForSelector('text=订单已取消');
      await shot(page, `${database.name}-desk-cancelled`);
      const final = await answer;
      assert.equal(final.respCode, '035001', final.respMsg);
      const order = await findOrderByOutNo(t.running.platform.store.db, t.appid, 'recharge', 'CANCEL-1');
      assert.equal(order?.state, 'closed');
      await page.close();
    });

    it(
      'a preset depositType offers that channel only; a wrong token is a 404 page',
      availability,
      async () => {
        const { page, answer } = await openDesk('PRESET-1', '3.00', { depositType: 'CASH' });
        assert.deepEqual(
          await page.$$eval('button[data-channel]', (bs) => bs.map((b) => b.getAttribute('data-channel'))),
          ['CASH'],
        );
        await page.keyboard.press('Enter');
        await page.waitForSelector('text=✔ 支付成功');
        assert.equal((await answer).respCode, '000000');
        const bad = await page.goto(`${t.running.url}/desk/20240101000000aaaaaaaaaaaa-${'0'.repeat(24)}`);
        assert.equal(bad?.status(), 404);
        await page.close();
      },
    );
  });
}
