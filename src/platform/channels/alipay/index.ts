import type { GatewayDriver } from '../live/gateways.js';
import { AlipayAdapter } from './adapter.js';
import { ALIPAY_SECRET_FIELDS, type AlipayConfig, parseAlipayConfig } from './config.js';
import { checkAlipayOAuth } from './oauth.js';

export { ALIPAY_CHANNELS, AlipayAdapter } from './adapter.js';
export { ALIPAY_GATEWAY_URL, type AlipayConfig, parseAlipayConfig } from './config.js';
export { NOTICE_MAX_AGE_MS } from './notice.js';

/** Alipay open platform v3 (precreate, pay, create, query, close, cancel, refunds, notifications), v2 order strings. */
export const alipayDriver: GatewayDriver<AlipayConfig> = {
  gateway: 'alipay',
  kinds: ['qr', 'barcode'],
  secretFields: ALIPAY_SECRET_FIELDS,
  parseConfig(input) {
    const config = parseAlipayConfig(input);
    checkAlipayOAuth(input);
    return config;
  },
  create: (config, deps) => new AlipayAdapter(config, deps),
};
