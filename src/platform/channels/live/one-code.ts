import { recognizeWallet, type Wallet, walletChannel } from '../../../protocol/channels.js';
import type { ChannelAdapter, ChannelPayment, ChannelRefund, ChannelResult, PaymentRef } from '../types.js';

/** The codes every wallet pays: routed to the one wallet that can take the payment. */
const ONE_CODES = ['ONE_BAR', 'ONE_QR'] as const;
type OneCode = (typeof ONE_CODES)[number];

export function isOneCode(code: string): code is OneCode {
  return (ONE_CODES as readonly string[]).includes(code);
}

const WALLETS: readonly Wallet[] = ['ALI', 'WX', 'UP'];
// How many trace numbers the router remembers the wallet of (then it asks the wallets again).
const REMEMBERED = 10_000;

/** The adapter of one of the app's wallets, when its merchant account is configured. */
type WalletAdapters = (wallet: Wallet) => Promise<ChannelAdapter | undefined>;

/** The URL of a ONE_QR order's landing page (`<publicUrl>/q/<token>`), where the patient's wallet chooses. */
type LandingUrl = (traceNo: string) => string;

/** The wallets the landing serves, with the code of an in-wallet payment (服务窗 / 公众号 JSAPI). */
export const LANDING_CODES: Readonly<Partial<Record<Wallet, string>>> = { ALI: 'ALI_PUB', WX: 'WX_PUB' };
const WALLET_NAME: Readonly<Record<Wallet, string>> = { ALI: '支付宝', WX: '微信', UP: '云闪付' };

/**
 * Whether a wallet's answer about a trace number shows a trade of it there.
 * Alipay names its trade number for any trade it holds (a number it does not
 * hold answers pending, "not scanned yet"); WeChat Pay names no transaction
 * for an unpaid order, but answers an unknown number ORDER_NOT_EXIST (closed),
 * so pending there is an order.
 */
function holdsTrade(wallet: Wallet, result: ChannelResult): boolean {
  if (result.channelTradeNo !== undefined || result.state === 'success') return true;
  return wallet === 'WX' && result.state === 'pending';
}

function kindOf(code: string): 'qr' | 'barcode' {
  return code.endsWith('_BAR') ? 'barcode' : 'qr';
}

/**
 * ONE_BAR and ONE_QR of a live app, on the wallets' own adapters: a payment
 * code goes to the wallet its prefix names (Alipay 25–30, WeChat 10–15,
 * UnionPay 62), a one-QR code to the app's only QR wallet; with several, the
 * QR code is the platform's landing page, where the patient's wallet is
 * recognised and the payment made in it (payAtLanding), once: the first
 * wallet there takes the order, another is refused. The
 * wallet's adapter then answers as for its own code (ALI_BAR, WX_QR…), so
 * the wallet that paid is named. Later calls go to the wallet that took the
 * payment: remembered, or found by asking each configured wallet which one
 * knows the trade.
 */
export class OneCodeRouter implements ChannelAdapter {
  readonly channels = ONE_CODES;
  private readonly walletOf = new Map<string, Wallet>();
  /** Landing orders closed before any wallet took them: a wallet arriving later is refused. */
  private readonly closedLandings = new Map<string, true>();

  constructor(
    private readonly adapters: WalletAdapters,
    private readonly landing?: LandingUrl,
  ) {}

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

  /** A ONE_QR order whose wallet the landing page chooses: several QR wallets and a landing to send them to. */
  private isLanding(kind: 'qr' | 'barcode', serving: readonly unknown[]): boolean {
    return kind === 'qr' && serving.length > 1 && this.landing !== undefined;
  }

  /** The code a wallet's adapter is asked with: the in-wallet code for landing orders, else its QR/barcode. */
  private codeOf(wallet: Wallet, kind: 'qr' | 'barcode', landing: boolean): string {
    return (landing && LANDING_CODES[wallet]) || walletChannel(wallet, kind);
  }

  /**
   * The landing's payment in the patient's wallet (`payer`: Alipay's buyer id
   * from auth_base, WeChat's openid from snsapi_base): the order is claimed
   * for that wallet before anything is sent, so a second wallet is refused
   * (in this process at once, across processes because the others are asked
   * whether they hold a trade of it); the same wallet again gets its trade
   * again (the gateways answer the existing one for the same number).
   */
  async payAtLanding(p: ChannelPayment, wallet: Wallet, payer: string): Promise<ChannelResult> {
    const code = LANDING_CODES[wallet];
    if (!code) return { state: 'fail', message: `一码付不受理${WALLET_NAME[wallet]}的页面支付` };
    if (this.closedLandings.has(p.traceNo)) return { state: 'closed', message: '此订单已关闭，不能再支付' };
    const claimed = this.walletOf.get(p.traceNo);
    if (claimed && claimed !== wallet) return this.takenBy(claimed);
    const serving = await this.serving('qr');
    const adapter = serving.find(([w]) => w === wallet)?.[1];
    if (!adapter) return { state: 'fail', message: `本院未开通${WALLET_NAME[wallet]}收款` };
    if (!claimed) {
      this.remember(p.traceNo, wallet);
      for (const [other, otherAdapter] of serving) {
        if (other === wallet) continue;
        const there = await otherAdapter.query({
          appid: p.appid,
          traceNo: p.traceNo,
          channel: this.codeOf(other, 'qr', true),
        });
        if (holdsTrade(other, there)) {
          this.remember(p.traceNo, other);
          return this.takenBy(other);
        }
      }
    }
    return adapter.pay({ ...p, channel: code, extra: { ...p.extra, openId: payer } });
  }

  private takenBy(wallet: Wallet): ChannelResult {
    return {
      state: 'fail',
      message: `此订单已在${WALLET_NAME[wallet]}中下单，请回到${WALLET_NAME[wallet]}完成支付`,
    };
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
      if (this.landing && this.isLanding(kind, serving))
        // No trade anywhere yet: the wallet that opens the landing page makes it (payAtLanding).
        return { state: 'pending', qrcode: this.landing(p.traceNo), message: '请用支付宝或微信扫码支付' };
      if (serving.length !== 1) return { state: 'fail', message: '一码付需由患者的钱包选择支付方式' };
      wallet = serving[0]?.[0];
    }
    const adapter = serving.find(([w]) => w === wallet)?.[1];
    if (!wallet || !adapter) return { state: 'fail', message: '本院未开通该钱包' };
    this.remember(p.traceNo, wallet);
    return adapter.pay({ ...p, channel: walletChannel(wallet, kind) });
  }

  /** The wallet that took a payment and its adapter: remembered, else the one configured wallet that knows the trade. */
  private async route(
    ref: PaymentRef,
  ): Promise<{ adapter?: ChannelAdapter; ref: PaymentRef; landing: boolean }> {
    const kind = kindOf(ref.channel);
    const serving = await this.serving(kind);
    const landing = this.isLanding(kind, serving);
    const known = this.walletOf.get(ref.traceNo);
    const asked = known ? serving.filter(([w]) => w === known) : serving;
    for (const [wallet, adapter] of asked) {
      const walletRef = { ...ref, channel: this.codeOf(wallet, kind, landing) };
      if (known || asked.length === 1) return { adapter, ref: walletRef, landing };
      const answer = await adapter.query(walletRef);
      // Only a wallet that knows the trade names its transaction (or, at the landing, holds its order).
      if (landing ? holdsTrade(wallet, answer) : answer.channelTradeNo) {
        this.remember(ref.traceNo, wallet);
        return { adapter, ref: walletRef, landing };
      }
    }
    return { ref, landing };
  }

  /** A landing order no wallet has taken: payable until it expires or is closed. */
  private static readonly NOT_SCANNED: ChannelResult = {
    state: 'pending',
    message: '等待患者用支付宝或微信扫码',
  };

  private static readonly NOWHERE: ChannelResult = {
    state: 'unknown',
    message: '本院配置的钱包均无此交易',
  };

  /**
   * A landing order paid at a wallet other than the one that took it: two
   * processes serving two wallets in one instant can each make a trade, and
   * whichever the patient paid must settle the order. The other wallets are
   * asked only while the taking wallet says it is not paid; a paid one is
   * remembered, so refunds go where the money is.
   */
  private async paidElsewhere(
    ref: PaymentRef,
    taker: Wallet | undefined,
  ): Promise<ChannelResult | undefined> {
    for (const [wallet, adapter] of await this.serving('qr')) {
      if (wallet === taker) continue;
      const there = await adapter.query({ ...ref, channel: this.codeOf(wallet, 'qr', true) });
      if (there.state === 'success') {
        this.remember(ref.traceNo, wallet);
        return there;
      }
    }
    return undefined;
  }

  async query(ref: PaymentRef): Promise<ChannelResult> {
    const to = await this.route(ref);
    if (to.adapter) {
      const answer = await to.adapter.query(to.ref);
      if (!to.landing || answer.state === 'success') return answer;
      return (await this.paidElsewhere(ref, this.walletOf.get(ref.traceNo))) ?? answer;
    }
    if (!to.landing) return OneCodeRouter.NOWHERE;
    return this.closedLandings.has(ref.traceNo)
      ? { state: 'closed', message: '一码付订单已关闭，未扫码支付' }
      : OneCodeRouter.NOT_SCANNED;
  }

  async close(ref: PaymentRef): Promise<ChannelResult> {
    // A landing order is closed here first, so a wallet arriving now is refused, then wherever it was taken.
    const kind = kindOf(ref.channel);
    if (!this.walletOf.has(ref.traceNo) && this.isLanding(kind, await this.serving(kind))) {
      this.closedLandings.set(ref.traceNo, true);
      if (this.closedLandings.size > REMEMBERED)
        this.closedLandings.delete(this.closedLandings.keys().next().value as string);
    }
    const to = await this.route(ref);
    if (to.adapter) {
      const closed = await to.adapter.close(to.ref);
      if (!to.landing || closed.state === 'success') return closed;
      // Paid at another wallet after all: the order is settled, not closed.
      return (await this.paidElsewhere(ref, this.walletOf.get(ref.traceNo))) ?? closed;
    }
    return to.landing ? { state: 'closed', message: '一码付订单已关闭，未扫码支付' } : OneCodeRouter.NOWHERE;
  }

  async cancel(ref: PaymentRef): Promise<ChannelResult> {
    const to = await this.route(ref);
    return to.adapter ? to.adapter.cancel(to.ref) : OneCodeRouter.NOWHERE;
  }

  async refund(r: ChannelRefund): Promise<ChannelResult> {
    const to = await this.route({ appid: r.appid, traceNo: r.payTraceNo, channel: r.channel });
    if (!to.adapter) return OneCodeRouter.NOWHERE;
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
