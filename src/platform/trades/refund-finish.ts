import { sql } from 'kysely';
import { type Answer, fail } from '../../protocol/codes.js';
import type { ChannelResult } from '../channels/types.js';
import { depositLedgerAccount } from '../ledger/accounts.js';
import { clearingAccount, moveDepositBalance, refundingAccount, transfer } from '../ledger/journal.js';
import type { Platform } from '../platform.js';
import type { OrderTable } from '../store/index.js';
import { orderDetail, updateOrder } from './orders.js';
import { refundAnswer } from './refund-answer.js';

/**
 * The channel answered a refund. Success pays the in-flight money out; a
 * definite failure puts it back on the deposit and the order's refundable
 * total; pending and unknown keep it in flight for the recovery sweep — an
 * unknown refund is never taken for a failed one.
 */
export async function finishRefund(
  platform: Platform,
  row: OrderTable,
  result: ChannelResult,
): Promise<Answer> {
  const now = platform.clock();
  const detail = orderDetail(row);
  const history = [
    ...((detail['history'] as unknown[]) ?? []),
    { at: now, event: `channel ${result.state}` },
  ];
  if (result.state === 'success') {
    const answer = refundAnswer({
      refundTraceNo: row.trace_no,
      outRefundNo: row.out_no,
      channel: row.channel,
      succFen: row.amount_fen,
      at: result.paidAt ?? now,
    });
    const done = await platform.store.db.transaction().execute(async (trx) => {
      const moved = await updateOrder(
        trx,
        row.trace_no,
        ['ing', 'exp'],
        { state: 'succ', answer, finishedAt: now, detail: { ...detail, history, resultDesc: '退款成功' } },
        now,
      );
      if (!moved) return false;
      await transfer(trx, {
        traceNo: row.trace_no,
        appid: row.appid,
        debit: refundingAccount(row.trace_no),
        credit: clearingAccount(row.channel, row.term_no),
        amountFen: row.amount_fen,
        memo: `refund paid by ${row.channel}`,
        now,
      });
      return true;
    });
    return done ? answer : currentAnswer(platform, row);
  }
  if (result.state === 'fail' || result.state === 'closed' || result.state === 'revoked') {
    const answer = fail('032002', `退款失败: ${result.message ?? '渠道拒绝'}; 金额已退回预交金账户`);
    const done = await platform.store.db.transaction().execute(async (trx) => {
      const moved = await updateOrder(
        trx,
        row.trace_no,
        ['ing', 'exp'],
        {
          state: 'fail',
          answer,
          finishedAt: now,
          detail: { ...detail, history, resultDesc: result.message ?? '退款失败' },
        },
        now,
      );
      if (!moved) return false;
      await transfer(trx, {
        traceNo: row.trace_no,
        appid: row.appid,
        debit: refundingAccount(row.trace_no),
        credit: depositLedgerAccount(row.account_no ?? ''),
        amountFen: row.amount_fen,
        memo: 'refund failed, back to deposit',
        now,
      });
      await moveDepositBalance(trx, row.account_no ?? '', row.amount_fen, now);
      await trx
        .updateTable('orders')
        .set({ refunded_fen: sql`refunded_fen - ${row.amount_fen}`, updated_at: now })
        .where('trace_no', '=', row.orig_trace_no ?? '')
        .execute();
      return true;
    });
    return done ? answer : currentAnswer(platform, row);
  }
  // pending or unknown: the money stays in flight; the answer says to query, and a retry replays it.
  const answer =
    result.state === 'pending'
      ? fail('040038', '退款正在处理, 请稍候查询交易结果')
      : fail('040040', result.message ?? '支付网关退款结果未知');
  await updateOrder(
    platform.store.db,
    row.trace_no,
    ['ing', 'exp'],
    { state: 'ing', answer, detail: { ...detail, history, needsQuery: true } },
    now,
  );
  return answer;
}

async function currentAnswer(platform: Platform, row: OrderTable): Promise<Answer> {
  const order = await platform.store.db
    .selectFrom('orders')
    .select('answer')
    .where('trace_no', '=', row.trace_no)
    .executeTakeFirst();
  return order?.answer ? (JSON.parse(order.answer) as Answer) : fail('040038');
}
