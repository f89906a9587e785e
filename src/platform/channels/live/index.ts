import type { App } from '../../apps/registry.js';
import type { Logger } from '../../log/logger.js';
import type { ChannelAdapter } from '../types.js';
import type { GatewayCredentials } from './credentials.js';
import { type Gateway, type GatewayDriver, gatewayOf, gatewayOfWallet } from './gateways.js';
import { landingToken, traceNoOfLandingToken } from './landing-token.js';
import { isOneCode, OneCodeRouter } from './one-code.js';
import { orderFacts } from './order-facts.js';

export { GatewayCredentials } from './credentials.js';
export {
  GATEWAYS,
  type Gateway,
  type GatewayDeps,
  type GatewayDriver,
  gatewayOf,
  isGateway,
  type OrderFacts,
} from './gateways.js';
export { isLandingToken, landingKey, traceNoOfLandingToken } from './landing-token.js';
export { LANDING_CODES, type OneCodeRouter } from './one-code.js';

/** The route of gateways' notifications, and the path one app's notifications from one gateway are posted to. */
export const NOTICE_ROUTE = '/channels/:appid/:gateway/notice';

export function noticePath(appid: string, gateway: Gateway): string {
  return NOTICE_ROUTE.replace(':appid', encodeURIComponent(appid)).replace(':gateway', gateway);
}

/**
 * Live apps' own adapters: for each app and gateway, the driver's adapter
 * built from the credentials configured for that app (and built again when
 * they change). No credentials, no adapter: the channel is refused.
 */
export class LiveGateways {
  private readonly drivers = new Map<Gateway, GatewayDriver>();
  private readonly built = new Map<string, { config: string; adapter: ChannelAdapter }>();
  private readonly routers = new Map<string, OneCodeRouter>();

  constructor(
    private readonly credentials: GatewayCredentials,
    private readonly deps: {
      clock: () => number;
      log: Logger;
      publicUrl: () => string;
      /** Keys the one-QR landing's tokens; without it a live ONE_QR needs a single QR wallet. */
      landingKey?: Buffer;
    },
  ) {}

  addDriver(driver: GatewayDriver): void {
    this.drivers.set(driver.gateway, driver);
  }

  driver(gateway: Gateway): GatewayDriver | undefined {
    return this.drivers.get(gateway);
  }

  /** The adapter serving `code` for a live app, when its gateway is configured and serves that kind. */
  async forCode(app: App, code: string): Promise<ChannelAdapter | undefined> {
    if (isOneCode(code)) return this.oneCode(app, code);
    const gateway = gatewayOf(code);
    if (!gateway) return undefined;
    const adapter = await this.forGateway(app, gateway);
    return adapter?.channels.includes(code) ? adapter : undefined;
  }

  /**
   * ONE_BAR once any wallet's barcodes are configured; ONE_QR once any wallet
   * takes QR payments (with several, the QR code is the landing page
   * `<publicUrl>/q/<token>`, where the patient's wallet chooses).
   */
  private async oneCode(app: App, code: 'ONE_BAR' | 'ONE_QR'): Promise<ChannelAdapter | undefined> {
    const router = this.oneCodeRouter(app.appid);
    const serving = await router.serving(code === 'ONE_BAR' ? 'barcode' : 'qr');
    const routable = code === 'ONE_BAR' || serving.length === 1 || this.deps.landingKey !== undefined;
    return serving.length > 0 && routable ? router : undefined;
  }

  /** The order a one-QR landing token names, when the token is genuine. */
  landingTraceNo(token: string): string | undefined {
    return this.deps.landingKey && traceNoOfLandingToken(this.deps.landingKey, token);
  }

  /** The one router of an app's ONE_BAR/ONE_QR orders (it remembers which wallet took each). */
  oneCodeRouter(appid: string): OneCodeRouter {
    let router = this.routers.get(appid);
    if (!router) {
      const owner = { appid };
      const key = this.deps.landingKey;
      router = new OneCodeRouter(
        (wallet) => this.forGateway(owner, gatewayOfWallet(wallet)),
        key && ((traceNo) => `${this.deps.publicUrl().replace(/\/+$/, '')}/q/${landingToken(key, traceNo)}`),
      );
      this.routers.set(appid, router);
    }
    return router;
  }

  async forGateway(app: Pick<App, 'appid'>, gateway: Gateway): Promise<ChannelAdapter | undefined> {
    const driver = this.drivers.get(gateway);
    if (!driver) return undefined;
    const config = await this.credentials.get(app.appid, gateway);
    if (!config) return undefined;
    const key = `${app.appid}/${gateway}`;
    const stamp = JSON.stringify(config);
    const hit = this.built.get(key);
    if (hit?.config === stamp) return hit.adapter;
    const adapter = driver.create(driver.parseConfig(config), {
      appid: app.appid,
      clock: this.deps.clock,
      log: this.deps.log,
      noticeUrl: `${this.deps.publicUrl()}${noticePath(app.appid, gateway)}`,
      orderOf: (traceNo) => orderFacts(this.credentials.store, app.appid, traceNo),
    });
    this.built.set(key, { config: stamp, adapter });
    return adapter;
  }
}
