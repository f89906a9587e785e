import type { App } from '../apps/registry.js';
import type { DepositProvider, ExternalHisConfig } from './types.js';

export type ProviderFactory = (config: ExternalHisConfig) => DepositProvider;

const cache = new WeakMap<App, DepositProvider>();

export function providerFor(app: App, make: ProviderFactory): DepositProvider | undefined {
  const config = app.config.depositProvider;
  if (!config) return undefined;
  let provider = cache.get(app);
  if (!provider) {
    provider = make(config);
    cache.set(app, provider);
  }
  return provider;
}

/** The ledger account of money the platform has passed to (or owes) an external HIS. */
export function hisLedgerAccount(appid: string): string {
  return `his:${appid}`;
}
