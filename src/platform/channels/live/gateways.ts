import { type ChannelKind, traitsOf, type Wallet } from '../../../protocol/channels.js';
import type { Logger } from '../../log/logger.js';
import type { ChannelAdapter } from '../types.js';

/** The payment gateways a live app holds a merchant account with. */
export const GATEWAYS = ['alipay', 'wechat', 'unionpay'] as const;
export type Gateway = (typeof GATEWAYS)[number];

export function isGateway(value: unknown): value is Gateway {
  return typeof value === 'string' && (GATEWAYS as readonly string[]).includes(value);
}

const GATEWAY_OF_WALLET: Readonly<Record<Wallet, Gateway>> = { ALI: 'alipay', WX: 'wechat', UP: 'unionpay' };

/** The gateway of a wallet's merchant account. */
export function gatewayOfWallet(wallet: Wallet): Gateway {
  return GATEWAY_OF_WALLET[wallet];
}

/**
 * The gateway that serves a channel code for a live app: the wallet's own,
 * for the channels of one wallet. The one-QR/one-barcode codes and the banks'
 * QR codes name no single gateway: undefined (they need a router or a bank's
 * adapter).
 */
export function gatewayOf(code: string): Gateway | undefined {
  const traits = traitsOf(code);
  if (traits?.wallets.length !== 1) return undefined;
  const [wallet] = traits.wallets;
  return wallet ? GATEWAY_OF_WALLET[wallet] : undefined;
}

/** What the platform's own record says of one of the app's orders (a payment or a refund). */
export interface OrderFacts {
  readonly amountFen: number;
  /** The channel code the order was made with (ALI_QR, ONE_BAR…). */
  readonly channel: string;
  /** When an unpaid payment expires (ms); absent for refunds. */
  readonly expireAt?: number;
  /** For a refund: the payment it gives back. */
  readonly origTraceNo?: string;
}

/** What an adapter of a live gateway gets from the platform besides its app's credentials. */
export interface GatewayDeps {
  readonly appid: string;
  readonly clock: () => number;
  readonly log: Logger;
  /** Where this app's notifications from the gateway must be sent (the platform's public URL). */
  readonly noticeUrl: string;
  /**
   * The platform's record of one of this app's orders, by trace number: a
   * gateway whose notifications must be checked against the order (amount)
   * or whose refund query needs the payment's number reads it here. Absent
   * where an adapter is built alone (tests); such an adapter refuses what it
   * cannot check.
   */
  readonly orderOf?: (traceNo: string) => Promise<OrderFacts | undefined>;
}

/**
 * One payment gateway's protocol: how its merchant credentials are read and
 * checked, and the adapter that speaks it for one app.
 */
export interface GatewayDriver<Config = unknown> {
  readonly gateway: Gateway;
  /** The kinds of channel it serves (a gateway without barcodes leaves 'barcode' out). */
  readonly kinds: readonly ChannelKind[];
  /**
   * Reads the credentials as `app channel set` gives them (keys, ids, URLs);
   * throws an Error with a clear message when one is missing or malformed, so
   * a bad key is refused when it is set, not at the first payment.
   */
  parseConfig(input: Readonly<Record<string, string>>): Config;
  /** The names of the config fields that are secrets: never shown, never logged. */
  readonly secretFields: readonly string[];
  create(config: Config, deps: GatewayDeps): ChannelAdapter;
}
