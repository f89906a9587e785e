import type { Transaction } from 'kysely';
import type { ParamOf } from '../../../protocol/catalog/index.js';
import type { Answer, RespCode } from '../../../protocol/codes.js';
import type { App } from '../../apps/registry.js';
import type { PatientRef } from '../../his/types.js';
import type { Platform } from '../../platform.js';
import type { OrderState, OrderTable, Schema } from '../../store/index.js';

/** What the channel said about a payment, as settling it needs it. */
export interface Paid {
  readonly channel: string;
  readonly paidAt: number;
  readonly now: number;
  readonly channelTradeNo?: string;
  readonly posExtra?: Readonly<Record<string, string>>;
}

/** Who holds the money of an order: recorded on a refund so it finishes with the holder it began with. */
export type HolderName = 'ledger' | 'his' | 'revenue';

/** The holder's word on a refund the channel paid out. */
interface Confirmation {
  readonly state: 'ok' | 'fail' | 'unknown';
  readonly message?: string;
}

/** How a channel's refusal of a refund ends, by how the holder took part. */
type RefundRefusal =
  /** The money goes back to the holder; the order fails with this code. */
  | { readonly giveBack: true; readonly code: RespCode; readonly manual: boolean }
  /** The holder already let the money go (the HIS refunded first): a person decides. */
  | { readonly giveBack: false };

/**
 * Everything that differs between whoever holds the money a patient paid:
 * the platform's own deposit ledger, an external HIS, the hospital's revenue
 * (exam bills). The trades ask the holder instead of asking which it is;
 * `holderOf` (holders/index.ts) is the one place that decides.
 */
/** A hop.account.info param as validation leaves it. */
export type AccountInfoParam = ParamOf<'hop.account.info'>;

export interface DepositHolder {
  readonly name: HolderName;

  // --- payments in ---
  /** Whether the platform keeps this holder's patient accounts (and checks the patient at a recharge). */
  readonly keepsAccounts: boolean;
  /** The states a paid order can still be settled from; money for an order in any other state goes back. */
  readonly settlesFrom: readonly OrderState[];
  /**
   * Inside the caller's transaction: move the order out of `order.state`
   * (guarded) and book the money from the channel's clearing account to the
   * holder. Undefined when another path moved the order first.
   */
  receive(
    trx: Transaction<Schema>,
    platform: Platform,
    app: App,
    order: OrderTable,
    paid: Paid,
  ): Promise<Answer | undefined>;
  /** After the money is booked (or for an order left booked but unfinished): the holder's own step, if any. */
  afterReceived(
    platform: Platform,
    app: App,
    order: OrderTable,
    received: Answer,
  ): Promise<Answer | undefined>;
  /** The sweep, for a payment left in "exp": finish it if the holder can; true when it ended settled. */
  resolveHeld(platform: Platform, app: App, order: OrderTable): Promise<boolean>;

  // --- what the patient holds ---
  /** hop.account.info. */
  accountInfo(platform: Platform, app: App, param: AccountInfoParam): Promise<Answer>;

  // --- refunds ---
  /** The ledger account the paid money sits in: a refund leaves it and, refused, returns to it. */
  heldIn(row: OrderTable): string;
  /** Whether even an offline refund waits for the holder's step (`beforeRefund`) before it is paid out. */
  readonly stepsIntoRefunds: boolean;
  /** Inside the caller's transaction: the refund's money leaves the holder for "refunding". */
  takeForRefund(trx: Transaction<Schema>, row: OrderTable): Promise<void>;
  /** Inside the caller's transaction: a refund that did not happen gives the money back to the holder. */
  giveBack(trx: Transaction<Schema>, row: OrderTable, memo: string, now: number): Promise<void>;
  /** The holder's part before any money goes back; the refusal to answer, or null to go on. */
  beforeRefund(
    platform: Platform,
    row: OrderTable,
    patient: PatientRef,
    refundType: string,
  ): Promise<Answer | null>;
  /** Stopped (a crash) before the holder answered `beforeRefund`: paying out now could pay twice. */
  stoppedBeforeAnswer(detail: Readonly<Record<string, unknown>>): boolean;
  /** The channel paid the refund out: the holder confirms ('unknown': ask again later). */
  confirmPayout(row: OrderTable, refundType: string): Promise<Confirmation>;
  /** The channel refused the refund: what the holder does about it. */
  onRefused(row: OrderTable, refundType: string): Promise<RefundRefusal>;
  /** The answer code of a refund the channel still works on, when the holder has its own. */
  pendingCode(refundType: string): RespCode | undefined;
}
