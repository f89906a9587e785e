import type { OrderTable } from '../../store/index.js';
import { enqueue, TRADE_TOPICS } from '../outbox.js';
import { recpayDetail } from './detail.js';

/** The ledger account of money the hospital has earned (exam bills paid straight, not into a deposit). */
export function revenueAccount(appid: string): string {
  return `revenue:${appid}`;
}

/** The events of a paid bill, written in the transaction that marks it paid. */
export async function afterPaid(
  trx: Parameters<typeof enqueue>[0],
  order: OrderTable,
  now: number,
): Promise<void> {
  const detail = recpayDetail(order);
  const { extra } = detail.param;
  await enqueue(trx, {
    appid: order.appid,
    topic: TRADE_TOPICS.hisRecpay,
    eventId: `his-recpay-${order.trace_no}`,
    payload: {
      traceNo: order.trace_no,
      outTradeNo: order.out_no,
      hisCustId: detail.patient.hisCustId,
      examList: extra.examList,
      medicalParam: extra.medicalParam,
      patientType: extra.patientType,
    },
    now,
  });
  const notifyUrl = extra.notifyUrl ?? '';
  if (notifyUrl !== '') {
    await enqueue(trx, {
      appid: order.appid,
      topic: TRADE_TOPICS.callback,
      eventId: `recpay-paid-${order.trace_no}`,
      payload: {
        url: notifyUrl,
        body: {
          transType: 'hop.trade.recpay',
          outTradeNo: order.out_no,
          traceNo: order.trace_no,
          result: 'succ',
        },
      },
      now,
    });
  }
}
