import { GATEWAY_DRIVERS } from '../channels/drivers.js';
import type { GatewayCredentials } from '../channels/live/credentials.js';
import type { Gateway, GatewayDriver } from '../channels/live/gateways.js';
import type { App } from './registry.js';

/** What the console and the audit trail put in place of a secret: that it is set, never what it is. */
export const SECRET_SET = '已设置';

export function driverOf(gateway: Gateway): GatewayDriver {
  const driver = GATEWAY_DRIVERS.find((d) => d.gateway === gateway);
  if (!driver) throw new Error(`this build has no ${gateway} adapter`);
  return driver;
}

/**
 * Gives a live app a gateway's merchant credentials (by `onepay app channel
 * set` or the console): checked by the gateway's driver first, so a malformed
 * key is refused now and not at the first payment; then sealed at rest.
 * A sandbox app's channels are simulated and take none.
 */
export async function setGatewayCredentials(
  credentials: GatewayCredentials,
  app: Pick<App, 'appid' | 'mode'>,
  gateway: Gateway,
  settings: Readonly<Record<string, string>>,
): Promise<void> {
  if (app.mode !== 'live') throw new Error(`${app.appid} is a sandbox app: its channels are simulated`);
  driverOf(gateway).parseConfig(settings);
  await credentials.set(app.appid, gateway, settings);
}

/**
 * The settings with every secret field, and every key or certificate in PEM,
 * replaced by "已设置": what may be shown or audited.
 */
export function maskedCredentials(
  gateway: Gateway,
  settings: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  if (!settings) return undefined;
  const secret = new Set(driverOf(gateway).secretFields);
  return Object.fromEntries(
    Object.entries(settings).map(([name, value]) => [
      name,
      value && (secret.has(name) || value.includes('-----BEGIN')) ? SECRET_SET : value,
    ]),
  );
}
