import type { App } from '../apps/registry.js';
import { allowsInsecureHttp } from '../apps/url-policy.js';
import type { DepositProvider, ExternalHisConfig } from './types.js';

export type ProviderFactory = (config: ExternalHisConfig) => DepositProvider;

const cache = new WeakMap<App, DepositProvider>();

export function providerFor(app: App, make: ProviderFactory): DepositProvider | undefined {
  const config = app.config.depositProvider;
  if (!config) return undefined;
  let provider = cache.get(app);
  if (!provider) {
    // The app's one plain-http switch governs its HIS link too (apps/url-policy.ts).
    provider = make({ ...config, allowInsecureHttp: allowsInsecureHttp(app.config) });
    cache.set(app, provider);
  }
  return provider;
}

/** The ledger account of money the platform has passed to (or owes) an external HIS. */
export function hisLedgerAccount(appid: string): string {
  return `his:${appid}`;
}
