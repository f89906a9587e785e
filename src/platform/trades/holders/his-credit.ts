import { type Answer, fail } from '../../../protocol/codes.js';
import type { App } from '../../apps/registry.js';
import type { ChannelResult } from '../../channels/types.js';
import { hisLedgerAccount } from '../../his/provider.js';
import type { DepositProvider } from '../../his/types.js';
import { clearingAccount, transfer } from '../../ledger/journal.js';
import type { Platform } from '../../platform.js';
import { groupCommit } from '../../store/group-commit.js';
import type { OrderTable } from '../../store/index.js';
import { updateOrder } from '../orders.js';
import { rechargeDetail } from '../pay/detail.js';
import { rechargeAnswer } from '../recharge/answer.js';

/**
 * Credits the HIS for a recharge whose money is in (state "exp": received,
 * HIS not yet credited), under the order's trace number (idempotent there, so
 * the sweep can simply call again). An explicit HIS refusal sends the money
 * back by the original route, as the spec promises ("明确返回失败,
 * 充值金额会直接原路退回").
 */
export async function creditHis(
  platform: Platform,
  app: App,
  provider: DepositProvider,
  order: OrderTable,
): Promise<Answer> {
  const detail = rechargeDetail(order);
  const hisOrderNo = typeof detail.param['hisOrderNo'] === 'string' ? detail.param['hisOrderNo'] : undefined;
  let outcome: Awaited<ReturnType<DepositProvider['credit']>>;
  try {
    outcome = await provider.credit(
      order.trace_no,
      platform.patientData.openFields(detail.patient),
      order.amount_fen,
      hisOrderNo,
    );
  } catch (error) {
    platform.log.error({ err: error, traceNo: order.trace_no }, 'HIS credit threw');
    outcome = { state: 'unknown', message: 'HIS 应答异常' };
  }
  const now = platform.clock();
  const channel = detail.paidChannel ?? order.channel;
  if (outcome.state === 'ok') {
    const answer = rechargeAnswer(app.config, {
      traceNo: order.trace_no,
      balanceFen: outcome.balanceFen ?? 0,
      channel,
      paidAt: order.finished_at ?? now,
      callsn: outcome.callsn,
      resNote: '充值成功',
      ...(detail.posExtra ? { posExtra: detail.posExtra } : {}),
      tradeState: '0',
    });
    await updateOrder(
      platform.store.db,
      order.trace_no,
      ['exp'],
      { state: 'succ', answer, detail: { ...detail, callsn: outcome.callsn, resultDesc: '交易成功' } },
      now,
    );
    return answer;
  }
  if (outcome.state === 'unknown') {
    // Never guessed: the sweep credits again under the same trace number.
    const answer = fail('040038', `HIS 入账结果未知 (${outcome.message}), 请稍候查询`);
    await updateOrder(platform.store.db, order.trace_no, ['exp'], { state: 'exp', answer }, now);
    return answer;
  }
  return refundRefusedRecharge(platform, app, order, outcome.message ?? '');
}

/**
 * The HIS refused to credit a recharge whose money is in: it goes back by
 * the original route under one refund number (`<trace>R`, so asking again,
 * by the platform or by finance from the console, can pay it at most once).
 * Paid back: the order fails and the money leaves the HIS's ledger account
 * for the channel's clearing account. Refused or unknown: the order waits
 * for a person (manual), its money still received.
 */
export async function refundRefusedRecharge(
  platform: Platform,
  app: App,
  order: OrderTable,
  hisMessage: string,
): Promise<Answer> {
  const detail = rechargeDetail(order);
  const channel = detail.paidChannel ?? order.channel;
  let refund: ChannelResult;
  try {
    refund = await (await platform.channels.adapterFor(app, channel)).refund({
      refundTraceNo: `${order.trace_no}R`,
      payTraceNo: order.trace_no,
      appid: order.appid,
      channel,
      amountFen: order.amount_fen,
      totalFen: order.amount_fen,
      reason: 'HIS 入账失败, 原路退回',
    });
  } catch (error) {
    platform.log.error(
      { err: error, traceNo: order.trace_no },
      'refund by the original route failed to answer',
    );
    refund = { state: 'unknown', message: '渠道退款应答异常' };
  }
  const now = platform.clock();
  if (refund.state !== 'success') {
    const answer = fail(
      '040004',
      `HIS 入账失败 (${hisMessage}); 原路退回${refund.state === 'fail' ? '失败' : '结果未知'}, 需人工处理`,
    );
    await updateOrder(
      platform.store.db,
      order.trace_no,
      ['exp'],
      { state: 'exp', answer, detail: { ...detail, manual: true, autoRefund: refund.state } },
      now,
    );
    return answer;
  }
  const answer = fail('040004', `HIS 入账失败 (${hisMessage}); 充值金额已原路退回`);
  await groupCommit(platform.store).run(async (trx) => {
    const moved = await updateOrder(
      trx,
      order.trace_no,
      ['exp'],
      {
        state: 'fail',
        answer,
        detail: { ...detail, autoRefund: 'success', manual: false, resultDesc: answer.respMsg },
      },
      now,
    );
    if (!moved) return;
    await transfer(trx, {
      traceNo: order.trace_no,
      appid: order.appid,
      debit: hisLedgerAccount(order.appid),
      credit: clearingAccount(channel, order.term_no),
      amountFen: order.amount_fen,
      memo: 'HIS refused the credit: refunded by the original route',
      now,
    });
  });
  return answer;
}
