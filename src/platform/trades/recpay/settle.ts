import type { Answer } from '../../../protocol/codes.js';
import { text } from '../../../protocol/text.js';
import type { ChannelResult } from '../../channels/types.js';
import type { Platform } from '../../platform.js';
import { groupCommit } from '../../store/group-commit.js';
import type { OrderTable } from '../../store/index.js';
import { enqueue, TRADE_TOPICS } from '../outbox.js';
import type { RechargeDetail } from '../pay/detail.js';
import { receivePayment } from '../pay/receive.js';
import { recpayAnswer } from './answer.js';

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
  const detail = JSON.parse(order.detail) as RechargeDetail;
  const extra = (detail.param['extra'] ?? {}) as Record<string, unknown>;
  await enqueue(trx, {
    appid: order.appid,
    topic: TRADE_TOPICS.hisRecpay,
    eventId: `his-recpay-${order.trace_no}`,
    payload: {
      traceNo: order.trace_no,
      outTradeNo: order.out_no,
      hisCustId: detail.patient.hisCustId,
      examList: extra['examList'],
      medicalParam: extra['medicalParam'],
      patientType: extra['patientType'],
    },
    now,
  });
  const notifyUrl = text(extra['notifyUrl']);
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

/** The channel took the self-paid part of an exam bill: revenue, events, final answer — once. */
export async function settleRecpay(
  platform: Platform,
  order: OrderTable,
  result: ChannelResult,
): Promise<Answer | undefined> {
  const now = platform.clock();
  const channel = result.paidChannel ?? order.channel;
  const answer = recpayAnswer({ traceNo: order.trace_no, paidAt: result.paidAt ?? now, tradeState: '0' });
  const done = await groupCommit(platform.store).run(async (trx) => {
    const received = await receivePayment(trx, order, {
      from: ['ing', 'init'],
      channel,
      move: {
        state: 'succ',
        answer,
        finishedAt: result.paidAt ?? now,
        detail: { ...(JSON.parse(order.detail) as object), paidChannel: channel, resultDesc: '交易成功' },
      },
      to: revenueAccount(order.appid),
      memo: `exam bill ${order.out_no}`,
      now,
    });
    if (received) await afterPaid(trx, order, now);
    return received;
  });
  return done ? answer : undefined;
}
