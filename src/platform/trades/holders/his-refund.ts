import { type Answer, fail } from '../../../protocol/codes.js';
import { hisLedgerAccount } from '../../his/provider.js';
import type { DepositProvider, PatientRef } from '../../his/types.js';
import type { Platform } from '../../platform.js';
import { groupCommit } from '../../store/group-commit.js';
import type { OrderTable } from '../../store/index.js';
import { orderDetail, updateOrder } from '../orders.js';
import { giveBackTo, uncountRefund } from '../refund/give-back.js';

/**
 * The HIS's part of a refund before any money goes back (refundType):
 * direct — the HIS refunds first; prepareAndConfirm — the HIS reserves
 * first; hisDecide — the HIS has no refund interface, nothing to ask.
 * Answers the refusal, or null to go on to the channel.
 */
export async function hisStep(
  platform: Platform,
  provider: DepositProvider,
  row: OrderTable,
  patient: PatientRef,
  refundType: string,
): Promise<Answer | null> {
  if (refundType !== 'direct' && refundType !== 'prepareAndConfirm') return null;
  const orig = row.orig_trace_no ?? '';
  let outcome: Awaited<ReturnType<DepositProvider['refund']>>;
  // The order keeps the patient sealed; the HIS is told the numbers in clear.
  const told = platform.patientData.openFields(patient);
  try {
    outcome =
      refundType === 'direct'
        ? await provider.refund(row.trace_no, told, row.amount_fen, orig)
        : await provider.preRefund(row.trace_no, told, row.amount_fen, orig);
  } catch (error) {
    platform.log.error({ err: error, traceNo: row.trace_no }, 'HIS refund step threw');
    outcome = { state: 'unknown', message: 'HIS 应答异常' };
  }
  if (outcome.state === 'ok') {
    await platform.store.db
      .updateTable('orders')
      .set({
        detail: JSON.stringify({ ...orderDetail(row), hisCallsn: outcome.callsn }),
        updated_at: platform.clock(),
      })
      .where('trace_no', '=', row.trace_no)
      .execute();
    return null;
  }
  if (outcome.state === 'fail')
    return release(platform, row, fail('040004', `HIS 拒绝退款: ${outcome.message}`));
  // The HIS may or may not have moved the deposit: the money stays in flight until a person or the HIS says.
  const answer = fail('040041', outcome.message);
  const now = platform.clock();
  await updateOrder(
    platform.store.db,
    row.trace_no,
    ['ing'],
    {
      state: 'exp',
      answer,
      detail: { ...orderDetail(row), manual: true, resultDesc: 'HIS 退款结果未知, 需人工处理' },
    },
    now,
  );
  return answer;
}

/** The HIS refused before anything left: undo the reservation, the refund simply failed. */
async function release(platform: Platform, row: OrderTable, answer: Answer): Promise<Answer> {
  const now = platform.clock();
  await groupCommit(platform.store).run(async (trx) => {
    const moved = await updateOrder(
      trx,
      row.trace_no,
      ['ing'],
      { state: 'fail', answer, finishedAt: now, detail: { ...orderDetail(row), resultDesc: answer.respMsg } },
      now,
    );
    if (!moved) return;
    await giveBackTo(trx, row, hisLedgerAccount(row.appid), 'HIS refused the refund', now);
    await uncountRefund(trx, row, now);
  });
  return answer;
}
