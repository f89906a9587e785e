/**
 * A small in-process "something changed" bus: the desk, the extension screen
 * and the refund desk wait on it instead of polling fast. It carries no data —
 * a waiter re-reads the database, which stays the only source of truth — so a
 * lost or duplicated event can never show a wrong state. Changes made by
 * another process (two platforms on one PostgreSQL, the sandbox notify path)
 * are not published here; the waiters' bounded timeout turns into a DB poll.
 */

type Waiter = () => void;

/** Past this many waiters on one key something leaks; refuse rather than grow without end. */
const MAX_WAITERS_PER_KEY = 1_000;

class ChangeBus {
  private readonly waiters = new Map<string, Set<Waiter>>();

  /** Wakes everyone waiting on any of the keys. */
  publish(...keys: readonly string[]): void {
    for (const key of keys) {
      const set = this.waiters.get(key);
      if (!set) continue;
      this.waiters.delete(key);
      for (const wake of set) wake();
    }
  }

  /**
   * Resolves when one of the keys is published (true), after `timeoutMs` or
   * when the signal aborts (false) — whichever comes first. Never rejects.
   */
  wait(keys: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      let timer: NodeJS.Timeout | undefined;
      const finish = (published: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        for (const key of keys) {
          const set = this.waiters.get(key);
          set?.delete(woken);
          if (set?.size === 0) this.waiters.delete(key);
        }
        resolve(published);
      };
      const done = () => finish(false);
      const woken = () => finish(true);
      for (const key of keys) {
        let set = this.waiters.get(key);
        if (!set) {
          set = new Set();
          this.waiters.set(key, set);
        }
        if (set.size >= MAX_WAITERS_PER_KEY) continue; // falls back to the timeout, i.e. a poll
        set.add(woken);
      }
      timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Waiters currently registered (for tests and the health of long-lived streams). */
  get size(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }
}

/** One bus per process: every platform in it shares it, keys carry the app or trace number. */
export const changes = new ChangeBus();

export function orderKey(traceNo: string): string {
  return `order:${traceNo}`;
}

export function terminalKey(appid: string, termNo: string): string {
  return `term:${appid}:${termNo}`;
}

/** Tells the desk, the refund desk and the terminal's screen that an order moved. */
export function publishOrder(order: {
  readonly trace_no: string;
  readonly appid: string;
  readonly term_no: string;
}): void {
  changes.publish(orderKey(order.trace_no), terminalKey(order.appid, order.term_no));
}
