import type { Credentials, Op } from './requests.js';

/** How a worker drives the target: as fast as answers come back, or at a fixed schedule. */
export type Loop =
  | { readonly kind: 'closed'; readonly connections: number; readonly durationMs: number }
  | {
      readonly kind: 'open';
      readonly connections: number;
      readonly durationMs: number;
      readonly ratePerS: number;
    };

/** What is sent: one fixed body (ceilings), or sealed operations. */
export type Payload =
  | { readonly kind: 'static'; readonly body: string }
  | {
      readonly kind: 'op';
      readonly op: Op;
      readonly creds: Credentials;
      /**
       * Upper bound of requests, all sealed before the clock starts: the
       * worker's own crypto must not steal the server's core mid-run.
       */
      readonly maxOps: number;
      /** Recharges number themselves from here; query and refund reuse this worker's successful recharges. */
      readonly firstN: number;
      /** One per platform run: a worker forgets the orders of an earlier run (another database) when it changes. */
      readonly session: string;
    };

export interface Job {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly loop: Loop;
  readonly payload: Payload;
  /** Open every answer after the timed window and count its respCode. */
  readonly verify: boolean;
}

export interface JobResult {
  readonly sent: number;
  readonly answered: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly elapsedMs: number;
  readonly latenciesMs: number[];
  readonly codes: Record<string, number>;
  /** True when the pre-sealed requests ran out before the duration did. */
  readonly exhausted: boolean;
}
