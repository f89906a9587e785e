/**
 * Which desk orders a HIS is still waiting for. A client at the desk replays
 * its request about once a second until the answer is final (client/desk.ts);
 * when it gives up (its desk timeout, the HIS closed) the replays stop, but
 * the order stays open until it expires. The extension screen shows an order
 * still at the cashier's choice only while someone waits for it, so the next
 * patient never sees the last one's amount.
 *
 * In-process like the change bus, so it holds only where every replay
 * reaches this process (one platform process per database). A worker of
 * several says otherwise (replaysReachOtherProcesses): its screens then show
 * every open desk order until it expires, as before this rule. Nothing that
 * moves money reads this.
 */

/** The client replays every second, and every 5 s at most while the platform does not answer. */
export const DESK_WAIT_LEASE_MS = 6_000;
/** Open desks per process worth remembering; past it the oldest are forgotten (the screen shows less). */
const MAX_REMEMBERED = 10_000;

const lastSeen = new Map<string, number>();
let seesEveryReplay = true;

/** This process is one of several serving the same database: a replay may land elsewhere. */
export function replaysReachOtherProcesses(): void {
  seesEveryReplay = false;
}

/** The HIS asked about this desk order at `now` (its first request or a replay). */
export function sawHisAtDesk(traceNo: string, now: number): void {
  lastSeen.delete(traceNo);
  lastSeen.set(traceNo, now);
  if (lastSeen.size > MAX_REMEMBERED) {
    const oldest = lastSeen.keys().next().value;
    if (oldest !== undefined) lastSeen.delete(oldest);
  }
}

/** Whether the HIS asked about the order within the lease (always, when this process cannot tell). */
export function hisWaitsAtDesk(traceNo: string, now: number): boolean {
  if (!seesEveryReplay) return true;
  const seen = lastSeen.get(traceNo);
  if (seen === undefined) return false;
  if (now - seen <= DESK_WAIT_LEASE_MS) return true;
  lastSeen.delete(traceNo);
  return false;
}
