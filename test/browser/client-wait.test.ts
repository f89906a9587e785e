import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { payTrans } from '../../src/client/index.js';
import { findOrderByOutNo } from '../../src/platform/trades/orders.js';
import type { Answer } from '../../src/protocol/codes.js';
import { TEST_DATABASES } from '../../src/testing/databases.js';
import { startTestPlatform, type TestPlatform } from '../../src/testing/platform.js';
import { walletOfUserAgent } from '../../src/web/landing/user-agent.js';
import { browserAvailability, launchBrowser, p, rechargeParam, shot } from './harness.js';

const availability = browserAvailability();
const sqlite = TEST_DATABASES[0];

/** Runs `fn` with stderr captured: PAYCLIENT_DESK=print writes the desk URL there. */
function watchStderr(): { lines: string[]; stop(): void } {
  const lines: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    lines.push(String(chunk));
    return original(chunk, ...rest);
  }) as typeof process.stderr.write;
  return { lines, stop: () => (process.stderr.write = original) };
}

async function untilUrl(lines: string[]): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const found = lines.join('').match(/https?:\/\/\S+\/desk\/\S+/);
    if (found) return found[0];
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('payclient printed no desk URL');
}

describe('payTrans (the DLL contract) waits at the desk', () => {
  let t: TestPlatform;
  let chrome: Browser;
  const saved = { ...process.env };
  before(async () => {
    if (availability.skip || !sqlite) return;
    t = await startTestPlatform(sqlite);
    chrome = await launchBrowser();
    process.env['PAYCLIENT_HOME'] = mkdtempSync(join(tmpdir(), 'payclient-'));
    process.env['PAYCLIENT_DESK'] = 'print';
    const set = JSON.parse(
      await payTrans(
        JSON.stringify({
          transType: 'hop.trade.setinfo',
          param: {
            serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
            appid: t.appid,
            appsecret: t.secret,
          },
        }),
      ),
    ) as Answer;
    assert.equal(set.respCode, '000000', set.respMsg);
  });
  after(async () => {
    process.env = saved;
    await chrome?.close();
    await t?.close();
  });

  const pindata = (outChargeNo: string) =>
    JSON.stringify({ transType: 'hop.trade.recharge', param: rechargeParam(outChargeNo, '20.00') });

  it('returns the final answer once the cashier finishes in the browser', availability, async () => {
    process.env['PAYCLIENT_DESK_TIMEOUT_MS'] = '60000';
    const err = watchStderr();
    const pending = payTrans(pindata('PT-1'));
    try {
      const url = await untilUrl(err.lines);
      const page = await chrome.newPage();
      await page.goto(url);
      await page.click('button[data-channel=CASH]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('text=✔ 支付成功');
      await page.close();
    } finally {
      err.stop();
    }
    const answer = JSON.parse(await pending) as Answer;
    assert.equal(answer.respCode, '000000', answer.respMsg);
    assert.equal(p(answer)['tradeMode'], 'CASH');
    assert.equal(p(answer)['balance'], '20.00');
  });

  it(
    'when the bound passes the client closes the unpaid order and tells the HIS so (035001), not "query later"',
    availability,
    async () => {
      process.env['PAYCLIENT_DESK_TIMEOUT_MS'] = '1500';
      const err = watchStderr();
      const started = Date.now();
      let text: string;
      try {
        text = await payTrans(pindata('PT-2'));
      } finally {
        err.stop();
      }
      const answer = JSON.parse(text) as Answer;
      assert.ok(Date.now() - started < 5_000);
      assert.equal(answer.respCode, '035001', answer.respMsg);
      assert.match(answer.respMsg, /收银台等待超时/);
      assert.match(err.lines.join(''), /\/desk\//);
      const order = await findOrderByOutNo(t.running.platform.store.db, t.appid, 'recharge', 'PT-2');
      assert.equal(order?.state, 'closed', 'the desk no longer offers it');
    },
  );

  it(
    'ONE_QR landing: wallets go on to their payment, other browsers are asked to open a wallet',
    availability,
    async () => {
      assert.equal(walletOfUserAgent('Mozilla/5.0 AlipayClient/10.5.0'), 'alipay');
      assert.equal(walletOfUserAgent('Mozilla/5.0 MicroMessenger/8.0.40 NetType/WIFI'), 'wechat');
      assert.equal(walletOfUserAgent('Mozilla/5.0 MicroMessenger/7.0.1 wxwork/4.1.0'), null);
      assert.equal(walletOfUserAgent('Mozilla/5.0 (iPhone) UnionPay/1.0 CloudPay'), 'unionpay');
      assert.equal(walletOfUserAgent('Mozilla/5.0 Chrome/120'), null);

      const qr = await t.client.recharge({
        ...rechargeParam('PT-3', '1.00'),
        depositType: 'ONE_QR',
        extra: { deskflak: '1', userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111' },
      });
      assert.equal(qr.respCode, '000000', qr.respMsg);
      const url = String(p(qr)['qrcode']);
      const plain = await chrome.newPage();
      await plain.goto(url);
      assert.match((await plain.textContent('h1')) ?? '', /请使用支付宝、微信或云闪付/);
      await shot(plain, 'landing-open-with-wallet');
      await plain.close();

      const wxwork = await chrome.newContext({ userAgent: 'Mozilla/5.0 MicroMessenger/7.0.1 wxwork/4.1.0' });
      const work = await wxwork.newPage();
      await work.goto(url);
      assert.match((await work.textContent('h1')) ?? '', /请使用支付宝、微信或云闪付/);
      await wxwork.close();

      const wechat = await chrome.newContext({ userAgent: 'Mozilla/5.0 MicroMessenger/8.0.40 NetType/WIFI' });
      const phone = await wechat.newPage();
      await phone.goto(url);
      assert.equal(await phone.locator('button', { hasText: '用支付宝支付' }).count(), 0);
      await phone.click('text=用微信支付');
      await phone.waitForSelector('text=支付成功');
      await wechat.close();
    },
  );
});
