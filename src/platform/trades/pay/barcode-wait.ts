import type { ChannelResult } from '../../channels/types.js';
import type { Platform } from '../../platform.js';
import type { OrderTable } from '../../store/index.js';
import { paymentRef } from '../orders.js';

/**
 * A barcode payment still "paying" (the patient is typing a password) is
 * polled a bounded number of times, then cancelled (撤销) so the money can
 * never be taken after the desk gave up. The cancel's own outcome is
 * reported: revoked is a failure, success means it was paid after all.
 */
export async function awaitBarcode(
  platform: Platform,
  order: OrderTable,
  first: ChannelResult,
): Promise<ChannelResult> {
  const adapter = await platform.channelFor(order.appid, order.channel);
  const { barcodePollIntervalMs, barcodePollMax } = platform.settings;
  let last = first;
  for (let i = 0; i < barcodePollMax; i++) {
    await new Promise((r) => setTimeout(r, barcodePollIntervalMs));
    try {
      last = await adapter.query(paymentRef(order));
    } catch (error) {
      platform.log.warn({ err: error, traceNo: order.trace_no }, 'barcode query failed');
      last = { state: 'unknown', message: '查询渠道失败' };
    }
    if (last.state !== 'pending' && last.state !== 'unknown') return last;
  }
  try {
    const cancelled = await adapter.cancel(paymentRef(order));
    if (cancelled.state === 'revoked')
      return { ...cancelled, message: '用户未在规定时间内完成支付, 交易已撤销' };
    return cancelled;
  } catch (error) {
    platform.log.error({ err: error, traceNo: order.trace_no }, 'barcode cancel failed');
    return { state: 'unknown', message: '撤销结果未知, 请稍候查询交易结果' };
  }
}
