import { isLoopback } from '../platform/loopback.js';
import type { Platform } from '../platform/platform.js';

/** The secret the README's quick start prints: anyone who has read the README knows it. */
export const DOCUMENTED_DEV_SECRET = 'demo-secret-change-me';

/**
 * Development apps: sandbox apps with fixed credentials, for one developer's
 * machine. Refused when the platform listens beyond loopback; registered (and
 * enabled) when named, and disabled again by a start that does not name them,
 * so a `--dev-app` given once does not live on.
 */
export async function registerDevApps(
  platform: Platform,
  host: string,
  pairs: readonly string[],
): Promise<void> {
  if (pairs.length > 0 && !isLoopback(host)) {
    throw new Error(`--dev-app is for development on this machine only: refused with --host ${host}`);
  }
  const named = new Set<string>();
  for (const pair of pairs) {
    const colon = pair.indexOf(':');
    if (colon <= 0) throw new Error('--dev-app takes APPID:SECRET');
    const appid = pair.slice(0, colon);
    await platform.apps.ensure({
      name: '开发测试医院',
      appid,
      secret: pair.slice(colon + 1),
      // A development app only ever takes simulated money.
      mode: 'sandbox',
      config: { devApp: true },
    });
    await platform.apps.update(appid, { devApp: true, disabled: false });
    named.add(appid);
  }
  for (const { appid } of await platform.apps.list()) {
    if (named.has(appid)) continue;
    const app = await platform.apps.find(appid);
    if (app?.config.devApp && !app.config.disabled) {
      await platform.apps.update(appid, { disabled: true });
      platform.log.warn({ appid }, 'development app disabled: this start did not name it with --dev-app');
    }
  }
}

/** Beyond loopback, no enabled app may hold the documented secret: refuse to start, naming them. */
export async function refuseDocumentedSecrets(platform: Platform, host: string): Promise<void> {
  if (isLoopback(host)) return;
  const exposed: string[] = [];
  for (const { appid } of await platform.apps.list()) {
    const app = await platform.apps.find(appid);
    if (app && !app.config.disabled && app.secret === DOCUMENTED_DEV_SECRET) exposed.push(appid);
  }
  if (exposed.length > 0) {
    throw new Error(
      `apps ${exposed.join(', ')} use the documented secret: rotate it (onepay app rotate-secret) or disable them before serving on ${host}`,
    );
  }
}
