import type { GatewayDriver } from '../live/gateways.js';
import { WechatAdapter } from './adapter.js';
import { parseWechatConfig, WECHAT_SECRET_FIELDS, type WechatConfig } from './config.js';
import { checkWechatOAuth } from './oauth.js';

export { WECHAT_CHANNELS, WechatAdapter } from './adapter.js';
export { parseWechatConfig, WECHAT_GATEWAY_URL, type WechatConfig } from './config.js';
export { NOTICE_WINDOW_SECONDS } from './notice.js';

/** WeChat Pay APIv3 (native, JSAPI, code pay, query, close, reverse, refunds, notifications). */
export const wechatDriver: GatewayDriver<WechatConfig> = {
  gateway: 'wechat',
  kinds: ['qr', 'barcode'],
  secretFields: WECHAT_SECRET_FIELDS,
  parseConfig(input) {
    const config = parseWechatConfig(input);
    checkWechatOAuth(input);
    return config;
  },
  create: (config, deps) => new WechatAdapter(config, deps),
};
