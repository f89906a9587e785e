import type { SecretBox } from '../../apps/secret-box.js';
import type { Store } from '../../store/index.js';
import type { Gateway } from './gateways.js';

/** How long a serving process trusts what it read, so `app channel set` elsewhere is seen this soon. */
const FRESH_MS = 10_000;

/**
 * A live app's merchant credentials per gateway, sealed at rest with the
 * master key (bound to the app and gateway, so a sealed row cannot be moved
 * to another). Plain values never leave this module except to the driver.
 */
export class GatewayCredentials {
  private readonly cache = new Map<string, { at: number; config: Record<string, string> | undefined }>();

  constructor(
    /** The store the credentials live in (the live gateways read the app's orders from it too). */
    readonly store: Store,
    private readonly secrets: SecretBox,
    private readonly clock: () => number = Date.now,
  ) {}

  async set(appid: string, gateway: Gateway, config: Readonly<Record<string, string>>): Promise<void> {
    const sealed = this.secrets.seal(JSON.stringify(config), `${appid}/${gateway}`);
    const now = this.clock();
    await this.store.db
      .insertInto('app_gateways')
      .values({ appid, gateway, config_sealed: sealed, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['appid', 'gateway']).doUpdateSet({ config_sealed: sealed, updated_at: now }),
      )
      .execute();
    this.cache.delete(`${appid}/${gateway}`);
  }

  async remove(appid: string, gateway: Gateway): Promise<boolean> {
    const gone = await this.store.db
      .deleteFrom('app_gateways')
      .where('appid', '=', appid)
      .where('gateway', '=', gateway)
      .executeTakeFirst();
    this.cache.delete(`${appid}/${gateway}`);
    return Number(gone.numDeletedRows) > 0;
  }

  /** The gateways configured for an app and when, never a secret. */
  async list(appid: string): Promise<{ gateway: string; updatedAt: number }[]> {
    const rows = await this.store.db
      .selectFrom('app_gateways')
      .select(['gateway', 'updated_at'])
      .where('appid', '=', appid)
      .orderBy('gateway')
      .execute();
    return rows.map((r) => ({ gateway: r.gateway, updatedAt: Number(r.updated_at) }));
  }

  async get(appid: string, gateway: Gateway): Promise<Record<string, string> | undefined> {
    const key = `${appid}/${gateway}`;
    const hit = this.cache.get(key);
    const now = this.clock();
    if (hit && now - hit.at < FRESH_MS) return hit.config;
    const row = await this.store.db
      .selectFrom('app_gateways')
      .select('config_sealed')
      .where('appid', '=', appid)
      .where('gateway', '=', gateway)
      .executeTakeFirst();
    const config = row
      ? (JSON.parse(this.secrets.open(row.config_sealed, key)) as Record<string, string>)
      : undefined;
    this.cache.set(key, { at: now, config });
    return config;
  }
}
