import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startHisSim } from '../../src/his-sim/index.js';
import type { SandboxChannels } from '../../src/platform/channels/sandbox/index.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';
import { addConsoleUsers, PASSWORDS, type Role } from './console-users.js';
import { browserAvailability, launchBrowser, opening, p, patient, shot } from './harness.js';

const browser = browserAvailability();
const KEY = 'his-key-for-the-console-test';
const hisCard = { ...patient, cardNo: 'HISC001', accountType: '02', hisCustId: 'HH1' };

for (const database of TEST_DATABASES) {
  describe(`the finance console in chromium on ${database.name}`, async () => {
    const dbAvailability = await databaseAvailability(database);
    const availability = browser.skip ? browser : dbAvailability;
    let t: TestPlatform;
    let sim: Awaited<ReturnType<typeof startHisSim>>;
    let chrome: Browser;
    let refundTrace = '';
    const url = (path: string) => `${t.running.url}${path}`;
    const name = (step: string) => `console-${database.name}-${step}`;

    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
      await addConsoleUsers(t);
      // A deposit held by the platform's ledger, for the account pages.
      const cash = await t.client.recharge({
        ...patient,
        amount: '30.00',
        outChargeNo: 'CONSOLE-CASH-1',
        depositType: 'CASH',
        extra: { ...opening, deskflak: '1' },
      });
      assert.equal(cash.respCode, '000000', cash.respMsg);
      // Then an external HIS, for a case that needs a person: it refunded, the channel refused (040036).
      sim = await startHisSim({ key: KEY });
      await t.running.platform.apps.configure(t.appid, {
        depositProvider: { kind: 'his-http', baseUrl: sim.url, key: KEY, timeoutMs: 400 },
      });
      const pending = await t.client.recharge({
        ...hisCard,
        amount: '50.00',
        outChargeNo: 'CONSOLE-QR-1',
        depositType: 'ALI_QR',
        extra: { deskflak: '1' },
      });
      const paid = await fetch(`${String(p(pending)['qrcode'])}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ wallet: 'alipay' }),
      });
      assert.equal(paid.status, 200);
      const trace = String(p(pending)['traceNo']);
      const channel = (await t.running.platform.channelFor(t.appid, 'ALI_QR')) as SandboxChannels;
      await channel.injectRefundOutcome(trace, 'fail');
      const { userName: _n, ...holder } = hisCard;
      const refused = await t.client.refund({
        ...holder,
        amount: '20.00',
        withdrawMode: '1',
        refundType: 'direct',
        outChargeNo: 'CONSOLE-QR-1',
        outRefundNo: 'CONSOLE-RF-1',
        tradeChannel: 'ALI_QR',
        refundDeskMode: '1',
        extra: { deskflak: '1' },
      });
      assert.equal(refused.respCode, '040036', refused.respMsg);
      refundTrace = String(
        (
          await t.running.platform.store.db
            .selectFrom('orders')
            .select('trace_no')
            .where('out_no', '=', 'CONSOLE-RF-1')
            .executeTakeFirstOrThrow()
        ).trace_no,
      );
      chrome = await launchBrowser();
    });
    after(async () => {
      await chrome?.close();
      await t?.closeCheckingLedger();
      await sim?.close();
    });

    async function loggedIn(role: Role): Promise<Page> {
      const context = await chrome.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(url('/console'));
      assert.match(page.url(), /\/console\/login$/, 'no session: sent to log in');
      await page.fill('input[name=username]', `${role}1`);
      await page.fill('input[name=password]', PASSWORDS[role]);
      await Promise.all([page.waitForURL(/\/console$/), page.click('button[type=submit]')]);
      assert.match((await page.textContent('header.top')) ?? '', new RegExp(`${role}1`));
      return page;
    }

    it(
      'log-in page in Chinese; a wrong password is refused without saying which part was wrong',
      availability,
      async () => {
        const context = await chrome.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
        const page = await context.newPage();
        await page.goto(url('/console/login'));
        await shot(page, name('login'));
        await page.fill('input[name=username]', 'finance1');
        await page.fill('input[name=password]', 'not-the-password');
        const [response] = await Promise.all([
          page.waitForResponse(/\/console\/login/),
          page.click('button[type=submit]'),
        ]);
        assert.equal(response.status(), 401);
        assert.equal(await page.textContent('.flash.err'), '用户名或密码错误');
        await shot(page, name('login-refused'));
        await context.close();
      },
    );

    it(
      'the session cookie is HttpOnly, SameSite=Strict and Secure; a POST without the CSRF token is refused',
      availability,
      async () => {
        const page = await loggedIn('finance');
        const [cookie] = (await page.context().cookies()).filter((c) => c.name === 'onepay_console');
        assert.ok(cookie);
        assert.equal(cookie.httpOnly, true);
        assert.equal(cookie.sameSite, 'Strict');
        assert.equal(cookie.secure, true);
        assert.equal(cookie.path, '/console');
        const forged = await fetch(url(`/console/queue/${refundTrace}`), {
          method: 'POST',
          headers: {
            cookie: `onepay_console=${cookie.value}`,
            'content-type': 'application/x-www-form-urlencoded',
            origin: t.running.url,
          },
          body: 'action=payOffline&reference=X&note=forged',
        });
        assert.equal(forged.status, 403);
        assert.match(await forged.text(), /表单已过期或来源不明/);
        await page.context().close();
      },
    );

    it('a cashier searches orders and reads one; finance pages answer 403', availability, async () => {
      const page = await loggedIn('cashier');
      const menu = await page.$$eval('header.top nav a', (as) => as.map((a) => a.textContent));
      assert.deepEqual(menu, ['首页', '订单查询', '日结', '报表']);
      await shot(page, name('cashier-home'));
      await page.goto(url('/console/orders?number=CONSOLE-CASH-1'));
      const rows = await page.$$eval('table.orders tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
      assert.equal(rows.length, 1);
      assert.match(rows[0] ?? '', /30\.00/);
      assert.match(rows[0] ?? '', /成功/);
      await shot(page, name('cashier-orders'));
      await page.click('table.orders tbody a');
      assert.match((await page.textContent('main h2')) ?? '', /^订单 /);
      assert.match((await page.textContent('table.journal')) ?? '', /deposit:/);
      await shot(page, name('cashier-order'));
      const headers = (await page.goto(url('/console/orders')))?.headers() ?? {};
      assert.match(
        headers['content-security-policy'] ?? '',
        /frame-ancestors 'none'/,
        'no other site may frame the console',
      );
      assert.equal(headers['cache-control'], 'no-store', 'patients’ data is not cached');
      for (const path of ['/console/queue', '/console/accounts', '/console/audit', '/console/users']) {
        const response = await page.goto(url(path));
        assert.equal(response?.status(), 403, path);
        assert.match((await page.textContent('h2')) ?? '', /无权访问/);
      }
      await shot(page, name('cashier-refused'));
      await page.context().close();
    });

    it(
      'finance pays the 040036 refund out by bank transfer from the queue; the case leaves it and the order says who',
      availability,
      async () => {
        const page = await loggedIn('finance');
        assert.match((await page.textContent('main')) ?? '', /1 笔订单/);
        await page.goto(url('/console/queue'));
        const row = await page.textContent('table.queue tbody tr');
        assert.match(row ?? '', /040036/);
        assert.match(row ?? '', /20\.00/);
        await shot(page, name('finance-queue'));
        const byHand = page.locator('table.queue form', { has: page.locator('input[value=payOffline]') });
        await byHand.locator('input[name=reference]').fill('BT-2026-0001');
        await byHand.locator('input[name=note]').fill('患者提供银行卡, 财务已转账');
        await Promise.all([page.waitForLoadState('load'), byHand.locator('button').click()]);
        assert.match((await page.textContent('.flash.ok')) ?? '', /已处理/);
        assert.match((await page.textContent('main')) ?? '', /没有待人工处理的订单/);
        await shot(page, name('finance-queue-done'));
        await page.goto(url(`/console/orders/${refundTrace}`));
        const text = (await page.textContent('main')) ?? '';
        assert.match(text, /BT-2026-0001/);
        assert.match(text, /clearing:BANK_TRANSFER:T01/);
        assert.match(text, /finance1/);
        await shot(page, name('finance-order'));
        const q = await t.client.query({
          ...hisCard,
          tradeType: 'hop.trade.refund',
          outTradeNo: 'CONSOLE-RF-1',
        });
        assert.equal(p(q)['result'], 'succ');
        await page.context().close();
      },
    );

    it(
      'finance finds an account, freezes it with a reason; the audit trail shows it',
      availability,
      async () => {
        const page = await loggedIn('finance');
        await page.goto(url(`/console/accounts?q=${patient.cardNo}`));
        await shot(page, name('finance-accounts'));
        await Promise.all([page.waitForURL(/\/console\/accounts\/A/), page.click('table.accounts tbody a')]);
        assert.match((await page.textContent('dl.facts')) ?? '', /30\.00/);
        const freeze = page.locator('form', { has: page.locator('input[name=action][value=freeze]') });
        await freeze.locator('input[name=reason]').fill('患者申请冻结');
        await Promise.all([page.waitForLoadState('load'), freeze.locator('button').click()]);
        assert.match((await page.textContent('.flash.ok')) ?? '', /已变更/);
        assert.match((await page.textContent('dl.facts')) ?? '', /03 冻结/);
        await shot(page, name('finance-account-frozen'));
        await page.goto(url('/console/audit'));
        const audit = (await page.textContent('table.audit')) ?? '';
        assert.match(audit, /account\.freeze/);
        assert.match(audit, /case\.payOffline/);
        assert.match(audit, /access\.denied/, 'the cashier’s refused pages are on the trail too');
        await shot(page, name('finance-audit'));
        await page.context().close();
      },
    );

    it(
      'an admin adds a user who can log in, then disables them: their open session ends at once',
      availability,
      async () => {
        const page = await loggedIn('admin');
        await page.goto(url('/console/users'));
        await page.fill('form.add-user input[name=username]', 'cashier2');
        await page.selectOption('form.add-user select[name=role]', 'cashier');
        await page.fill('form.add-user input[name=password]', 'a-new-cashier-pw');
        await Promise.all([page.waitForLoadState('load'), page.click('form.add-user button[type=submit]')]);
        assert.match((await page.textContent('.flash.ok')) ?? '', /cashier2/);
        const context = await chrome.newContext({ locale: 'zh-CN' });
        const fresh = await context.newPage();
        await fresh.goto(url('/console/login'));
        await fresh.fill('input[name=username]', 'cashier2');
        await fresh.fill('input[name=password]', 'a-new-cashier-pw');
        await Promise.all([fresh.waitForURL(/\/console$/), fresh.click('button[type=submit]')]);
        assert.match((await fresh.textContent('header.top')) ?? '', /收费员/);
        const row = page.locator('tr[data-user=cashier2]');
        await Promise.all([
          page.waitForLoadState('load'),
          row
            .locator('form', { has: page.locator('input[value=disable]') })
            .locator('button')
            .click(),
        ]);
        assert.match((await page.textContent('.flash.ok')) ?? '', /cashier2 已更新/);
        assert.match((await page.locator('tr[data-user=cashier2]').textContent()) ?? '', /停用/);
        await shot(page, name('admin-users'));
        await fresh.goto(url('/console'));
        assert.match(fresh.url(), /\/console\/login$/, 'the disabled user’s session is gone');
        const me = page.locator('tr[data-user=admin1]');
        await Promise.all([
          page.waitForLoadState('load'),
          me
            .locator('form', { has: page.locator('input[value=disable]') })
            .locator('button')
            .click(),
        ]);
        assert.equal(await page.textContent('.flash.err'), '至少须保留一名启用的管理员');
        await context.close();
        await page.context().close();
      },
    );

    // Last: it spends this address's log-in allowance for the minute.
    it(
      'log-in attempts from one address are limited per minute, whatever the name',
      availability,
      async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 25; i++) {
          const res = await fetch(url('/console/login'), {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.running.url },
            body: `username=guess${i}&password=x&csrf=none`,
          });
          statuses.push(res.status);
        }
        assert.ok(statuses.includes(429), statuses.join(','));
        assert.ok(statuses.indexOf(429) <= 20, 'refused within the allowance of 20 a minute');
      },
    );
  });
}
