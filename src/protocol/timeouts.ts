/**
 * Every timeout on the road of one call, in one place and in order. Each
 * waiter gives up only after what it waits for has given up, plus a margin:
 * a barcode payment still paying at the last poll reaches the HIS as its real
 * answer, never as "unknown" (-3/-28) while the platform logged an outcome.
 *
 *   HIS ─▶ DLL ─▶ bridge ─▶ Node client ─▶ platform server ─▶ channel / HIS deposit API
 *
 * Pure numbers; the platform, the client, the bridge and the DLL's defaults
 * (native/, checked by a test) read them from here.
 */

/** A barcode payment still "paying" (the patient typing a password) is polled this often… */
export const BARCODE_POLL_INTERVAL_MS = 2_000;
/** …this many times, then cancelled (撤销). */
export const BARCODE_POLL_MAX = 15;

/**
 * One call to a payment gateway (the WeChat adapter's default timeout). The
 * polls' queries are counted in their interval: a gateway answers a query in
 * well under a second, and one that hangs makes the whole call end in the
 * cancel, whose own call is counted below.
 */
const CHANNEL_CALL_MS = 10_000;
/** One call to an external HIS's deposit API (HttpDepositProvider's default). */
export const HIS_CALL_MS = 10_000;

/** What each waiter adds above what it waits for. */
export const MARGIN_MS = 10_000;

/**
 * The longest bounded call behind the API: a barcode recharge asks the gateway
 * to pay, polls BARCODE_POLL_MAX times, cancels, and credits an external HIS.
 */
export const LONGEST_PLATFORM_CALL_MS =
  CHANNEL_CALL_MS + BARCODE_POLL_MAX * BARCODE_POLL_INTERVAL_MS + CHANNEL_CALL_MS + HIS_CALL_MS;

/**
 * The platform server keeps a connection whose call is still being worked on
 * this long (Fastify's connectionTimeout: the socket is silent meanwhile).
 */
export const SERVER_CALL_TIMEOUT_MS = LONGEST_PLATFORM_CALL_MS + MARGIN_MS;

/** Receiving a whole request (a few KB): a slower one is a stuck or hostile peer. Server and bridge. */
export const REQUEST_RECEIVE_TIMEOUT_MS = 30_000;

/** The platform keeps an idle kept-alive connection this long… */
export const SERVER_KEEP_ALIVE_MS = 65_000;
/** …and the client drops its idle ones first, so it never sends on a socket the server is closing. */
export const CLIENT_KEEP_ALIVE_MS = 30_000;

/** The Node client waits this long for the answer once the request is sent; past it, -28. */
export const CLIENT_ANSWER_TIMEOUT_MS = SERVER_CALL_TIMEOUT_MS + MARGIN_MS;

/**
 * How long the bridge waits past the cashier desk's wait. The desk's last
 * replay may start just before the desk gives up and take up to
 * CLIENT_ANSWER_TIMEOUT_MS; five minutes leaves room beyond that, and is what
 * the DLL's own default (16 min = 10 min desk + 5 min + 1 min) was built on.
 */
export const BRIDGE_BEYOND_DESK_MS = 5 * 60_000;

/** The bridge waits for one payTrans this long; past it, -28. */
export function bridgeAnswerTimeoutMs(deskTimeoutMs: number): number {
  return deskTimeoutMs + BRIDGE_BEYOND_DESK_MS;
}
