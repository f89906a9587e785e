import type { ColumnType, Generated } from 'kysely';

/** Milliseconds since the epoch; stored as BIGINT so both dialects agree. */
type Millis = number;

export interface AppTable {
  appid: string;
  name: string;
  /**
   * The appsecret sealed with the platform's master key (AES-256-GCM). It cannot be
   * hashed: both sides derive the envelope keys from it.
   */
  secret_sealed: string;
  /** JSON array of enabled channel codes (CASH, POS, ALI_QR…). */
  channels: string;
  /** JSON object: per-hospital settings (paytype map, deposit provider, expiry…). */
  config: string;
  /** 'sandbox' (simulated channels, test money) or 'live' (only adapters configured for the app). */
  mode: Generated<string>;
  created_at: Millis;
}

export interface NonceTable {
  appid: string;
  nonce: string;
  /** Envelope timestamp, seconds; rows older than the replay window are purged. */
  ts_s: number;
}

export interface AccountTable {
  account_no: string;
  appid: string;
  card_type: string;
  card_no: string;
  account_type: string;
  his_cust_id: string;
  user_name: string;
  /** Sealed (privacy/patient-data.ts); rows are found by `id_no_hash`. */
  id_no: string | null;
  /** Keyed hash of the ID number; null until the start pass sealed a row written before 0012. */
  id_no_hash: string | null;
  id_type: string | null;
  user_sex: string | null;
  /** Sealed. */
  mobile_phone: string | null;
  card_zone: string | null;
  /** JSON of the remaining opening fields (address, career, workUnit, birthday, hisTraceNo). */
  profile: string;
  status: string;
  /** Cached; must always equal the balance derived from the journal (asserted in tests). */
  balance_fen: number;
  created_at: Millis;
  updated_at: Millis;
}

export type OrderKind = 'recharge' | 'refund' | 'recpay' | 'cancel';
export type OrderState = 'init' | 'ing' | 'succ' | 'fail' | 'exp' | 'closed';

export interface OrderTable {
  trace_no: string;
  appid: string;
  kind: OrderKind;
  /** The merchant's number: outChargeNo, outRefundNo, outTradeNo or outCancelNo. */
  out_no: string;
  /** Hash of the business parameters: same number + same hash replays the answer, else 030001. */
  request_hash: string;
  state: OrderState;
  amount_fen: number;
  channel: string;
  account_no: string | null;
  /** For refunds and cancels: the order they reverse. */
  orig_trace_no: string | null;
  /** For paid orders: how much has been refunded so far (refunds in flight included). */
  refunded_fen: number;
  /** The final answer, stored so a retry replays it exactly. */
  answer: string | null;
  /** JSON: request param, channel data, HIS data, history. */
  detail: string;
  term_no: string;
  created_at: Millis;
  updated_at: Millis;
  finished_at: Millis | null;
  expire_at: Millis | null;
}

/** Double-entry journal: every row moves amount_fen from debit to credit, so the journal always sums to zero. */
export interface TransferTable {
  id: Generated<number>;
  trace_no: string;
  appid: string;
  debit: string;
  credit: string;
  amount_fen: number;
  memo: string;
  created_at: Millis;
}

export interface OutboxTable {
  id: Generated<number>;
  /** Stable id receivers dedupe on. */
  event_id: string;
  appid: string;
  topic: string;
  payload: string;
  state: 'ing' | 'succ' | 'fail';
  attempts: number;
  next_at: Millis;
  last_error: string | null;
  created_at: Millis;
  updated_at: ColumnType<Millis, Millis, Millis>;
}

export type SandboxPaymentState = 'pending' | 'success' | 'fail' | 'closed' | 'revoked';

/** The sandbox channel's own record of a payment (it plays an outside payment company). */
/** A live app's credentials for one payment gateway (alipay, wechat, unionpay): JSON sealed with the master key. */
export interface AppGatewayTable {
  appid: string;
  gateway: string;
  config_sealed: string;
  updated_at: Millis;
}

/** When an order was last refunded: the gate of the minimum interval between its refunds (044003). */
export interface RefundGateTable {
  orig_trace_no: string;
  last_at: Millis;
}

/** A cash or POS payment of a live app, as the operator recorded it at the desk. */
export interface DeskPaymentTable {
  trace_no: string;
  appid: string;
  channel: string;
  amount_fen: number;
  refunded_fen: number;
  term_no: string;
  /** JSON of the POS slip the operator read (card masked, issuer, card type, reference number); null for cash. */
  slip: string | null;
  paid_at: Millis;
}

/** A refund recorded against a desk payment: 'success', or 'fail' when more was asked than was left. */
export interface DeskRefundTable {
  refund_trace_no: string;
  pay_trace_no: string;
  appid: string;
  amount_fen: number;
  state: string;
  created_at: Millis;
}

export interface SandboxPaymentTable {
  trace_no: string;
  appid: string;
  channel: string;
  amount_fen: number;
  subject: string;
  term_no: string;
  /** Unguessable name of the payment in its QR URL; null for channels without a QR code. */
  token: string | null;
  state: SandboxPaymentState;
  /** How the sandbox plays this payment (wallet, instant, password, stuck, lost, declined, tombstone). */
  scenario: string;
  /** Queries answered so far: a password-protected barcode completes on the second. */
  queries: number;
  paid_channel: string | null;
  channel_trade_no: string;
  pos_no: string | null;
  /** JSON object of the answer's extra (POS card data). */
  result_extra: string | null;
  message: string | null;
  refunded_fen: number;
  /** Injected outcome for the refunds of this payment (tests); null = refunds succeed. */
  refund_outcome: string | null;
  expire_at: Millis;
  paid_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

export interface SandboxRefundTable {
  refund_trace_no: string;
  pay_trace_no: string;
  appid: string;
  channel: string;
  amount_fen: number;
  state: 'success' | 'fail' | 'pending';
  queries: number;
  channel_refund_no: string;
  message: string | null;
  refunded_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
}

/** Per-hospital delivery channels of patient notifications (src/platform/notify/config.ts). */
export interface NotifySettingsTable {
  appid: string;
  /** JSON of NotifyConfig. */
  config: string;
  updated_at: Millis;
}

/** One accepted push request; its deliveries are outbox rows with event ids `<message_id>.<channel>`. */
export interface NotifyMessageTable {
  message_id: string;
  appid: string;
  trans_type: string;
  /** Idempotency key: the same push twice is one message (docs/notifications.md). */
  dedupe_key: string;
  kind: string;
  /** 0 when recorded but deliberately not pushed (remote insurance, feeType 02). */
  pushed: number;
  /** Unguessable name of the message in the patient's H5 link. */
  view_token: string;
  user_name: string;
  /** Sealed; found by `id_no_hash`. */
  id_no: string;
  id_no_hash: string | null;
  card_type: string;
  card_no: string;
  account_type: string;
  /** The validated request param, JSON, its ID and phone numbers sealed. */
  param: string;
  created_at: Millis;
}

export interface WristbandTable {
  /** The code printed in the wristband's QR; unguessable, it is the only credential of the page. */
  wb_key: string;
  appid: string;
  card_type: string;
  card_no: string;
  account_type: string;
  /** Sealed. */
  id_no: string;
  id_type: string;
  user_name: string;
  hosp_name: string;
  operator_id: string;
  state: 'active' | 'cancelled';
  created_at: Millis;
  cancelled_at: Millis | null;
}

/** A face query or an insurance authorisation waiting for (or holding) its provider's outcome. */
export interface IdentitySessionTable {
  session_id: string;
  appid: string;
  kind: 'face' | 'auth';
  /** outTradeNo (face) or outAuthorizeNo (auth). */
  out_no: string;
  request_hash: string;
  token: string;
  state: 'ing' | 'succ' | 'fail' | 'cancel';
  request: string;
  /** JSON of the provider's identity once state is succ, or its reason otherwise. */
  result: string | null;
  expire_at: Millis;
  created_at: Millis;
  updated_at: Millis;
}

/** A one-time pass over existing rows that a schema step could not do (it needed the master key). */
export interface DataPassTable {
  name: string;
  done_at: Millis;
}

export interface Schema {
  apps: AppTable;
  nonce_claims: NonceTable;
  accounts: AccountTable;
  orders: OrderTable;
  transfers: TransferTable;
  outbox: OutboxTable;
  sandbox_payments: SandboxPaymentTable;
  app_gateways: AppGatewayTable;
  desk_payments: DeskPaymentTable;
  refund_gates: RefundGateTable;
  desk_refunds: DeskRefundTable;
  sandbox_refunds: SandboxRefundTable;
  notify_settings: NotifySettingsTable;
  notify_messages: NotifyMessageTable;
  wristbands: WristbandTable;
  identity_sessions: IdentitySessionTable;
  data_passes: DataPassTable;
}
