/**
 * The channel adapter interface: every payment channel of the spec (cash
 * drawer, bank POS, Alipay, WeChat Pay, UnionPay, one-QR…) maps its own
 * states onto this small set. `unknown` is never failure: the caller queries.
 */
export type ChannelState = 'success' | 'fail' | 'pending' | 'unknown' | 'closed' | 'revoked';

export interface ChannelPayment {
  /** Platform trace number: the channel's merchant order number. */
  readonly traceNo: string;
  readonly appid: string;
  /** Channel code requested (CASH, POS, ALI_QR, ONE_BAR…). */
  readonly channel: string;
  readonly amountFen: number;
  readonly subject: string;
  readonly termNo: string;
  /** extra of the request: authCode for barcodes, PosNo for POS, openId… */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Millisecond deadline after which an unpaid order expires. */
  readonly expireAt: number;
}

export interface ChannelResult {
  readonly state: ChannelState;
  /** The wallet that actually took the money (ONE_QR/ONE_BAR resolve to ALI_*, WX_*, UP_*). */
  readonly paidChannel?: string;
  /** Channel's own transaction id, for reconciliation. */
  readonly channelTradeNo?: string;
  /** For QR channels: the URL to encode in the QR code. */
  readonly qrcode?: string;
  /** POS: BankCardNo, posIssuingBank, BankCardType (the spec's response extra). */
  readonly extra?: Readonly<Record<string, string>>;
  /** Why, in Chinese, for failures and pending states. */
  readonly message?: string;
  /** Channel moment of success (ms). */
  readonly paidAt?: number;
}

export interface ChannelRefund {
  readonly refundTraceNo: string;
  readonly payTraceNo: string;
  readonly appid: string;
  readonly channel: string;
  readonly amountFen: number;
  /** Total amount of the original payment (some channels need it). */
  readonly totalFen: number;
  readonly reason: string;
}

export interface ChannelAdapter {
  /** Channel codes this adapter serves. */
  readonly channels: readonly string[];
  /** Create the payment: immediate channels answer success/fail, QR channels pending + qrcode, barcodes may be pending. */
  pay(payment: ChannelPayment): Promise<ChannelResult>;
  /** The payment's state now. */
  query(traceNo: string, channel: string): Promise<ChannelResult>;
  /** Close an unpaid payment so it can no longer be paid: 'closed', or 'success' if it was paid meanwhile. */
  close(traceNo: string, channel: string): Promise<ChannelResult>;
  /** Cancel/reverse (撤销) a barcode payment that stays pending: 'revoked' (refunded if it had been paid). */
  cancel(traceNo: string, channel: string): Promise<ChannelResult>;
  refund(refund: ChannelRefund): Promise<ChannelResult>;
  refundQuery(refundTraceNo: string, channel: string): Promise<ChannelResult>;
}
