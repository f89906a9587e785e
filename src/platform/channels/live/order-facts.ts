import type { Store } from '../../store/index.js';
import type { OrderFacts } from './gateways.js';

/** One of an app's orders as a gateway adapter may know it: amount, expiry, the payment a refund reverses. */
export async function orderFacts(
  store: Store,
  appid: string,
  traceNo: string,
): Promise<OrderFacts | undefined> {
  const row = await store.db
    .selectFrom('orders')
    .select(['amount_fen', 'channel', 'expire_at', 'orig_trace_no'])
    .where('trace_no', '=', traceNo)
    .where('appid', '=', appid)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    amountFen: Number(row.amount_fen),
    channel: row.channel,
    ...(row.expire_at !== null ? { expireAt: Number(row.expire_at) } : {}),
    ...(row.orig_trace_no ? { origTraceNo: row.orig_trace_no } : {}),
  };
}
