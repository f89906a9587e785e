import type { Kysely } from 'kysely';
import type { SecretBox } from '../apps/secret-box.js';
import { plainHttpRefusal } from '../apps/url-policy.js';
import type { Schema } from '../store/index.js';

/** Where a hospital's patient messages go. The message centre is the platform's own H5 pages. */
export type NotifyChannel = 'centre' | 'webhook' | 'wechat';

/** Template names of the WeChat sender; `refund` serves hop.mmpay.push.drug with drugState=cancel. */
const TEMPLATE_NAMES = [
  'overpay',
  'bill',
  'outDepart',
  'outHosp',
  'common',
  'mmpay',
  'drug',
  'refund',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface WebhookConfig {
  readonly url: string;
  /** HMAC-SHA256 key; the receiver holds the same one. */
  readonly secret: string;
}

export interface WechatConfig {
  /** https://api.weixin.qq.com in production; a local mock in tests. */
  readonly baseUrl: string;
  readonly appId: string;
  readonly appSecret: string;
  readonly templates: Readonly<Partial<Record<TemplateName, string>>>;
}

interface NotifyConfig {
  readonly centre: boolean;
  readonly webhook?: WebhookConfig;
  readonly wechat?: WechatConfig;
}

/** A hospital that configured nothing still has its patients' messages in the message centre. */
const DEFAULT_NOTIFY_CONFIG: NotifyConfig = { centre: true };

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 1024) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function nonEmpty(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

/** Checks an operator's input; throws with the first problem so a bad config is never stored. */
function parseNotifyConfig(input: unknown): NotifyConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new Error('config must be an object');
  }
  const o = input as Record<string, unknown>;
  const out: { centre: boolean; webhook?: WebhookConfig; wechat?: WechatConfig } = {
    centre: o['centre'] !== false,
  };
  if (o['webhook'] !== undefined && o['webhook'] !== null) {
    const w = o['webhook'] as Record<string, unknown>;
    if (!isHttpUrl(w['url'])) throw new Error('webhook.url must be an http(s) URL');
    if (!nonEmpty(w['secret'], 256) || w['secret'].length < 16) {
      throw new Error('webhook.secret must be 16-256 characters');
    }
    out.webhook = { url: w['url'], secret: w['secret'] };
  }
  if (o['wechat'] !== undefined && o['wechat'] !== null) {
    const w = o['wechat'] as Record<string, unknown>;
    if (!isHttpUrl(w['baseUrl'])) throw new Error('wechat.baseUrl must be an http(s) URL');
    if (!nonEmpty(w['appId'], 64) || !nonEmpty(w['appSecret'], 128)) {
      throw new Error('wechat.appId and wechat.appSecret are required');
    }
    const t = (w['templates'] ?? {}) as Record<string, unknown>;
    const templates: Partial<Record<TemplateName, string>> = {};
    for (const name of TEMPLATE_NAMES) {
      if (nonEmpty(t[name], 128)) templates[name] = t[name];
    }
    out.wechat = {
      baseUrl: w['baseUrl'].replace(/\/+$/, ''),
      appId: w['appId'],
      appSecret: w['appSecret'],
      templates,
    };
  }
  return out;
}

export function channelsOf(config: NotifyConfig): NotifyChannel[] {
  const out: NotifyChannel[] = [];
  if (config.centre) out.push('centre');
  if (config.webhook) out.push('webhook');
  if (config.wechat) out.push('wechat');
  return out;
}

/** Where notify settings are kept, and what seals them: they hold the webhook and WeChat secrets. */
interface NotifyStore {
  readonly store: { readonly db: Kysely<Schema> };
  readonly secrets: SecretBox;
}

const boundTo = (appid: string) => `${appid}/notify`;

/** The settings as stored, sealed; a row from before sealing is still JSON text and is read as it is. */
function readStored(where: NotifyStore, appid: string, stored: string): NotifyConfig {
  const text = stored.startsWith('{') ? stored : where.secrets.open(stored, boundTo(appid));
  return parseNotifyConfig(JSON.parse(text));
}

export async function loadNotifyConfig(where: NotifyStore, appid: string): Promise<NotifyConfig> {
  const row = await where.store.db
    .selectFrom('notify_settings')
    .select('config')
    .where('appid', '=', appid)
    .executeTakeFirst();
  return row ? readStored(where, appid, row.config) : DEFAULT_NOTIFY_CONFIG;
}

/**
 * An operator's new settings: checked (the webhook and WeChat addresses by the
 * app's plain-http rule, apps/url-policy.ts), then stored sealed. Throws with
 * the first problem, so a bad config is never stored.
 */
export async function saveNotifyConfig(
  where: NotifyStore,
  appid: string,
  input: unknown,
  now: number,
  allowInsecureHttp: boolean,
): Promise<NotifyConfig> {
  const config = parseNotifyConfig(input);
  const refused = notifyUrlRefusal(config, allowInsecureHttp);
  if (refused) throw new Error(refused);
  return storeNotifyConfig(where, appid, config, now);
}

/** Why the platform may not send to a config's addresses, or undefined (checked again at each delivery). */
export function notifyUrlRefusal(config: NotifyConfig, allowInsecureHttp: boolean): string | undefined {
  return (
    (config.webhook && plainHttpRefusal('webhook.url', config.webhook.url, allowInsecureHttp)) ||
    (config.wechat && plainHttpRefusal('wechat.baseUrl', config.wechat.baseUrl, allowInsecureHttp)) ||
    undefined
  );
}

async function storeNotifyConfig(
  where: NotifyStore,
  appid: string,
  config: NotifyConfig,
  now: number,
): Promise<NotifyConfig> {
  const sealed = where.secrets.seal(JSON.stringify(config), boundTo(appid));
  await where.store.db
    .insertInto('notify_settings')
    .values({ appid, config: sealed, updated_at: now })
    .onConflict((oc) => oc.column('appid').doUpdateSet({ config: sealed, updated_at: now }))
    .execute();
  return config;
}

/** Seals the settings stored in clear before sealing existed; run at start. Answers how many. */
export async function sealPlainNotifyConfigs(where: NotifyStore, now: number): Promise<number> {
  const rows = await where.store.db.selectFrom('notify_settings').select(['appid', 'config']).execute();
  const plain = rows.filter((row) => row.config.startsWith('{'));
  // Stored as it was: a setting the address rule now refuses is refused at delivery, not here,
  // where it would stop the platform from starting.
  for (const row of plain) {
    await storeNotifyConfig(where, row.appid, parseNotifyConfig(JSON.parse(row.config)), now);
  }
  return plain.length;
}
