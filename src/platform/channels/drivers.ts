import { alipayDriver } from './alipay/index.js';
import type { GatewayDriver } from './live/gateways.js';
import { unionpayDriver } from './unionpay/index.js';
import { wechatDriver } from './wechat/index.js';

/**
 * The payment gateways this build can speak, each in its own folder
 * (channels/alipay/, channels/wechat/, channels/unionpay/). A live app uses
 * one once `onepay app channel set` has given it that gateway's credentials.
 */
export const GATEWAY_DRIVERS: readonly GatewayDriver[] = [
  alipayDriver as GatewayDriver,
  wechatDriver as GatewayDriver,
  unionpayDriver as GatewayDriver,
];
