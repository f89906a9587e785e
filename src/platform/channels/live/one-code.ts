import { recognizeWallet, type Wallet, walletChannel } from '../../../protocol/channels.js';
import type { ChannelAdapter, ChannelPayment, ChannelRefund, ChannelResult, PaymentRef } from '../types.js';

/** The codes every wallet pays: routed to the one wallet that can take the payment. */
export const ONE_CODES = ['ONE_BAR', 'ONE_QR'] as const;
type OneCode = (typeof ONE_CODES)[number];

export function isOneCode(code: string): code is OneCode {
  return (ONE_CODES as readonly string[]).includes(code);
}

const WALLETS: readonly Wallet[] = ['ALI', 'WX', 'UP'];
// How many trace numbers the router remembers the wallet of (then it asks the wallets again).
const REMEMBERED = 10_000;

/** The adapter of one of the app's wallets, when its merchant account is configured. */
export type WalletAdapters = (wallet: Wallet) => Promise<ChannelAdapter | undefined>;

function kindOf(code: string): 'qr' | 'barcode' {
  return code.endsWith('_BAR') ? 'barcode' : 'qr';
}

/**
 * ONE_BAR and ONE_QR of a live app, on the wallets' own adapters: a payment
 * code goes to the wallet its prefix names (Alipay 25–30, WeChat 10–15,
 * UnionPay 62), a one-QR code to the app's only QR wallet (with several, the
 * patient's wallet must choose on the landing page: not routed here). The
 * wallet's adapter then answers as for its own code (ALI_BAR, WX_QR…), so
 * the wallet that paid is named. Later calls go to the wallet that took the
 * payment: remembered, or found by asking each configured wallet which one
 * knows the trade.
 */
export class OneCodeRouter implements ChannelAdapter {
  readonly channels = ONE_CODES;
  private readonly walletOf = new Map<string, Wallet>();

  constructor(private readonly adapters: WalletAdapters) {}

  /** The wallets configured to serve a kind, with their adapters. */
  async serving(kind: 'qr' | 'barcode'): Promise<[Wallet, ChannelAdapter][]> {
    const found: [Wallet, ChannelAdapter][] = [];
    for (const wallet of WALLETS) {
      const adapter = await this.adapters(wallet);
      if (adapter?.channels.includes(walletChannel(wallet, kind))) found.push([wallet, adapter]);
    }
    return found;
  }

  private remember(traceNo: string, wallet: Wallet): void {
    this.walletOf.set(traceNo, wallet);
    if (this.walletOf.size > REMEMBERED) this.walletOf.delete(this.walletOf.keys().next().value as string);
  }

  async pay(p: ChannelPayment): Promise<ChannelResult> {
    const kind = kindOf(p.channel);
    const serving = await this.serving(kind);
    let wallet: Wallet | undefined;
    if (kind === 'barcode') {
      const authCode = p.extra['authCode'];
      wallet = typeof authCode === 'string' ? (recognizeWallet(authCode) ?? undefined) : undefined;
      if (!wallet) return { state: 'fail', message: '无法识别的付款码' };
      if (!serving.some(([w]) => w === wallet))
        return { state: 'fail', message: `本院未开通该钱包的付款码收款（${wallet}）` };
    } else {
      if (serving.length !== 1) return { state: 'fail', message: '一码付需由患者的钱包选择支付方式' };
      wallet = serving[0]?.[0];
    }
    const adapter = serving.find(([w]) => w === wallet)?.[1];
    if (!wallet || !adapter) return { state: 'fail', message: '本院未开通该钱包' };
    this.remember(p.traceNo, wallet);
    return adapter.pay({ ...p, channel: walletChannel(wallet, kind) });
  }

  /** The wallet that took a payment and its adapter: remembered, else the one configured wallet that knows the trade. */
  private async route(ref: PaymentRef): Promise<{ adapter: ChannelAdapter; ref: PaymentRef } | undefined> {
    const kind = kindOf(ref.channel);
    const serving = await this.serving(kind);
    const known = this.walletOf.get(ref.traceNo);
    const asked = known ? serving.filter(([w]) => w === known) : serving;
    for (const [wallet, adapter] of asked) {
      const walletRef = { ...ref, channel: walletChannel(wallet, kind) };
      if (known || asked.length === 1) return { adapter, ref: walletRef };
      // Only a wallet that knows the trade names its transaction.
      if ((await adapter.query(walletRef)).channelTradeNo) {
        this.remember(ref.traceNo, wallet);
        return { adapter, ref: walletRef };
      }
    }
    return undefined;
  }

  private static readonly NOWHERE: ChannelResult = {
    state: 'unknown',
    message: '本院配置的钱包均无此交易',
  };

  async query(ref: PaymentRef): Promise<ChannelResult> {
    const to = await this.route(ref);
    return to ? to.adapter.query(to.ref) : OneCodeRouter.NOWHERE;
  }

  async close(ref: PaymentRef): Promise<ChannelResult> {
    const to = await this.route(ref);
    return to ? to.adapter.close(to.ref) : OneCodeRouter.NOWHERE;
  }

  async cancel(ref: PaymentRef): Promise<ChannelResult> {
    const to = await this.route(ref);
    return to ? to.adapter.cancel(to.ref) : OneCodeRouter.NOWHERE;
  }

  async refund(r: ChannelRefund): Promise<ChannelResult> {
    const to = await this.route({ appid: r.appid, traceNo: r.payTraceNo, channel: r.channel });
    if (!to) return OneCodeRouter.NOWHERE;
    const wallet = this.walletOf.get(r.payTraceNo);
    if (wallet) this.remember(r.refundTraceNo, wallet);
    return to.adapter.refund({ ...r, channel: to.ref.channel });
  }

  async refundQuery(ref: PaymentRef): Promise<ChannelResult> {
    const wallet = this.walletOf.get(ref.traceNo);
    const adapter = wallet && (await this.adapters(wallet));
    if (!wallet || !adapter) return { state: 'unknown', message: '不知此退款经由哪个钱包' };
    return adapter.refundQuery({ ...ref, channel: walletChannel(wallet, kindOf(ref.channel)) });
  }
}
