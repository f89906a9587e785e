import { randomBytes } from 'node:crypto';
import { CHANNEL } from '../../protocol/dictionaries.js';
import { deriveKeys, type Suite, type SuiteKeys } from '../../protocol/envelope/index.js';
import type { ExternalHisConfig } from '../his/types.js';
import type { Store } from '../store/index.js';
import { checkChannels } from './channels.js';
import { openSecret, sealSecret } from './master-key.js';

export interface AppConfig {
  /** Absent: the platform's own ledger holds the deposits. */
  readonly depositProvider?: ExternalHisConfig;
  /** HIS-side channel code reported as extra.paytype, per channel (defaults to the channel itself). */
  readonly paytype?: Readonly<Record<string, string>>;
  /** Minutes an unpaid order lives before it expires and its channel side is closed. */
  readonly orderTtlMinutes?: number;
  /** Fields a transType's table does not list are refused (020000) instead of ignored: for integration testing. */
  readonly strictParams?: boolean;
  /** Plain http allowed to this app's HIS, webhook, WeChat and notifyUrl off this host (apps/url-policy.ts). */
  readonly allowInsecureHttp?: boolean;
  /** A disabled app's calls are refused (010004) until it is enabled again. */
  readonly disabled?: boolean;
  /** Registered by `serve --dev-app`: disabled again by a start without that flag. */
  readonly devApp?: boolean;
  /** After `app rotate-secret`: the old secret, sealed, still accepted until `previousSecretUntil` (ms). */
  readonly previousSecretSealed?: string;
  readonly previousSecretUntil?: number;
}

/**
 * Like test and live keys: a sandbox app's channels are simulated (test money,
 * the sandbox wallet pays); a live app's money moves only through adapters
 * configured for it.
 */
export type AppMode = 'sandbox' | 'live';

/** Anything but the two modes is read as live: the safe side. */
function readMode(stored: string): AppMode {
  return stored === 'sandbox' ? 'sandbox' : 'live';
}

export interface App {
  readonly appid: string;
  readonly name: string;
  readonly mode: AppMode;
  readonly channels: ReadonlySet<string>;
  readonly config: AppConfig;
  /** The shared secret, in memory only; envelope keys are derived from it. */
  readonly secret: string;
  /** The secret before the last rotation, while its grace period lasts. */
  readonly previousSecret?: { readonly secret: string; readonly until: number };
}

interface NewApp {
  readonly name: string;
  /** Live unless asked: a hospital never takes simulated money by default. */
  readonly mode?: AppMode;
  readonly channels?: readonly string[];
  readonly config?: AppConfig;
  /** Fixed credentials, for --dev-app; otherwise generated. */
  readonly appid?: string;
  readonly secret?: string;
}

const MAX_CACHED_APPS = 10_000;
/** Another process's change (disable, rotate, configure) is seen within this long. */
const APP_FRESH_MS = 5_000;

/** Apps (hospitals, kiosks…) that may call the platform, with their secrets sealed at rest. */
export class AppRegistry {
  private readonly cache = new Map<string, { app: App; at: number }>();
  /**
   * The read of an app in flight: every request that finds the app's entry
   * stale at the same moment waits for the same one. Without it, each of the
   * requests in flight when the entry aged out read the app again (with its
   * secret and config unsealed), every APP_FRESH_MS: up to a connection each.
   */
  private readonly loading = new Map<string, Promise<App | undefined>>();
  /** Moves on each change this process makes, so a read begun before the change is not cached after it. */
  private changes = 0;
  private readonly derived = new WeakMap<App, Map<string, SuiteKeys>>();

  constructor(
    private readonly store: Store,
    private readonly masterKey: Buffer,
  ) {}

  async create(input: NewApp): Promise<{ appid: string; appsecret: string }> {
    const appid = input.appid ?? `op${randomBytes(8).toString('hex')}`;
    const appsecret = input.secret ?? randomBytes(32).toString('base64url');
    const channels = checkChannels(input.channels ?? Object.keys(CHANNEL));
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(appid)) throw new Error('appid must be 1-64 letters, digits, _ . -');
    if (appsecret.length < 16 || appsecret.length > 256)
      throw new Error('appsecret must be 16-256 characters');
    await this.store.db
      .insertInto('apps')
      .values({
        appid,
        name: input.name,
        secret_sealed: sealSecret(this.masterKey, appsecret, appid),
        channels: JSON.stringify(channels),
        config: this.sealConfig(appid, input.config ?? {}),
        mode: input.mode ?? 'live',
        created_at: Date.now(),
      })
      .execute();
    this.forget(appid);
    return { appid, appsecret };
  }

  /** Registers fixed credentials unless the app exists already with the same secret. */
  async ensure(input: NewApp & { appid: string; secret: string }): Promise<void> {
    const existing = await this.find(input.appid);
    if (existing) {
      if (existing.secret !== input.secret) throw new Error(`app ${input.appid} exists with another secret`);
      if (existing.mode !== (input.mode ?? 'live')) {
        throw new Error(`app ${input.appid} exists as a ${existing.mode} app`);
      }
      return;
    }
    try {
      await this.create(input);
    } catch (error) {
      // Another process registered it at the same moment: fine if it is the same secret.
      const again = await this.find(input.appid);
      if (again?.secret !== input.secret) throw error;
    }
  }

  async find(appid: string): Promise<App | undefined> {
    const hit = this.cache.get(appid);
    if (hit && Date.now() - hit.at < APP_FRESH_MS) return hit.app;
    let load = this.loading.get(appid);
    if (!load) {
      const started = this.load(appid).finally(() => {
        if (this.loading.get(appid) === started) this.loading.delete(appid);
      });
      this.loading.set(appid, started);
      load = started;
    }
    return load;
  }

  /** Forgets what this process knows of an app after changing it: the next find reads it anew. */
  private forget(appid: string): void {
    this.changes++;
    this.cache.delete(appid);
    this.loading.delete(appid);
  }

  private async load(appid: string): Promise<App | undefined> {
    const changesBefore = this.changes;
    const row = await this.store.db
      .selectFrom('apps')
      .selectAll()
      .where('appid', '=', appid)
      .executeTakeFirst();
    if (!row) return undefined;
    const config = this.openConfig(row.appid, row.config);
    const app: App = {
      appid: row.appid,
      name: row.name,
      mode: readMode(row.mode),
      channels: new Set(JSON.parse(row.channels) as string[]),
      config,
      secret: openSecret(this.masterKey, row.secret_sealed, row.appid),
      ...(config.previousSecretSealed && config.previousSecretUntil
        ? {
            previousSecret: {
              secret: openSecret(this.masterKey, config.previousSecretSealed, `${row.appid}/previous`),
              until: config.previousSecretUntil,
            },
          }
        : {}),
    };
    // Read before a change this process made meanwhile: right for the callers who asked before it,
    // not to be kept.
    if (changesBefore !== this.changes) return app;
    this.cache.delete(appid);
    if (this.cache.size >= MAX_CACHED_APPS) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(appid, { app, at: Date.now() });
    return app;
  }

  /** Replaces an app's settings (channels stay); other processes see it when their cache misses. */
  async configure(appid: string, config: AppConfig): Promise<void> {
    await this.store.db
      .updateTable('apps')
      .set({ config: this.sealConfig(appid, config) })
      .where('appid', '=', appid)
      .execute();
    this.forget(appid);
  }

  /** Which channel codes an app takes from now on (a call on another is refused); other processes see it when their cache misses. */
  async setChannels(appid: string, channels: readonly string[]): Promise<void> {
    const checked = checkChannels(channels);
    await this.store.db
      .updateTable('apps')
      .set({ channels: JSON.stringify(checked) })
      .where('appid', '=', appid)
      .execute();
    this.forget(appid);
  }

  /**
   * An app's config as stored: the external HIS's shared key sealed with the
   * master key (bound to the app), like the app secret, so a copied database
   * file does not hand out the key that makes the HIS believe a request.
   */
  private sealConfig(appid: string, config: AppConfig): string {
    const his = config.depositProvider;
    if (!his) return JSON.stringify(config);
    const { key, ...rest } = his;
    return JSON.stringify({
      ...config,
      depositProvider: { ...rest, keySealed: sealSecret(this.masterKey, key, `${appid}/his`) },
    });
  }

  private openConfig(appid: string, stored: string): AppConfig {
    const config = JSON.parse(stored) as AppConfig & { depositProvider?: { keySealed?: string } };
    const his = config.depositProvider;
    // A row written before keys were sealed holds `key` itself; sealPlainKeys() rewrites those.
    if (!his?.keySealed) return config;
    const { keySealed, ...rest } = his;
    return {
      ...config,
      depositProvider: { ...rest, key: openSecret(this.masterKey, keySealed, `${appid}/his`) },
    };
  }

  /** Seals the HIS keys of rows stored in clear (before keys were sealed); run at start. Answers how many. */
  async sealPlainKeys(): Promise<number> {
    const rows = await this.store.db.selectFrom('apps').select(['appid', 'config']).execute();
    let sealed = 0;
    for (const row of rows) {
      const config = JSON.parse(row.config) as { depositProvider?: { key?: string } };
      if (config.depositProvider?.key === undefined) continue;
      await this.configure(row.appid, config as AppConfig);
      sealed++;
    }
    return sealed;
  }

  /** Changes some settings of an app, keeping the others. */
  async update(appid: string, patch: Partial<AppConfig>): Promise<AppConfig> {
    const app = await this.find(appid);
    if (!app) throw new Error(`no app ${appid}`);
    const config = { ...app.config, ...patch };
    await this.configure(appid, config);
    return config;
  }

  /**
   * A new secret for an app, shown once. The old one keeps working for
   * `graceMs` (so every workstation can be given the new one), then stops.
   */
  async rotateSecret(appid: string, graceMs: number, now: number): Promise<string> {
    const app = await this.find(appid);
    if (!app) throw new Error(`no app ${appid}`);
    const secret = randomBytes(32).toString('base64url');
    await this.store.db
      .updateTable('apps')
      .set({
        secret_sealed: sealSecret(this.masterKey, secret, appid),
        config: this.sealConfig(appid, {
          ...app.config,
          previousSecretSealed: sealSecret(this.masterKey, app.secret, `${appid}/previous`),
          previousSecretUntil: now + graceMs,
        }),
      })
      .where('appid', '=', appid)
      .execute();
    this.forget(appid);
    return secret;
  }

  /**
   * Envelope keys of an app, derived once per suite (HKDF is far slower than
   * one message); `previous` for the secret before a rotation, while it lasts.
   */
  keysFor(app: App, suite: Suite, which: 'current' | 'previous' = 'current'): SuiteKeys {
    let bySuite = this.derived.get(app);
    if (!bySuite) {
      bySuite = new Map();
      this.derived.set(app, bySuite);
    }
    const slot = `${which}:${suite}`;
    let keys = bySuite.get(slot);
    if (!keys) {
      const secret = which === 'previous' ? app.previousSecret?.secret : app.secret;
      if (secret === undefined) throw new Error(`app ${app.appid} has no previous secret`);
      keys = deriveKeys(secret, suite);
      bySuite.set(slot, keys);
    }
    return keys;
  }

  async list(): Promise<{ appid: string; name: string; mode: AppMode; channels: string[] }[]> {
    const rows = await this.store.db
      .selectFrom('apps')
      .select(['appid', 'name', 'mode', 'channels'])
      .execute();
    return rows.map((r) => ({
      appid: r.appid,
      name: r.name,
      mode: readMode(r.mode),
      channels: JSON.parse(r.channels) as string[],
    }));
  }
}
