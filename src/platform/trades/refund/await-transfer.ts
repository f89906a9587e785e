import { type Answer, fail } from '../../../protocol/codes.js';
import type { Platform } from '../../platform.js';
import type { OrderTable } from '../../store/index.js';
import { updateOrder } from '../orders.js';
import { refundDetail } from './detail.js';

/**
 * withdrawMode 2: the money stays in flight (`refunding:<trace>`) and the
 * refund waits in the manual queue until finance confirms the transfer with
 * its reference (console/queue.ts); until then the answer and the query say
 * it is being processed.
 */
export async function awaitTransfer(platform: Platform, row: OrderTable): Promise<Answer> {
  const now = platform.clock();
  const answer = fail('040038', '退款已受理, 待财务完成银行转账, 请稍候查询交易结果');
  const detail = refundDetail(row);
  const moved = await updateOrder(
    platform.store.db,
    row.trace_no,
    ['ing'],
    {
      state: 'exp',
      answer,
      detail: {
        ...detail,
        awaitingTransfer: true,
        manual: true,
        resultDesc: '退款待财务确认银行转账',
        history: [...(detail.history ?? []), { at: now, event: 'waiting for the bank transfer' }],
      },
    },
    now,
  );
  if (moved) return answer;
  const current = await platform.store.db
    .selectFrom('orders')
    .select('answer')
    .where('trace_no', '=', row.trace_no)
    .executeTakeFirst();
  return current?.answer ? (JSON.parse(current.answer) as Answer) : answer;
}
