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
  /**
   * What the channel says it took, in fen, when it says (a gateway's query
   * answer or notification). A success whose amount differs from the order's
   * is not settled: a person looks (trades/settle-order.ts).
   */
  readonly amountFen?: number;
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

/**
 * One payment (or refund) at its channel: the app whose merchant account it is,
 * the platform's trace number (the refund's own for refundQuery) and the code.
 */
export interface PaymentRef {
  readonly appid: string;
  readonly traceNo: string;
  readonly channel: string;
}

/** An HTTP request a channel's gateway sent to the platform (an asynchronous notification). */
export interface ChannelNotice {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body, as received: signatures are over these bytes. */
  readonly body: string;
}

/**
 * What the adapter made of a notification: what to answer the gateway, and
 * the payment it is about when it was genuine. The platform then asks the
 * channel (query) before anything moves: a notification only says "look now".
 */
export interface NoticeOutcome {
  readonly reply: { readonly status: number; readonly contentType: string; readonly body: string };
  readonly payment?: PaymentRef;
}

/**
 * One line of a channel's statement (对账单) for a Beijing day, normalized:
 * what the channel says it took (kind pay) or gave back (kind refund).
 */
export interface StatementRow {
  /** The channel's own number of the trade (or of the refund). */
  readonly channelTradeNo: string;
  /** The platform's trace number the channel knows the trade by (the refund's own for refunds); '' when it names none. */
  readonly traceNo: string;
  readonly kind: 'pay' | 'refund';
  readonly amountFen: number;
  /** When the channel says the money moved (ms). */
  readonly at: number;
  /** The channel's word on the trade now: success, or closed/revoked for one reversed. */
  readonly state: 'success' | 'closed' | 'revoked';
}

/**
 * A payment channel as the platform sees it. Every method names the app, so
 * an adapter holding several hospitals' merchant keys knows whose to use.
 */
export interface ChannelAdapter {
  /** Channel codes this adapter serves. */
  readonly channels: readonly string[];
  /** Create the payment: immediate channels answer success/fail, QR channels pending + qrcode, barcodes may be pending. */
  pay(payment: ChannelPayment): Promise<ChannelResult>;
  /** The payment's state now. */
  query(ref: PaymentRef): Promise<ChannelResult>;
  /** Close an unpaid payment so it can no longer be paid: 'closed', or 'success' if it was paid meanwhile. */
  close(ref: PaymentRef): Promise<ChannelResult>;
  /** Cancel/reverse (撤销) a barcode payment that stays pending: 'revoked' (refunded if it had been paid). */
  cancel(ref: PaymentRef): Promise<ChannelResult>;
  refund(refund: ChannelRefund): Promise<ChannelResult>;
  /** A refund's state now; `ref.traceNo` is the refund's trace number. */
  refundQuery(ref: PaymentRef): Promise<ChannelResult>;
  /** A notification from the channel's gateway, verified by the adapter (absent: the channel sends none). */
  handleNotice?(appid: string, notice: ChannelNotice): Promise<NoticeOutcome>;
  /**
   * The app's statement for a Beijing day (`yyyy-mm-dd`), row by row, verified
   * as the adapter verifies answers (absent: the channel publishes none).
   * Streamed, so a day of a million trades never sits in memory at once.
   */
  statement?(appid: string, day: string): AsyncIterable<StatementRow>;
}
