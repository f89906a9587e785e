import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startHisSim } from '../../src/his-sim/index.js';
import type { SandboxChannels } from '../../src/platform/channels/sandbox/index.js';
import { beijingDayOf } from '../../src/platform/reconcile/day.js';
import { databaseAvailability, TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';
import { addConsoleUsers, loggedIn as loginAs, type Role } from './console-users.js';
import { browserAvailability, launchBrowser, p, patient, shot } from './harness.js';

const browser = browserAvailability();
const KEY = 'his-key-for-the-finance-day';
const VIEWPORTS = [
  [800, 1280],
  [1024, 600],
  [1280, 800],
  [1920, 1080],
] as const;
const hisCard = (n: number) => ({ ...patient, cardNo: `FD${n}`, accountType: '02', hisCustId: `FH${n}` });

/**
 * The finance day of docs/operations.md, in chromium: the queue with each kind of case and the
 * decisions that move money through the platform's trades, the day's reconciliation with its
 * differences, and the administrator's apps and channels. Screenshots of each page at the four
 * screen sizes land in test-artifacts/browser/day-<engine>-<step>-<w>x<h>.png.
 */
for (const database of TEST_DATABASES) {
  describe(`the finance day in chromium on ${database.name}`, async () => {
    const dbAvailability = await databaseAvailability(database);
    const availability = browser.skip ? browser : dbAvailability;
    let t: TestPlatform;
    let sim: Awaited<ReturnType<typeof startHisSim>>;
    let chrome: Browser;
    const traces: Record<string, string> = {};
    const url = (path: string) => `${t.running.url}${path}`;
    const today = () => beijingDayOf(Date.now());

    async function shots(page: Page, step: string): Promise<void> {
      for (const [width, height] of VIEWPORTS) {
        await page.setViewportSize({ width, height });
        await shot(page, `day-${database.name}-${step}-${width}x${height}`);
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    }

    async function paidByQr(n: number, amount: string): Promise<string> {
      const pending = await t.client.recharge({
        ...hisCard(n),
        amount,
        outChargeNo: `FD-QR-${n}`,
        depositType: 'ALI_QR',
        extra: { deskflak: '1' },
      });
      const paid = await fetch(`${String(p(pending)['qrcode'])}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ wallet: 'alipay' }),
      });
      assert.equal(paid.status, 200);
      const q = await t.client.query({
        ...hisCard(n),
        tradeType: 'hop.trade.recharge',
        outTradeNo: `FD-QR-${n}`,
      });
      assert.equal(p(q)['result'], 'succ', JSON.stringify(q));
      return String(p(pending)['traceNo']);
    }

    function refund(n: number, outRefundNo: string, withdrawMode: string) {
      const { userName: _n, ...holder } = hisCard(n);
      return t.client.refund({
        ...holder,
        amount: '20.00',
        withdrawMode,
        refundType: 'direct',
        outChargeNo: `FD-QR-${n}`,
        outRefundNo,
        tradeChannel: 'ALI_QR',
        refundDeskMode: '1',
        extra: { deskflak: '1' },
      });
    }

    before(async () => {
      if (availability.skip) return;
      t = await startTestPlatform(database, { settings: { refundMinIntervalMs: 0 } });
      await addConsoleUsers(t);
      sim = await startHisSim({ key: KEY });
      await t.running.platform.apps.configure(t.appid, {
        depositProvider: { kind: 'his-http', baseUrl: sim.url, key: KEY, timeoutMs: 400 },
      });
      const sandbox = (await t.running.platform.channelFor(t.appid, 'ALI_QR')) as SandboxChannels;
      // 1: a refund the channel refused after the HIS refunded (040036).
      traces['refused'] = await paidByQr(1, '50.00');
      await sandbox.injectRefundOutcome(traces['refused'], 'fail');
      assert.equal((await refund(1, 'FD-RF-1', '1')).respCode, '040036');
      await sandbox.injectRefundOutcome(traces['refused'], null);
      // 2: a refund by bank transfer, waiting for finance (withdrawMode 2).
      await paidByQr(2, '80.00');
      assert.equal((await refund(2, 'FD-RF-2', '2')).respCode, '040038');
      // 3: a recharge the HIS refused whose refund by the original route failed.
      const pending = await t.client.recharge({
        ...hisCard(3),
        amount: '30.00',
        outChargeNo: 'FD-QR-3',
        depositType: 'ALI_QR',
        extra: { deskflak: '1' },
      });
      traces['rechargeRefused'] = String(p(pending)['traceNo']);
      await sandbox.injectRefundOutcome(traces['rechargeRefused'], 'fail');
      sim.faults.set('credit', 'fail', { times: 1 });
      await fetch(`${String(p(pending)['qrcode'])}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ wallet: 'alipay' }),
      });
      await t.client.query({ ...hisCard(3), tradeType: 'hop.trade.recharge', outTradeNo: 'FD-QR-3' });
      await sandbox.injectRefundOutcome(traces['rechargeRefused'], null);
      for (const out of ['FD-RF-1', 'FD-RF-2'])
        traces[out] = String(
          (
            await t.running.platform.store.db
              .selectFrom('orders')
              .select('trace_no')
              .where('out_no', '=', out)
              .executeTakeFirstOrThrow()
          ).trace_no,
        );
      chrome = await launchBrowser();
    });
    after(async () => {
      await chrome?.close();
      await sim?.close();
      await t?.close();
    });

    const loggedIn = (role: Role) => loginAs(chrome, t.running.url, role);

    const caseRow = (page: Page, trace: string) =>
      page.locator('table.queue tbody tr', { has: page.locator(`a[href="/console/orders/${trace}"]`) });

    it(
      'finance works the queue: each case offers what fits, each decision runs a trade',
      availability,
      async () => {
        const page = await loggedIn('finance');
        assert.match((await page.textContent('main')) ?? '', /3 笔订单/);
        await shots(page, 'home');
        await page.goto(url('/console/queue'));
        await shots(page, 'queue');
        const refused = caseRow(page, traces['FD-RF-1'] ?? '');
        assert.deepEqual(await refused.locator('button').allTextContents(), [
          '重新提交渠道退款',
          '确认已线下付出',
        ]);
        const transfer = caseRow(page, traces['FD-RF-2'] ?? '');
        assert.deepEqual(await transfer.locator('button').allTextContents(), ['确认已银行转账']);
        const recharge = caseRow(page, traces['rechargeRefused'] ?? '');
        assert.deepEqual(await recharge.locator('button').allTextContents(), ['原路退回']);

        // Retry the channel: it still refuses that refund number, so the case stays, money still held.
        const retry = refused.locator('form', { has: page.locator('input[value=retryChannel]') });
        await retry.locator('input[name=note]').fill('渠道故障已恢复, 重新提交');
        await Promise.all([page.waitForLoadState('load'), retry.locator('button').click()]);
        assert.match((await page.textContent('.flash.ok')) ?? '', /仍未完成, 已留在队列: 040036/);
        await shots(page, 'queue-retried');

        // The bank transfer was made: confirm it with its reference.
        const done = caseRow(page, traces['FD-RF-2'] ?? '').locator('form');
        await done.locator('input[name=reference]').fill('BT-2026-1204-01');
        await done.locator('input[name=note]').fill('已转账至患者银行卡');
        await Promise.all([page.waitForLoadState('load'), done.locator('button').click()]);
        assert.match((await page.textContent('.flash.ok')) ?? '', /已完成/);
        assert.equal(await caseRow(page, traces['FD-RF-2'] ?? '').count(), 0);
        const q = await t.client.query({
          ...hisCard(2),
          tradeType: 'hop.trade.refund',
          outTradeNo: 'FD-RF-2',
        });
        assert.equal(p(q)['result'], 'succ');
        assert.equal(p(q)['tradeMode'], 'BANK_TRANSFER');

        // The 040036 case is paid by hand after all.
        const byHand = caseRow(page, traces['FD-RF-1'] ?? '').locator('form', {
          has: page.locator('input[value=payOffline]'),
        });
        await byHand.locator('input[name=reference]').fill('BT-2026-1204-02');
        await byHand.locator('input[name=note]').fill('患者提供银行卡, 财务已转账');
        await Promise.all([page.waitForLoadState('load'), byHand.locator('button').click()]);
        assert.match((await page.textContent('.flash.ok')) ?? '', /已处理/);
        await shots(page, 'queue-after');
        await page.goto(url('/console/audit'));
        const audit = (await page.textContent('table.audit')) ?? '';
        for (const action of [
          'case.retryChannel',
          'case.retryChannel.result',
          'case.transferDone',
          'case.payOffline',
        ])
          assert.ok(audit.includes(action), action);
        await shots(page, 'audit');
        await page.context().close();
      },
    );

    it(
      "finance reconciles today's trades: the differences are listed and one is closed with a note",
      availability,
      async () => {
        // A payment the channel took under a number the platform never issued (长款).
        const at = Date.now() - 60_000;
        await t.running.platform.store.db
          .insertInto('sandbox_payments')
          .values({
            trace_no: 'FDGHOST1',
            appid: t.appid,
            channel: 'ALI_QR',
            amount_fen: 1234,
            subject: 's',
            term_no: 'T1',
            token: null,
            state: 'success',
            scenario: 'wallet',
            queries: 0,
            paid_channel: 'ALI_QR',
            channel_trade_no: 'ALI-FD-GHOST',
            pos_no: null,
            result_extra: null,
            message: null,
            refunded_fen: 0,
            refund_outcome: null,
            expire_at: at,
            paid_at: at,
            created_at: at,
            updated_at: at,
          })
          .execute();
        const page = await loggedIn('finance');
        await page.goto(url(`/console/reconcile?appid=${t.appid}&day=${today()}`));
        // The HIS's statement pasted: the first recharge with a wrong amount, and one the platform never made.
        const csv = [
          'traceNo,hisNo,amount,kind',
          `${traces['refused']},HIS-0001,55.00,credit`,
          'NOSUCHTRACE01,HIS-0099,12.00,credit',
        ].join('\n');
        await page.fill('textarea[name=hisCsv]', csv);
        await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("立即对账")')]);
        const text = (await page.textContent('main')) ?? '';
        assert.match(text, /对账完成/);
        for (const kind of ['长款', '金额不符', 'HIS 多记']) assert.ok(text.includes(kind), kind);
        await shots(page, 'reconcile');
        const long = page.locator('table.queue tbody tr', { hasText: '长款' }).locator('form');
        await long.locator('input[name=note]').fill('渠道误收, 已联系渠道原路退回');
        await Promise.all([page.waitForLoadState('load'), long.locator('button').click()]);
        assert.match((await page.textContent('main')) ?? '', /渠道误收, 已联系渠道原路退回/);
        await shots(page, 'reconcile-resolved');
        await page.goto(url(`/console/reports?from=${today()}&to=${today()}&period=day&by=channel`));
        const charts = page.locator('figure.chart img');
        assert.ok((await charts.count()) > 0, 'the report has its charts');
        for (const img of await charts.all()) {
          const width = await img.evaluate(async (el) => {
            const image = el as HTMLImageElement;
            await image.decode();
            return image.naturalWidth;
          });
          assert.ok(width > 0, 'the chart image decoded');
        }
        await shots(page, 'report');
        await page.context().close();
      },
    );

    it(
      'the administrator sets up an app and its Alipay account; secrets never come back to the page',
      availability,
      async () => {
        const cashier = await loggedIn('cashier');
        assert.equal((await cashier.goto(url('/console/apps')))?.status(), 403);
        await cashier.context().close();
        const financeOnly = await loggedIn('finance');
        assert.equal((await financeOnly.goto(url('/console/apps')))?.status(), 403);
        await financeOnly.context().close();

        const page = await loggedIn('admin');
        await page.goto(url('/console/apps'));
        await page.fill('input[name=name]', '厦门市第一医院');
        await page.fill('input[name=hisUrl]', 'https://his.hospital.example/onepay');
        await page.fill('input[name=hisKey]', 'a-shared-his-key-0001');
        await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("创建应用")')]);
        const secret = (await page.textContent('.secret-once dd:nth-of-type(2) code')) ?? '';
        assert.ok(secret.length >= 32, 'the new secret is shown once');
        const appid = (await page.textContent('.secret-once dd:nth-of-type(1) code')) ?? '';
        await shots(page, 'apps-created');
        await page.goto(url(`/console/apps/${appid}`));
        assert.ok(!(await page.content()).includes(secret), 'never again');
        assert.ok(!(await page.content()).includes('a-shared-his-key-0001'));
        const { generateKeyPairSync } = await import('node:crypto');
        const pem = () =>
          generateKeyPairSync('rsa', { modulusLength: 2048 })
            .privateKey.export({ type: 'pkcs8', format: 'pem' })
            .toString();
        const alipayPublic = generateKeyPairSync('rsa', { modulusLength: 2048 })
          .publicKey.export({ type: 'spki', format: 'pem' })
          .toString();
        const form = page.locator('form[action$="/gateways/alipay"]');
        await form.locator('input[name=appId]').fill('2021000123456789');
        await form.locator('input[name=sellerId]').fill('2088000123456789');
        await form.locator('textarea[name=privateKey]').fill(pem());
        await form.locator('textarea[name=alipayPublicKey]').fill(alipayPublic);
        await Promise.all([page.waitForLoadState('load'), form.locator('button').click()]);
        assert.match((await page.textContent('.flash.ok')) ?? '', /商户参数已保存/);
        const html = await page.content();
        assert.ok(!html.includes('PRIVATE KEY') && !html.includes('PUBLIC KEY'), 'keys are write-only');
        assert.match(html, /已设置, 留空保持不变/);
        await shots(page, 'app');
        await page.goto(url('/console/apps'));
        await shots(page, 'apps');
        await page.goto(url('/console/audit'));
        const audit = (await page.textContent('table.audit')) ?? '';
        assert.match(audit, /app\.gateway/);
        assert.match(audit, /"privateKey":"已设置"/);
        await page.context().close();
      },
    );
  });
}
