import { DEFAULT_WINDOW_SECONDS } from './types.js';

export type NonceVerdict = 'fresh' | 'replay' | 'stale' | 'full';

export interface NonceWindowOptions {
  /** Same window as openEnvelope's: a nonce must be remembered until its ts leaves it. */
  windowSeconds?: number;
  /** Hard bound on memory; when reached with nothing expired, claims are refused. */
  maxEntries?: number;
}

/**
 * In-memory "accept each (appid, nonce) once" for the client and tests. The
 * platform keeps nonces in its store instead, because several processes must
 * share them; the rule is the same: claim the nonce only AFTER openEnvelope
 * succeeded (or a forged copy could burn a genuine nonce), and remember it
 * until ts + window, since after that the timestamp check refuses the replay.
 */
export class NonceWindow {
  readonly windowSeconds: number;
  readonly maxEntries: number;
  /** Key → the unix second after which it may be forgotten. Insertion order ≈ expiry order. */
  private readonly seen = new Map<string, number>();
  private lastFullSweep = Number.NEGATIVE_INFINITY;

  constructor(options: NonceWindowOptions = {}) {
    this.windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
    this.maxEntries = options.maxEntries ?? 100_000;
    if (!Number.isSafeInteger(this.windowSeconds) || this.windowSeconds < 0) {
      throw new TypeError('windowSeconds must be a non-negative integer');
    }
    if (!Number.isSafeInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new TypeError('maxEntries must be a positive integer');
    }
  }

  get size(): number {
    return this.seen.size;
  }

  /**
   * 'fresh' the first time; 'replay' if seen within the window; 'stale' if
   * ts is outside the window (nothing stored); 'full' if the bound is reached
   * by live entries — refusing is safer than forgetting one that could then
   * be replayed. `ts` and `now` are unix seconds.
   */
  claim(appid: string, nonce: string, ts: number, now: number): NonceVerdict {
    if (Math.abs(now - ts) > this.windowSeconds) return 'stale';
    this.sweepHead(now);
    const key = `${appid}\n${nonce}`;
    if (this.seen.has(key)) return 'replay';
    if (this.seen.size >= this.maxEntries) {
      // Entries were inserted with ts up to ±window apart, so the head sweep can
      // stop early; a full pass finds the rest, at most once per second.
      if (now > this.lastFullSweep) {
        this.lastFullSweep = now;
        for (const [k, expiry] of this.seen) if (expiry < now) this.seen.delete(k);
      }
      if (this.seen.size >= this.maxEntries) return 'full';
    }
    this.seen.set(key, ts + this.windowSeconds);
    return 'fresh';
  }

  /** Drops expired entries from the oldest end; bounded so one claim never does unbounded work. */
  private sweepHead(now: number): void {
    let budget = 16;
    for (const [k, expiry] of this.seen) {
      if (expiry >= now || budget-- === 0) return;
      this.seen.delete(k);
    }
  }
}
