import type { AppConfig } from './registry.js';
import { allowsInsecureHttp, plainHttpRefusal } from './url-policy.js';

/**
 * The settings a person may change on an app after it was made (by
 * `onepay app set` or the console's 应用与渠道 page): each reads its text,
 * checks it, and gives the new config. One list for both.
 */
export const APP_SETTINGS: Readonly<Record<string, (config: AppConfig, value: string) => AppConfig>> = {
  orderTtlMinutes: (config, value) => {
    const minutes = Number(value);
    if (!/^\d{1,4}$/.test(value) || minutes < 1 || minutes > 1440) {
      throw new Error('orderTtlMinutes: 1 to 1440 minutes');
    }
    return { ...config, orderTtlMinutes: minutes };
  },
  strictParams: (config, value) => {
    if (value !== 'true' && value !== 'false') throw new Error('strictParams: true or false');
    return { ...config, strictParams: value === 'true' };
  },
  // Plain http to the HIS, webhook, WeChat and notifyUrl off this host, allowed on purpose (docs/security.md).
  allowInsecureHttp: (config, value) => {
    if (value !== 'true' && value !== 'false') throw new Error('allowInsecureHttp: true or false');
    const { depositProvider, ...rest } = config;
    // One switch: the HIS link's own flag of earlier versions goes, so `false` means false.
    if (!depositProvider) return { ...rest, allowInsecureHttp: value === 'true' };
    const { allowInsecureHttp: _old, ...his } = depositProvider;
    return { ...rest, depositProvider: his, allowInsecureHttp: value === 'true' };
  },
};

/** Applies name=value settings in order; an unknown name or a bad value throws, naming it. */
export function applyAppSettings(config: AppConfig, settings: Readonly<Record<string, string>>): AppConfig {
  let next = config;
  for (const [name, value] of Object.entries(settings)) {
    const apply = APP_SETTINGS[name];
    if (!apply) throw new Error(`app settings are ${Object.keys(APP_SETTINGS).join(', ')}; not ${name}`);
    next = apply(next, value);
  }
  return next;
}

/**
 * The external HIS an app's deposits live in: its URL (https, or http to
 * this machine, unless the app allows plain http: apps/url-policy.ts) and
 * its shared key. A refusal is said in Chinese, for the operator.
 */
export function withHisLink(config: AppConfig, baseUrl: string, key: string): AppConfig {
  const refused = plainHttpRefusal('外部 HIS', baseUrl, allowsInsecureHttp(config));
  if (refused) throw new Error(refused);
  if (key === '') throw new Error('外部 HIS 须有共享密钥');
  const { depositProvider: old, ...rest } = config;
  return {
    ...rest,
    depositProvider: {
      ...(old ?? {}),
      kind: 'his-http',
      baseUrl,
      key,
    },
  };
}
