import { hisWaitsAtDesk } from '../../platform/events/desk-waits.js';
import type { Platform } from '../../platform/platform.js';
import type { OrderTable } from '../../platform/store/index.js';
import { findOrder } from '../../platform/trades/orders.js';
import type { ActiveDeskOrders, ActiveEntry } from './active-orders.js';

/** A result stays on the patient's screen this long, then the screen goes back to its welcome. */
const RESULT_SHOW_MS = 20_000;
/** Active orders of one terminal looked at; a terminal has one or two, more is leftovers. */
const ACTIVE_LOOKED_AT = 5;

/**
 * An order still at the cashier's choice is shown only while its HIS waits
 * for it: once the client gave up (it answered the HIS "040038, query
 * later"), the amount would greet the next patient until the order expires.
 * From the payment step on (a QR on screen, a barcode paying) it shows
 * whoever waits, since the patient may be paying it.
 */
function worthShowing(order: Pick<OrderTable, 'state' | 'trace_no'>, now: number): boolean {
  return order.state !== 'init' || hisWaitsAtDesk(order.trace_no, now);
}

/**
 * Which order a terminal's screen shows. Active orders are found through
 * the (state, expire_at) index, so a screen's look stays cheap however large
 * the orders table grows; the order followed last is then read by its key to
 * show how it ended. What is shown is decided at every look from the rows
 * and the clock, so an expiry, the HIS's lease or the result's display time
 * running out shows at the first look past it.
 */
export class TerminalFollower {
  private followed: string | undefined;

  constructor(
    private readonly platform: Platform,
    private readonly appid: string,
    private readonly termNo: string,
    private readonly shared: ActiveDeskOrders,
  ) {}

  /**
   * The order to show now. `fresh` (the screen opening, or the bus saying its
   * terminal moved) asks the database; a quiet look takes the active orders
   * all screens share (ActiveDeskOrders), then reads the one it shows.
   */
  async current(fresh: boolean): Promise<OrderTable | undefined> {
    const now = this.platform.clock();
    const shown = fresh ? await this.activeNow(now) : await this.activeShared(now);
    if (shown) {
      this.followed = shown.trace_no;
      return shown;
    }
    if (!this.followed) return undefined;
    const last = await findOrder(this.platform.store.db, this.appid, this.followed);
    if (!last || !worthShowing(last, now) || now - (last.finished_at ?? last.updated_at) > RESULT_SHOW_MS) {
      this.followed = undefined;
      return undefined;
    }
    return last;
  }

  private async activeNow(now: number): Promise<OrderTable | undefined> {
    const active = await this.platform.store.db
      .selectFrom('orders')
      .selectAll()
      .where('state', 'in', ['init', 'ing'])
      .where('expire_at', '>', now)
      .where('appid', '=', this.appid)
      .where('term_no', '=', this.termNo)
      .where('kind', '=', 'recharge')
      .orderBy('updated_at', 'desc')
      .limit(ACTIVE_LOOKED_AT)
      .execute();
    return active.find((order) => worthShowing(order, now));
  }

  private async activeShared(now: number): Promise<OrderTable | undefined> {
    const active = (await this.shared.of(this.appid, this.termNo, now)).slice(0, ACTIVE_LOOKED_AT);
    const entry: ActiveEntry | undefined = active.find((order) => worthShowing(order, now));
    return entry && (await findOrder(this.platform.store.db, this.appid, entry.trace_no));
  }
}
