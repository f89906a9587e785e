import type { Platform } from '../../platform/platform.js';
import type { OrderTable } from '../../platform/store/index.js';
import { findOrder } from '../../platform/trades/orders.js';

/** A result stays on the patient's screen this long, then the screen goes back to its welcome. */
const RESULT_SHOW_MS = 20_000;

/**
 * Which order a terminal's screen shows. Active orders are found through
 * the (state, expire_at) index, so a screen's once-a-second look stays cheap
 * however large the orders table grows; the order followed last is then
 * read by its key to show how it ended.
 */
export class TerminalFollower {
  private followed: string | undefined;

  constructor(
    private readonly platform: Platform,
    private readonly appid: string,
    private readonly termNo: string,
  ) {}

  async current(): Promise<OrderTable | undefined> {
    const now = this.platform.clock();
    const active = await this.platform.store.db
      .selectFrom('orders')
      .selectAll()
      .where('state', 'in', ['init', 'ing'])
      .where('expire_at', '>', now)
      .where('appid', '=', this.appid)
      .where('term_no', '=', this.termNo)
      .where('kind', '=', 'recharge')
      .orderBy('updated_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (active) {
      this.followed = active.trace_no;
      return active;
    }
    if (!this.followed) return undefined;
    const last = await findOrder(this.platform.store.db, this.appid, this.followed);
    if (!last || now - (last.finished_at ?? last.updated_at) > RESULT_SHOW_MS) {
      this.followed = undefined;
      return undefined;
    }
    return last;
  }
}
