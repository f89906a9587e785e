import type { HisEndpoint } from '../platform/his/wire.js';

/**
 * - fail: answer code "1" without applying (recorded, so status says fail too)
 * - timeout: apply or not, then hold the request open past the client's timeout
 * - unknown: apply or not, then answer HTTP 500, a garbage 200, or reset the connection
 * - fail-after-apply: apply (status says ok) yet answer code "1" — an HIS that lies,
 *   which only reconciliation through /status can catch
 */
export type FaultMode = 'fail' | 'timeout' | 'unknown' | 'fail-after-apply';
export const FAULT_MODES: readonly FaultMode[] = ['fail', 'timeout', 'unknown', 'fail-after-apply'];

/** How an 'unknown' fault answers. */
export type UnknownReply = 'http500' | 'garbage' | 'reset';

export interface FaultOptions {
  /** How many requests the fault hits; every request until cleared when omitted. */
  readonly times?: number;
  /** timeout/unknown: whether the operation is applied before the answer is lost (default false). */
  readonly applied?: boolean;
  readonly reply?: UnknownReply;
  /** timeout: how long the request is held before the socket is destroyed (default 60 s). */
  readonly hangMs?: number;
}

export interface Fault {
  readonly mode: FaultMode;
  readonly applied: boolean;
  readonly reply: UnknownReply;
  readonly hangMs: number;
  /** Requests still to hit; Infinity until cleared. */
  remaining: number;
}

const DEFAULT_HANG_MS = 60_000;
/** A held request ties up a socket; an hour is beyond any client timeout worth testing. */
const MAX_HANG_MS = 3_600_000;

/** Endpoints whose answer can be faked without the sim lying about its records. */
const MODES_FOR: Readonly<Record<HisEndpoint, readonly FaultMode[]>> = {
  credit: FAULT_MODES,
  refund: FAULT_MODES,
  preRefund: FAULT_MODES,
  confirmRefund: FAULT_MODES,
  // A faked "1" from status would read as a recorded failure: only transport faults make sense.
  status: ['timeout', 'unknown'],
  account: ['fail', 'timeout', 'unknown'],
};

export class Faults {
  private readonly faults = new Map<HisEndpoint, Fault>();

  set(endpoint: HisEndpoint, mode: FaultMode, options: FaultOptions = {}): void {
    if (!Object.hasOwn(MODES_FOR, endpoint)) throw new RangeError(`unknown operation ${endpoint}`);
    if (!MODES_FOR[endpoint].includes(mode))
      throw new RangeError(`fault ${mode} is not allowed on ${endpoint}`);
    const times = options.times ?? Number.POSITIVE_INFINITY;
    if (times !== Number.POSITIVE_INFINITY && (!Number.isInteger(times) || times < 1)) {
      throw new RangeError('times must be a positive integer');
    }
    const hangMs = options.hangMs ?? DEFAULT_HANG_MS;
    if (!Number.isInteger(hangMs) || hangMs < 0 || hangMs > MAX_HANG_MS) {
      throw new RangeError(`hangMs must be an integer in 0..${MAX_HANG_MS}`);
    }
    const reply = options.reply ?? 'http500';
    if (!['http500', 'garbage', 'reset'].includes(reply)) throw new RangeError(`unknown reply ${reply}`);
    this.faults.set(endpoint, { mode, applied: options.applied ?? false, reply, hangMs, remaining: times });
  }

  clear(endpoint?: HisEndpoint): void {
    if (endpoint) this.faults.delete(endpoint);
    else this.faults.clear();
  }

  /** The fault for this request, counted down; undefined when none applies. */
  take(endpoint: HisEndpoint): Fault | undefined {
    const fault = this.faults.get(endpoint);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.delete(endpoint);
    return fault;
  }

  list(): Record<string, Omit<Fault, 'remaining'> & { remaining: number | null }> {
    const out: Record<string, Omit<Fault, 'remaining'> & { remaining: number | null }> = {};
    for (const [endpoint, fault] of this.faults) {
      // JSON has no Infinity; null says "until cleared".
      out[endpoint] = { ...fault, remaining: Number.isFinite(fault.remaining) ? fault.remaining : null };
    }
    return out;
  }
}
