import { createHmac, timingSafeEqual } from 'node:crypto';
import type { App } from '../../platform/apps/registry.js';
import type { Platform } from '../../platform/platform.js';

/**
 * Terminal numbers are short and guessable (T01, 收费3号窗…), so the screen
 * URL carries a key: HMAC of (appid, termNo) under the app's secret. Only
 * someone who saw a desk of that terminal (where the link is shown) or who
 * holds the secret can open the screen; rotating the secret revokes them all.
 * Nothing is stored, so any number of terminals costs nothing.
 */
function screenKey(app: App, termNo: string): string {
  return createHmac('sha256', app.secret)
    .update(`onepay-screen\u0000${app.appid}\u0000${termNo}`)
    .digest('base64url')
    .slice(0, 22);
}

export function screenPath(app: App, termNo: string): string {
  const query = new URLSearchParams({ app: app.appid, k: screenKey(app, termNo) });
  return `/screen/${encodeURIComponent(termNo)}?${query.toString()}`;
}

/** The app whose key this is, or undefined: an unknown app and a wrong key look the same. */
export async function screenApp(
  platform: Platform,
  appid: string,
  termNo: string,
  key: string,
): Promise<App | undefined> {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(appid) || termNo.length === 0 || termNo.length > 50) return undefined;
  const app = await platform.apps.find(appid);
  if (!app) return undefined;
  const expected = Buffer.from(screenKey(app, termNo));
  const given = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected) ? app : undefined;
}
