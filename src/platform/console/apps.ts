import { maskedCredentials, SECRET_SET, setGatewayCredentials } from '../apps/gateway-settings.js';
import type { AppConfig, AppMode } from '../apps/registry.js';
import { applyAppSettings, withHisLink } from '../apps/settings.js';
import { allowsInsecureHttp } from '../apps/url-policy.js';
import { GATEWAYS, type Gateway } from '../channels/live/gateways.js';
import type { Platform } from '../platform.js';
import { appendAudit } from './audit.js';
import { consoleDb } from './tables.js';

/**
 * Apps and their channels as the console's administrators see and change
 * them. The rules are the CLI's (apps/settings.ts, apps/gateway-settings.ts);
 * this adds what a page needs: nothing secret ever leaves here (an HIS key or
 * a merchant secret shows as "已设置"), a blank secret keeps the stored one,
 * and every change is audited with its before and after, secrets masked.
 */
export interface AppSettingsView {
  readonly orderTtlMinutes?: number;
  readonly strictParams: boolean;
  readonly allowInsecureHttp: boolean;
  readonly disabled: boolean;
  readonly his?: { readonly baseUrl: string; readonly key: typeof SECRET_SET };
}

export interface AppView {
  readonly appid: string;
  readonly name: string;
  readonly mode: AppMode;
  readonly channels: readonly string[];
  readonly settings: AppSettingsView;
  /** Live apps: each configured gateway, when, and its settings with secrets masked. */
  readonly gateways: readonly { gateway: Gateway; updatedAt: number; fields: Record<string, string> }[];
}

/** An app's settings with the HIS key replaced by "已设置": for pages and the audit trail. */
export function settingsView(config: AppConfig): AppSettingsView {
  const his = config.depositProvider;
  return {
    ...(config.orderTtlMinutes !== undefined ? { orderTtlMinutes: config.orderTtlMinutes } : {}),
    strictParams: config.strictParams === true,
    allowInsecureHttp: allowsInsecureHttp(config),
    disabled: config.disabled === true,
    ...(his ? { his: { baseUrl: his.baseUrl, key: SECRET_SET } } : {}),
  };
}

export async function listApps(platform: Platform) {
  const apps = await platform.apps.list();
  return Promise.all(
    apps.map(async (a) => ({
      ...a,
      disabled: (await platform.apps.find(a.appid))?.config.disabled === true,
      gateways: a.mode === 'live' ? await platform.credentials.list(a.appid) : [],
    })),
  );
}

export async function appView(platform: Platform, appid: string): Promise<AppView | undefined> {
  const app = await platform.apps.find(appid);
  if (!app) return undefined;
  const configured = app.mode === 'live' ? await platform.credentials.list(appid) : [];
  const gateways = [];
  for (const { gateway, updatedAt } of configured) {
    if (!(GATEWAYS as readonly string[]).includes(gateway)) continue;
    const g = gateway as Gateway;
    gateways.push({
      gateway: g,
      updatedAt,
      fields: maskedCredentials(g, await platform.credentials.get(appid, g)) ?? {},
    });
  }
  return {
    appid: app.appid,
    name: app.name,
    mode: app.mode,
    channels: [...app.channels],
    settings: settingsView(app.config),
    gateways,
  };
}

export interface Who {
  readonly actor: string;
  readonly peer: string;
  readonly now: number;
}

export type AppOutcome<T = object> =
  | ({ readonly ok: true } & T)
  | { readonly ok: false; readonly message: string };

/** A rule's refusal, said to the operator; anything else is a fault and is thrown on. */
function refused(error: unknown): { ok: false; message: string } {
  if (!(error instanceof Error)) throw error;
  return { ok: false, message: `设置无效: ${error.message}` };
}

// The registry and the credentials write outside a console transaction: the
// change is made first and its audit line written after it, so a line never
// claims a change that was refused.
async function audit(
  platform: Platform,
  who: Who,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
) {
  await appendAudit(consoleDb(platform.store.db), {
    actor: who.actor,
    action,
    target,
    before,
    after,
    peer: who.peer,
    at: who.now,
  });
}

export interface NewAppInput {
  readonly name: string;
  readonly sandbox: boolean;
  readonly channels: readonly string[];
  readonly hisUrl: string;
  readonly hisKey: string;
}

/** A new app; its secret is answered once (only its sealed form is kept) and never written to the trail. */
export async function createApp(
  platform: Platform,
  input: NewAppInput,
  who: Who,
): Promise<AppOutcome<{ appid: string; appsecret: string }>> {
  const name = input.name.trim();
  if (name === '' || name.length > 64) return { ok: false, message: '应用名称须为 1 至 64 个字符' };
  if ((input.hisUrl === '') !== (input.hisKey === ''))
    return { ok: false, message: '外部 HIS 地址与共享密钥须同时填写' };
  let created: { appid: string; appsecret: string };
  try {
    const config = input.hisUrl ? withHisLink({}, input.hisUrl, input.hisKey) : {};
    created = await platform.apps.create({
      name,
      mode: input.sandbox ? 'sandbox' : 'live',
      channels: input.channels,
      config,
    });
    const app = await platform.apps.find(created.appid);
    await audit(platform, who, 'app.create', `app:${created.appid}`, undefined, {
      name,
      mode: input.sandbox ? 'sandbox' : 'live',
      channels: [...(app?.channels ?? [])],
      settings: settingsView(config),
    });
  } catch (error) {
    return refused(error);
  }
  return { ok: true, ...created };
}

export interface SettingsInput {
  /** name=value as `onepay app set` takes them (apps/settings.ts). */
  readonly settings: Readonly<Record<string, string>>;
  readonly disabled: boolean;
  /** Blank keeps the stored link; a URL with a blank key keeps the stored key. */
  readonly hisUrl: string;
  readonly hisKey: string;
}

export async function changeAppSettings(
  platform: Platform,
  appid: string,
  input: SettingsInput,
  who: Who,
): Promise<AppOutcome> {
  const app = await platform.apps.find(appid);
  if (!app) return { ok: false, message: `应用 ${appid} 不存在` };
  try {
    let config: AppConfig = { ...applyAppSettings(app.config, input.settings), disabled: input.disabled };
    if (input.hisUrl !== '') {
      const key = input.hisKey !== '' ? input.hisKey : (app.config.depositProvider?.key ?? '');
      config = withHisLink(config, input.hisUrl, key);
    } else if (input.hisKey !== '') {
      return { ok: false, message: '填写共享密钥时须同时填写外部 HIS 地址' };
    }
    await platform.apps.configure(appid, config);
    await audit(platform, who, 'app.settings', `app:${appid}`, settingsView(app.config), {
      ...settingsView(config),
      ...(input.hisKey !== '' ? { hisKeyChanged: true } : {}),
    });
  } catch (error) {
    return refused(error);
  }
  return { ok: true };
}

export async function changeAppChannels(
  platform: Platform,
  appid: string,
  channels: readonly string[],
  who: Who,
): Promise<AppOutcome> {
  const app = await platform.apps.find(appid);
  if (!app) return { ok: false, message: `应用 ${appid} 不存在` };
  try {
    await platform.apps.setChannels(appid, channels);
  } catch (error) {
    return refused(error);
  }
  const after = await platform.apps.find(appid);
  await audit(platform, who, 'app.channels', `app:${appid}`, [...app.channels], [...(after?.channels ?? [])]);
  return { ok: true };
}

/**
 * A gateway's merchant credentials from a form: a field left blank keeps
 * what is stored (a secret is never sent back to the page to be re-sent),
 * so the driver checks the merged whole. The trail shows which fields
 * changed, secrets as "已设置".
 */
export async function changeGatewayCredentials(
  platform: Platform,
  appid: string,
  gateway: Gateway,
  submitted: Readonly<Record<string, string>>,
  who: Who,
): Promise<AppOutcome> {
  const app = await platform.apps.find(appid);
  if (!app) return { ok: false, message: `应用 ${appid} 不存在` };
  if (app.mode !== 'live') return { ok: false, message: '沙箱应用的渠道为模拟渠道, 无需商户参数' };
  const stored = await platform.credentials.get(appid, gateway);
  const given = Object.fromEntries(Object.entries(submitted).filter(([, v]) => v.trim() !== ''));
  const merged = { ...(stored ?? {}), ...given };
  try {
    await setGatewayCredentials(platform.credentials, app, gateway, merged);
  } catch (error) {
    return refused(error);
  }
  await audit(platform, who, 'app.gateway', `app:${appid}/${gateway}`, maskedCredentials(gateway, stored), {
    ...maskedCredentials(gateway, merged),
    changed: Object.keys(given).sort(),
  });
  return { ok: true };
}
