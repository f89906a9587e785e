import { alipayTestMerchant } from '../gateway-doubles/alipay/merchant.js';
import { AlipayGatewayDouble, alipayDoubleCode } from '../gateway-doubles/alipay/server.js';
import { unionpayTestMerchant } from '../gateway-doubles/unionpay/merchant.js';
import { UnionpayGatewayDouble, unionpayDoubleCode } from '../gateway-doubles/unionpay/server.js';
import { wechatTestMerchant } from '../gateway-doubles/wechat/merchant.js';
import { WechatGatewayDouble, wechatDoubleCode } from '../gateway-doubles/wechat/server.js';

/** A channel's gateway double started for a reconciliation test, with what the test seeds through it. */
export interface StartedDouble {
  /** The `app channel set` fields that point an app at the double. */
  readonly config: Record<string, string>;
  /** The channel's books say another amount, or another moment, for a paid trade. */
  amend(traceNo: string, change: { readonly totalFen?: number; readonly paidAt?: number }): void;
  /** Money taken under a number the platform never issued (长款). */
  ghost(outTradeNo: string, totalFen: number): void;
  /** The patient pays an open QR trade; the channel tells nobody. */
  payQuietly(traceNo: string): Promise<void>;
  /** Spoils the bills the double serves from now on (undefined: whole again). */
  damage(kind: string | undefined): void;
  close(): Promise<void>;
}

/** One live channel as the reconciliation tests drive it. */
export interface ChannelKit {
  readonly name: string;
  readonly gateway: 'alipay' | 'wechat' | 'unionpay';
  readonly barcode: string;
  readonly qr: string;
  /** A payment code the double's wallet pays at once. */
  paidCode(): string;
  /** The ways a bill can be spoiled, and the message a run stops with. */
  readonly damages: readonly { readonly kind: string; readonly message: RegExp }[];
  start(): Promise<StartedDouble>;
}

const alipay: ChannelKit = {
  name: 'Alipay',
  gateway: 'alipay',
  barcode: 'ALI_BAR',
  qr: 'ALI_QR',
  paidCode: () => alipayDoubleCode('paid'),
  damages: [
    { kind: 'truncated', message: /支付宝账单不完整/ },
    { kind: 'notZip', message: /支付宝账单中没有业务明细文件：文件不完整或不是 ZIP 压缩包/ },
  ],
  async start() {
    const double = new AlipayGatewayDouble();
    const { config } = alipayTestMerchant(double, await double.listen());
    return {
      config,
      amend: (traceNo, change) => double.amend(traceNo, change),
      ghost: (outTradeNo, totalFen) => double.ghost(config['appId'] ?? '', outTradeNo, totalFen),
      payQuietly: (traceNo) => double.pay(traceNo, false),
      damage(kind) {
        double.billDamage = kind as AlipayGatewayDouble['billDamage'];
      },
      close: () => double.close(),
    };
  },
};

const wechat: ChannelKit = {
  name: 'WeChat Pay',
  gateway: 'wechat',
  barcode: 'WX_BAR',
  qr: 'WX_QR',
  paidCode: () => wechatDoubleCode('paid'),
  damages: [
    { kind: 'hash', message: /微信支付账单摘要不符/ },
    { kind: 'signature', message: /微信支付账单申请失败：UNKNOWN 微信支付应答验签失败/ },
  ],
  async start() {
    const double = new WechatGatewayDouble();
    const { config } = wechatTestMerchant(double, await double.listen());
    return {
      config,
      amend: (traceNo, change) => double.amend(traceNo, change),
      ghost: (outTradeNo, totalFen) => double.ghost(config['mchid'] ?? '', outTradeNo, totalFen),
      payQuietly: (traceNo) => double.pay(traceNo, false),
      damage(kind) {
        double.billDamage = kind as WechatGatewayDouble['billDamage'];
      },
      close: () => double.close(),
    };
  },
};

const unionpay: ChannelKit = {
  name: 'UnionPay',
  gateway: 'unionpay',
  barcode: 'UP_BAR',
  qr: 'UP_QR',
  paidCode: () => unionpayDoubleCode('paid'),
  damages: [
    { kind: 'truncated', message: /银联对账文件(无法解压|不完整)/ },
    { kind: 'signature', message: /银联对账文件下载失败：银联应答未通过验签/ },
  ],
  async start() {
    const double = new UnionpayGatewayDouble();
    const { config } = unionpayTestMerchant(double, await double.listen());
    return {
      config,
      amend: (traceNo, change) => double.amend(traceNo, change),
      ghost: (orderId, totalFen) => double.ghost(config['merId'] ?? '', orderId, totalFen),
      payQuietly: (traceNo) => double.pay(traceNo, false),
      damage(kind) {
        double.billDamage = kind as UnionpayGatewayDouble['billDamage'];
      },
      close: () => double.close(),
    };
  },
};

export const STATEMENT_KITS: readonly ChannelKit[] = [alipay, wechat, unionpay];
