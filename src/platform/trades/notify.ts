import { fail } from '../../protocol/codes.js';
import { publishOrder } from '../events/bus.js';
import type { Platform } from '../platform.js';
import { paymentRef, updateOrder } from './orders.js';
import { settleOrder } from './settle-order.js';

/**
 * A channel says a payment changed (Alipay's async notify, the sandbox
 * wallet…). The notification itself is not trusted for the outcome: the
 * channel is asked, and its answer settles the order.
 */
export async function onChannelNotify(platform: Platform, traceNo: string, appid?: string): Promise<void> {
  const order = await platform.store.db
    .selectFrom('orders')
    .selectAll()
    .where('trace_no', '=', traceNo)
    .executeTakeFirst();
  if (!order || (order.kind !== 'recharge' && order.kind !== 'recpay') || order.channel === '') return;
  // A gateway's notification names the app it was sent for: it never moves another app's order.
  if (appid !== undefined && order.appid !== appid) return;
  const adapter = await platform.channelFor(order.appid, order.channel);
  const result = await adapter.query(paymentRef(order));
  if (result.state === 'success') {
    await settleOrder(platform, order, result);
    publishOrder(order); // the desk and the patient's screen show it at once instead of at their next poll
    return;
  }
  if (result.state === 'fail' && order.state === 'ing') {
    await updateOrder(
      platform.store.db,
      order.trace_no,
      ['ing'],
      {
        state: 'fail',
        answer: fail('032002', result.message ?? '患者支付失败'),
        finishedAt: platform.clock(),
      },
      platform.clock(),
    );
    publishOrder(order);
  }
}
