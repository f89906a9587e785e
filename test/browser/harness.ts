import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type Param, PayClient } from '../../src/client/index.js';
import type { Answer } from '../../src/protocol/codes.js';
import { STRICT } from '../../src/testing/databases.js';
import type { TestPlatform } from '../../src/testing/platform.js';

/** Debian's chromium; a test never downloads a browser. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const ARTIFACTS = join('test-artifacts', 'browser');

/** `{ skip }` with a visible notice when chromium is absent; under ONEPAY_TEST_STRICT=1 a failure instead. */
export function browserAvailability(): { skip?: string } {
  if (existsSync(CHROMIUM)) return {};
  const reason = `chromium not found at ${CHROMIUM}`;
  if (STRICT) throw new Error(`ONEPAY_TEST_STRICT=1 and ${reason}`);
  console.warn(`NOTICE: skipping browser tests: ${reason}`);
  return { skip: reason };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export const patient = {
  operatorId: '001',
  termNo: 'T01',
  operatorName: '张三',
  cardType: '03',
  cardNo: 'D12345678',
  accountType: '01',
  hisCustId: 'H0001',
  userName: '蔡少辉',
  idNo: '350288888888888888',
};
export const opening = { userSex: '1', cardZone: '350200', idType: '01', mobilePhone: '13011111111' };

/**
 * A payclient that does not open a browser: the desk URL it would open is
 * handed to the test, which drives chromium there instead.
 */
export function deskClient(t: TestPlatform, timeoutMs = 60_000) {
  let next: ((url: string) => void) | undefined;
  const client = new PayClient({
    serveraddr: `${t.running.url}/onepay-web/oneweb/oneapi`,
    appid: t.appid,
    appsecret: t.secret,
    desk: { mode: 'none', timeoutMs, show: (url) => next?.(url) },
  });
  /** Starts a call and resolves once the desk URL is known, with the call's final answer still pending. */
  function atDesk(
    call: (c: PayClient) => Promise<Answer>,
  ): Promise<{ url: string; answer: Promise<Answer> }> {
    return new Promise((resolve, reject) => {
      let answer: Promise<Answer> | undefined;
      next = (url) => {
        next = undefined;
        resolve({ url, answer: answer as Promise<Answer> });
      };
      answer = call(client);
      answer.then((a) => next && reject(new Error(`no desk was opened: ${a.respCode} ${a.respMsg}`)), reject);
    });
  }
  return { client, atDesk };
}

export function rechargeParam(outChargeNo: string, amount: string, more: Param = {}): Param {
  return {
    ...patient,
    amount,
    outChargeNo,
    subject: '门诊预交金',
    extra: { ...opening, deskflak: '0', hopname: '厦门市第一医院' },
    ...more,
  };
}

export function p(answer: Answer): Record<string, unknown> {
  return (answer['param'] ?? {}) as Record<string, unknown>;
}
