/**
 * The JSON API an external HIS implements for the platform (docs/his-api.md).
 * Shared by the HTTP provider and the simulator so the two cannot drift.
 * Amounts on this wire are yuan strings with two decimals, as in the spec.
 */

/** Operations that move money; each is idempotent on its trace number. */
export type HisOperation = 'credit' | 'refund' | 'preRefund' | 'confirmRefund';
export const HIS_OPERATIONS: readonly HisOperation[] = ['credit', 'refund', 'preRefund', 'confirmRefund'];

/** Every endpoint, including the read-only ones. */
export type HisEndpoint = HisOperation | 'status' | 'account';

export const HIS_PATHS: Readonly<Record<HisEndpoint, string>> = {
  credit: '/credit',
  refund: '/refund',
  preRefund: '/pre-refund',
  confirmRefund: '/confirm-refund',
  status: '/status',
  account: '/account',
};

/** The day's statement (read-only, signed like the rest): src/platform/reconcile asks it. */
export const HIS_STATEMENT_PATH = '/statement';

/**
 * Answer codes: "0" applied, "1" definitely not applied (and recorded as such
 * for money operations), "404" no record (status only), "409" the trace
 * number was used before with other parameters. Anything else is unknown.
 */
export interface HisAnswer {
  readonly code: string;
  readonly msg: string;
  readonly callsn?: string;
  /** Deposit balance after the operation, yuan. */
  readonly balance?: string;
}

export interface HisAccountAnswer {
  readonly code: string;
  readonly msg: string;
  readonly cardType?: string;
  readonly cardNo?: string;
  readonly hisCustId?: string;
  readonly balance?: string;
  readonly idType?: string;
  readonly idNo?: string;
  readonly userName?: string;
  readonly userSex?: string;
  readonly accountType?: string;
  readonly accountNo?: string;
  readonly status?: string;
}

/** Requests and answers are small; anything larger is a broken peer, not data. */
export const HIS_MAX_BODY_BYTES = 64 * 1024;
