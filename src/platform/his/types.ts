/**
 * The deposit provider: an external HIS that holds the patients' unified
 * deposit, reached over HTTP. (The platform's own ledger is not a provider:
 * both are deposit holders, trades/holders/.) Every operation is idempotent on the platform's trace number, and an
 * `unknown` outcome is never taken for failure: the platform asks again.
 */
export type ProviderOutcome =
  | { readonly state: 'ok'; readonly callsn: string; readonly balanceFen?: number }
  | { readonly state: 'fail'; readonly message: string }
  | {
      readonly state: 'unknown';
      readonly message: string;
      /**
       * Only from status(): the HIS has no record of the trace. Nothing is applied
       * as of that answer, yet a copy of the first request may still be in flight,
       * so this is not a failure: re-send the operation with the same trace number
       * (idempotent) to get a final answer.
       */
      readonly notFound?: true;
    };

export interface PatientRef {
  readonly appid: string;
  readonly cardType: string;
  readonly cardNo: string;
  readonly accountType: string;
  readonly hisCustId: string;
  readonly userName?: string;
  readonly idNo?: string;
}

export interface ProviderAccount {
  readonly cardType: string;
  readonly cardNo: string;
  readonly hisCustId: string;
  readonly balanceFen: number;
  readonly idType: string;
  readonly idNo: string;
  readonly userName: string;
  readonly userSex: string;
  readonly accountType: string;
  readonly accountNo: string;
  readonly status: string;
}

export interface DepositProvider {
  readonly kind: 'his-http';
  accountInfo(patient: PatientRef): Promise<ProviderAccount | undefined>;
  /** Credit a paid recharge. */
  credit(
    traceNo: string,
    patient: PatientRef,
    amountFen: number,
    hisOrderNo?: string,
  ): Promise<ProviderOutcome>;
  /** refundType=direct: the HIS refunds (debits the deposit) at once. */
  refund(
    refundTraceNo: string,
    patient: PatientRef,
    amountFen: number,
    origTraceNo: string,
  ): Promise<ProviderOutcome>;
  /** refundType=prepareAndConfirm, step 1: reserve the amount. */
  preRefund(
    refundTraceNo: string,
    patient: PatientRef,
    amountFen: number,
    origTraceNo: string,
  ): Promise<ProviderOutcome>;
  /** Step 3: confirm (the channel refunded) or release (it failed) the reservation. */
  confirmRefund(refundTraceNo: string, channelSucceeded: boolean): Promise<ProviderOutcome>;
  /** Ask again about an operation whose answer was lost. */
  status(
    traceNo: string,
    operation: 'credit' | 'refund' | 'preRefund' | 'confirmRefund',
  ): Promise<ProviderOutcome>;
}

/**
 * Who holds an app's deposits: undefined means the platform's own ledger
 * (the default); otherwise an external HIS reached over HTTP.
 */
export interface ExternalHisConfig {
  readonly kind: 'his-http';
  readonly baseUrl: string;
  /** Shared key that signs requests to the HIS. */
  readonly key: string;
  readonly timeoutMs?: number;
  /** Plain http:// to an HIS off this host, allowed only when the hospital says so (docs/security.md). */
  readonly allowInsecureHttp?: boolean;
}
