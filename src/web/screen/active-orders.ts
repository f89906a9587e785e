import type { Platform } from '../../platform/platform.js';
import type { OrderTable } from '../../platform/store/index.js';
import { POLL_MS } from '../shared/sse.js';

/** What the follower decides by; the order it shows is then read whole by its key. */
export type ActiveEntry = Pick<OrderTable, 'trace_no' | 'state' | 'updated_at' | 'expire_at'>;

/**
 * Every terminal's open desk recharges, read for all of this platform's
 * screens at once, at most once per POLL_MS. The one index that finds open
 * orders is (state, expire_at): asked per terminal, each screen's look walked
 * every open order of every terminal to keep its own few, so 2,000 quiet
 * screens beside 2,000 open desks cost 2,000 × 2,000 row visits per round of
 * re-reads (issue 19 target 6). Read once for all, that is 2,000 a second
 * whatever the number of screens, and no index is added to every order's
 * write.
 *
 * Only quiet re-reads use it: a screen woken by the bus, or opening, asks the
 * database itself (TerminalFollower). Another process's new order thus shows
 * within POLL_MS plus the screen's own re-read period, as before; an order
 * running out leaves the list at its expire_at exactly, since expiry is
 * checked against the clock at each look, not at the read.
 */
export class ActiveDeskOrders {
  private byTerminal = new Map<string, ActiveEntry[]>();
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;

  constructor(private readonly platform: Platform) {}

  /** The terminal's open recharges unexpired at `now`, most recently moved first, as read under POLL_MS ago. */
  async of(appid: string, termNo: string, now: number): Promise<ActiveEntry[]> {
    if (performance.now() - this.readAt >= POLL_MS) await this.refresh();
    const entries = this.byTerminal.get(terminal(appid, termNo)) ?? [];
    return entries.filter((entry) => entry.expire_at !== null && entry.expire_at > now);
  }

  /** One read at a time: screens asking while it runs share it (it began less than POLL_MS ago). */
  private refresh(): Promise<void> {
    this.reading ??= this.readAll().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readAll(): Promise<void> {
    const startedAt = performance.now();
    const rows = await this.platform.store.db
      .selectFrom('orders')
      .select(['appid', 'term_no', 'trace_no', 'state', 'updated_at', 'expire_at'])
      .where('state', 'in', ['init', 'ing'])
      .where('expire_at', '>', this.platform.clock())
      .where('kind', '=', 'recharge')
      .orderBy('updated_at', 'desc')
      .execute();
    const byTerminal = new Map<string, ActiveEntry[]>();
    for (const { appid, term_no, ...entry } of rows) {
      const key = terminal(appid, term_no);
      const list = byTerminal.get(key);
      if (list) list.push(entry);
      else byTerminal.set(key, [entry]);
    }
    this.byTerminal = byTerminal;
    this.readAt = startedAt;
  }
}

function terminal(appid: string, termNo: string): string {
  return `${appid}\u0000${termNo}`;
}
