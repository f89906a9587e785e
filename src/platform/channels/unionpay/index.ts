import type { GatewayDriver } from '../live/gateways.js';
import { UnionpayAdapter } from './adapter.js';
import { parseUnionpayConfig, UNIONPAY_SECRET_FIELDS, type UnionpayConfig } from './config.js';

export { UNIONPAY_CHANNELS, UnionpayAdapter } from './adapter.js';
export { parseUnionpayConfig, UNIONPAY_GATEWAY_URL, type UnionpayConfig } from './config.js';

/** UnionPay QuickPass through the acquirer's QR API (acp 5.1.0: 申码, 被扫, query, 消费撤销, refunds, notifications). */
export const unionpayDriver: GatewayDriver<UnionpayConfig> = {
  gateway: 'unionpay',
  kinds: ['qr', 'barcode'],
  secretFields: UNIONPAY_SECRET_FIELDS,
  parseConfig: parseUnionpayConfig,
  create: (config, deps) => new UnionpayAdapter(config, deps),
};
