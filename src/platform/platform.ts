import { BARCODE_POLL_INTERVAL_MS, BARCODE_POLL_MAX } from '../protocol/timeouts.js';
import { AppRegistry } from './apps/registry.js';
import { SecretBox } from './apps/secret-box.js';
import { GATEWAY_DRIVERS } from './channels/drivers.js';
import { GatewayCredentials, LiveGateways, landingKey } from './channels/live/index.js';
import type { ChannelRegistry } from './channels/registry.js';
import type { ChannelAdapter } from './channels/types.js';
import { HttpDepositProvider } from './his/http-provider.js';
import { type ProviderFactory, providerFor } from './his/provider.js';
import type { DepositProvider } from './his/types.js';
import { createLogger, type Logger } from './log/logger.js';
import { TimedChannelRegistry, timedProvider } from './metrics/timed.js';
import { PatientData } from './privacy/patient-data.js';
import type { Store } from './store/index.js';

interface PlatformOptions {
  readonly store: Store;
  readonly masterKey: Buffer;
  readonly log?: Logger;
  /** Replay window of the envelope, seconds (±). */
  readonly windowSeconds?: number;
  /** Milliseconds clock; tests move time with it. */
  readonly clock?: () => number;
  readonly settings?: Partial<PlatformSettings>;
  /** Builds the client of an external HIS from an app's config (tests inject fakes). */
  readonly providerFactory?: ProviderFactory;
  /** Base URL patients' phones and the cashier desk reach the platform at (QR codes point here). */
  readonly publicUrl?: string;
}

/** Bounds of the money flows; every wait and retry has one. */
export interface PlatformSettings {
  /** Minutes an unpaid order lives before it expires (per app: config.orderTtlMinutes). */
  readonly orderTtlMinutes: number;
  /** A barcode payment still "paying" is polled this often… */
  readonly barcodePollIntervalMs: number;
  /** …this many times, then cancelled. */
  readonly barcodePollMax: number;
  /** How long a duplicate request waits for the first one's answer. */
  readonly duplicateWaitMs: number;
  /** Refunds of one order closer together than this get 044003 (0 turns the limit off). */
  readonly refundMinIntervalMs: number;
  /** The recovery sweep leaves rows alone until they are this old: a live call is never raced. */
  readonly sweepGraceMs: number;
  /** How often the recovery sweep runs. */
  readonly sweepIntervalMs: number;
}

const DEFAULT_SETTINGS: PlatformSettings = {
  orderTtlMinutes: 15,
  barcodePollIntervalMs: BARCODE_POLL_INTERVAL_MS,
  barcodePollMax: BARCODE_POLL_MAX,
  duplicateWaitMs: 5_000,
  refundMinIntervalMs: 1_000,
  sweepGraceMs: 30_000,
  sweepIntervalMs: 10_000,
};

/** The services one platform process holds; handlers reach everything through it. */
export class Platform {
  readonly store: Store;
  readonly apps: AppRegistry;
  /** Seals settings' secrets at rest with the master key. */
  readonly secrets: SecretBox;
  /** Seals patients' ID and phone numbers at rest and hashes them for look-ups. */
  readonly patientData: PatientData;
  readonly log: Logger;
  readonly windowSeconds: number;
  readonly clock: () => number;
  readonly settings: PlatformSettings;
  /** Timed: each call to a channel is the `channel` stage of /metrics. */
  readonly channels: ChannelRegistry = new TimedChannelRegistry();
  /** Live apps' merchant credentials per gateway, and the adapters built from them. */
  readonly credentials: GatewayCredentials;
  readonly gateways: LiveGateways;
  publicUrl: string;
  private readonly providerFactory: ProviderFactory;

  constructor(options: PlatformOptions) {
    this.store = options.store;
    this.apps = new AppRegistry(options.store, options.masterKey);
    this.secrets = new SecretBox(options.masterKey);
    this.patientData = new PatientData(options.masterKey);
    this.log = options.log ?? createLogger();
    this.windowSeconds = options.windowSeconds ?? 300;
    this.clock = options.clock ?? Date.now;
    this.settings = { ...DEFAULT_SETTINGS, ...options.settings };
    const makeProvider: ProviderFactory =
      options.providerFactory ??
      ((config) =>
        new HttpDepositProvider({
          baseUrl: config.baseUrl,
          key: config.key,
          ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
          ...(config.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
        }));
    // Timed: each call to an external HIS is the `his` stage of /metrics.
    this.providerFactory = (config) => timedProvider(makeProvider(config));
    this.publicUrl = options.publicUrl ?? 'http://127.0.0.1:1301';
    this.credentials = new GatewayCredentials(options.store, this.secrets, this.clock);
    this.gateways = new LiveGateways(this.credentials, {
      clock: this.clock,
      log: this.log,
      publicUrl: () => this.publicUrl,
      landingKey: landingKey(options.masterKey),
    });
    for (const driver of GATEWAY_DRIVERS) this.gateways.addDriver(driver);
    this.channels.addLiveSource((app, code) => this.gateways.forCode(app, code));
  }

  /** The adapter serving an app's channel code (orders name their app by appid). */
  async channelFor(appid: string, code: string): Promise<ChannelAdapter> {
    const app = await this.apps.find(appid);
    if (!app) throw new Error(`unknown app ${appid}`);
    return this.channels.adapterFor(app, code);
  }

  /** The external HIS holding an app's deposits, or undefined when the platform's ledger does. */
  async providerOfApp(appid: string): Promise<DepositProvider | undefined> {
    const app = await this.apps.find(appid);
    if (!app?.config.depositProvider) return undefined;
    return providerFor(app, this.providerFactory);
  }
}
