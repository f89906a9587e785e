import type { Browser, Page } from 'playwright-core';
import { consoleDb } from '../../src/platform/console/tables.js';
import { addUser } from '../../src/platform/console/users.js';
import type { TestPlatform } from '../../src/testing/platform.js';

/** One console user a role, named `<role>1`, with these passwords. */
export const PASSWORDS = {
  cashier: 'cashier-pass-1',
  finance: 'finance-pass-1',
  admin: 'admin-pass-01',
} as const;
export type Role = keyof typeof PASSWORDS;

/** Adds the users of PASSWORDS, as `onepay console add-user` would. */
export async function addConsoleUsers(t: TestPlatform): Promise<void> {
  const db = consoleDb(t.running.platform.store.db);
  for (const role of Object.keys(PASSWORDS) as Role[])
    await addUser(db, {
      username: `${role}1`,
      role,
      password: PASSWORDS[role],
      actor: 'cli',
      peer: 'cli',
      now: Date.now(),
    });
}

/** A fresh browser context at 1280×800, logged in to the console as `<role>1` from the log-in page. */
export async function loggedIn(chrome: Browser, baseUrl: string, role: Role): Promise<Page> {
  const context = await chrome.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/console/login`);
  await page.fill('input[name=username]', `${role}1`);
  await page.fill('input[name=password]', PASSWORDS[role]);
  await Promise.all([page.waitForURL(/\/console$/), page.click('button[type=submit]')]);
  return page;
}
