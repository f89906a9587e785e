import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { STRICT, TEST_DATABASES } from '../../testing/databases.js';
import { ALIPAY_UA, DESKTOP_UA, type LiveOneQr, liveOneQr, WECHAT_UA } from './live-one-qr.test-util.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join('test-artifacts', 'landing');
const PHONE = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

function availability(): { skip?: string } {
  if (existsSync(CHROMIUM)) return {};
  const reason = `chromium not found at ${CHROMIUM}`;
  if (STRICT) throw new Error(`ONEPAY_TEST_STRICT=1 and ${reason}`);
  console.warn(`NOTICE: skipping landing browser tests: ${reason}`);
  return { skip: reason };
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * The wallets' JS bridges as the wallet apps inject them: each records the
 * call and answers as a patient who paid. Alipay's bridge comes late (after
 * the page's script ran), as it may in the real app: the page waits for its
 * ready event.
 */
const BRIDGES = `
window.bridgeCalls = [];
setTimeout(() => {
  window.AlipayJSBridge = { call(name, params, done) { window.bridgeCalls.push([name, params]); done({ resultCode: '9000' }); } };
  document.dispatchEvent(new Event('AlipayJSBridgeReady'));
}, 50);
window.WeixinJSBridge = { invoke(name, params, done) { window.bridgeCalls.push([name, params]); done({ err_msg: 'get_brand_wcpay_request:ok' }); } };
`;

describe('the one-QR landing in chromium at a phone size', () => {
  const skip = availability();
  const sqlite = TEST_DATABASES.find((d) => d.name === 'sqlite');
  let s: LiveOneQr;
  let browser: Browser;
  before(async () => {
    if (skip.skip || !sqlite) return;
    s = await liveOneQr(sqlite);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  async function open(userAgent: string, qrcode: string): Promise<Page> {
    const context = await browser.newContext({ ...PHONE, userAgent, locale: 'zh-CN' });
    await context.addInitScript(BRIDGES);
    const page = await context.newPage();
    await page.goto(qrcode);
    return page;
  }

  it('in Alipay: tradePay opens with the trade number and the page says it was paid', skip, async () => {
    const { traceNo, qrcode } = await s.order('B1', 'B1-1');
    const page = await open(ALIPAY_UA, qrcode);
    await page.getByText('支付成功，请回到收费处').waitFor({ timeout: 5000 });
    const calls = (await page.evaluate('window.bridgeCalls')) as [string, Record<string, string>][];
    assert.deepEqual(calls, [['tradePay', { tradeNO: s.ali.trade(traceNo)?.tradeNo }]]);
    assert.ok(await page.getByText('¥ 12.34').isVisible());
    assert.equal(
      await page.getByRole('button', { name: '确认支付' }).isVisible(),
      false,
      'paid: no button left',
    );
    await shot(page, 'alipay');
  });

  it('in WeChat: getBrandWCPayRequest opens with the signed package', skip, async () => {
    const { qrcode } = await s.order('B2', 'B2-1');
    const page = await open(WECHAT_UA, qrcode);
    await page.getByText('支付成功，请回到收费处').waitFor({ timeout: 5000 });
    const calls = (await page.evaluate('window.bridgeCalls')) as [string, Record<string, string>][];
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.[0], 'getBrandWCPayRequest');
    assert.deepEqual(Object.keys(calls[0]?.[1] ?? {}).sort(), [
      'appId',
      'nonceStr',
      'package',
      'paySign',
      'signType',
      'timeStamp',
    ]);
    await shot(page, 'wechat');
  });

  it('in a plain phone browser: the instruction, fitting the screen', skip, async () => {
    const { qrcode } = await s.order('B3', 'B3-1');
    const page = await open(DESKTOP_UA, qrcode);
    assert.ok(await page.getByRole('heading', { name: '请用支付宝、微信或云闪付扫码' }).isVisible());
    const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(width <= 375, `no sideways scrolling (${width}px)`);
    assert.deepEqual(await page.evaluate('window.bridgeCalls'), []);
    await shot(page, 'instruction');
  });
});
