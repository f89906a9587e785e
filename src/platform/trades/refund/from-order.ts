import { sql } from 'kysely';
import type { ParamOf } from '../../../protocol/catalog/index.js';
import { type Answer, fail, SpecError } from '../../../protocol/codes.js';
import { formatFen } from '../../../protocol/money.js';
import type { App } from '../../apps/registry.js';
import type { ChannelResult } from '../../channels/types.js';
import { transfer } from '../../ledger/journal.js';
import type { Platform } from '../../platform.js';
import { groupCommit } from '../../store/group-commit.js';
import type { OrderTable } from '../../store/index.js';
import { type DepositHolder, holderOf } from '../holders/index.js';
import { findOrder, insertOrder, newTraceNo } from '../orders.js';
import { rechargeDetail } from '../pay/detail.js';
import { answerOfWinner } from '../replay.js';
import { awaitTransfer } from './await-transfer.js';
import { claimDeskRow } from './desk-row.js';
import { paidOut, refundPaidOut } from './entries.js';
import { finishRefund } from './finish.js';
import { passRefundGate } from './gate.js';
import { refundOfflineInOneCall } from './one-call.js';
import { AWAITS_TRANSFER, refundChannel } from './route.js';

/** A hop.trade.refund param as validation leaves it. */
export type RefundParam = ParamOf<'hop.trade.refund'>;

/** A refund request once authenticated and hashed: what refundFromOrder needs besides the order. */
export interface RefundCall {
  readonly app: App;
  readonly platform: Platform;
  readonly now: number;
  readonly param: RefundParam;
  readonly hash: string;
  /** The amount asked, in fen: validation's, or the one the refund desk stored from it. */
  readonly requestedFen: number;
}

/**
 * Refunds from one recharge order, chosen by the HIS (traceNo/outChargeNo)
 * or by the operator at the refund desk. The desk passes its own row, which
 * waits in "init" holding outRefundNo: it is claimed instead of inserted, so
 * the waiting client's replay turns into this refund's answer.
 */
export async function refundFromOrder(
  call: RefundCall,
  orig: OrderTable,
  desk?: { readonly traceNo: string },
): Promise<Answer> {
  const { app, platform, now, param, hash, requestedFen } = call;
  const outRefundNo = param.outRefundNo;
  if (orig.kind !== 'recharge') return fail('040008', `未找到原充值交易 ${orig.out_no}`);
  if (orig.state !== 'succ') return fail('040007', `原充值交易状态为 ${orig.state}`);
  const origDetail = rechargeDetail(orig);
  const owner = origDetail.patient;
  if (
    owner.cardNo !== param.cardNo ||
    owner.accountType !== param.accountType ||
    owner.hisCustId !== param.hisCustId
  ) {
    return fail('034007', '原交易不属于该患者账户');
  }
  const paidChannel = origDetail.paidChannel ?? orig.channel;
  const tradeChannel = param.tradeChannel;
  if (tradeChannel !== '' && tradeChannel !== orig.channel && tradeChannel !== paidChannel) {
    return fail('034009', `原交易渠道为 ${paidChannel}, 与 tradeChannel ${tradeChannel} 不符`);
  }
  const refundableFen = orig.amount_fen - orig.refunded_fen;
  if (refundableFen <= 0) return fail('034001', '该订单已全部退款');
  // The spec's succAmount rule: at the refund desk the operator picks an order, and
  // a request larger than what is left on it refunds what is left. Without the desk
  // the HIS named the order itself, so asking too much is an error.
  const atDesk = desk !== undefined;
  if (!atDesk && requestedFen > refundableFen) {
    return fail('034001', `申请 ${formatFen(requestedFen)} 元, 可退 ${formatFen(refundableFen)} 元`);
  }
  const succFen = Math.min(requestedFen, refundableFen);

  const route = refundChannel(param.withdrawMode, paidChannel);
  const holder = await holderOf(platform, app, 'refund');
  const refundTraceNo = desk?.traceNo ?? newTraceNo(now);
  const termNo = param.termNo;
  const row: OrderTable = {
    trace_no: refundTraceNo,
    appid: app.appid,
    kind: 'refund',
    out_no: outRefundNo,
    request_hash: hash,
    state: 'ing',
    amount_fen: succFen,
    channel: route.channel,
    account_no: orig.account_no,
    orig_trace_no: orig.trace_no,
    refunded_fen: 0,
    answer: null,
    detail: JSON.stringify({
      param,
      payTraceNo: orig.trace_no,
      paidChannel,
      withdrawMode: param.withdrawMode,
      refundType: param.refundType,
      holder: holder.name,
      history: [{ at: now, event: 'created' }],
    }),
    term_no: termNo,
    created_at: now,
    updated_at: now,
    finished_at: null,
    expire_at: null,
  };

  let reserved: Answer | 'lost' | 'reserved';
  try {
    reserved = await reserve(platform, holder, orig, row, route.viaChannel, atDesk);
  } catch (error) {
    if (error instanceof SpecError) return error.toAnswer();
    throw error;
  }
  if (reserved === 'lost') {
    return answerOfWinner(platform, { appid: app.appid, kind: 'refund', outNo: outRefundNo }, hash);
  }
  if (reserved !== 'reserved') return reserved; // paid out offline in the same transaction

  const refused = await holder.beforeRefund(platform, row, owner, param.refundType);
  if (refused) return refused;
  // The holder's step may have written to the order (the HIS's receipt, which tells the sweep the HIS
  // answered): what follows works from the order as stored, so that is not written over.
  const stepped = holder.stepsIntoRefunds
    ? ((await findOrder(platform.store.db, app.appid, row.trace_no)) ?? row)
    : row;
  if (route.channel === AWAITS_TRANSFER) return awaitTransfer(platform, stepped);
  if (!route.viaChannel) return finishRefund(platform, stepped, { state: 'success' });
  let result: ChannelResult;
  try {
    result = await (await platform.channels.adapterFor(app, paidChannel)).refund({
      refundTraceNo,
      payTraceNo: orig.trace_no,
      appid: app.appid,
      channel: paidChannel,
      amountFen: succFen,
      totalFen: orig.amount_fen,
      reason: param.notes || '预交金退款',
    });
  } catch (error) {
    platform.log.error({ err: error, refundTraceNo }, 'channel refund failed to answer');
    result = { state: 'unknown', message: '渠道退款应答异常' };
  }
  return finishRefund(platform, stepped, result);
}

/**
 * One transaction: claim outRefundNo, pass the order's refund gate (the
 * minimum interval, 044003), count the amount against the order's
 * refundable total (guarded, so concurrent refunds can never exceed it), and
 * move it from the deposit to "in flight". An offline route (cash, bank
 * transfer…) completes here too; on PostgreSQL, from the deposit, that is one
 * call instead (refund/one-call.ts): the same rows, the locks held for one
 * round trip.
 */
async function reserve(
  platform: Platform,
  holder: DepositHolder,
  orig: OrderTable,
  row: OrderTable,
  viaChannel: boolean,
  fromDesk: boolean,
): Promise<Answer | 'lost' | 'reserved'> {
  const now = row.created_at;
  const accountNo = orig.account_no;
  const intervalMs = platform.settings.refundMinIntervalMs;
  // A holder with its own refund step (an external HIS) makes even an offline route wait for it;
  // a bank transfer waits for finance to say it was made.
  const paysOutHere = !viaChannel && !holder.stepsIntoRefunds && row.channel !== AWAITS_TRANSFER;
  if (platform.store.dialect === 'postgres' && paysOutHere && !fromDesk && accountNo) {
    return refundOfflineInOneCall(platform.store, row, accountNo, intervalMs);
  }
  return groupCommit(platform.store).run(async (trx) => {
    const claimed = fromDesk ? await claimDeskRow(trx, row) : await insertOrder(trx, row);
    if (!claimed) return 'lost';
    if (!(await passRefundGate(trx, orig.trace_no, now, intervalMs))) throw new SpecError('044003');
    const counted = await trx
      .updateTable('orders')
      .set({ refunded_fen: sql`refunded_fen + ${row.amount_fen}`, updated_at: now })
      .where('trace_no', '=', orig.trace_no)
      .where(sql<boolean>`refunded_fen + ${row.amount_fen} <= amount_fen`)
      .executeTakeFirst();
    if (Number(counted.numUpdatedRows) !== 1) throw new SpecError('034001', '超过订单可退金额');
    await holder.takeForRefund(trx, row);
    if (!paysOutHere) return 'reserved';
    await transfer(trx, refundPaidOut(row));
    const { answer, done } = paidOut(row);
    await trx.updateTable('orders').set(done).where('trace_no', '=', row.trace_no).execute();
    return answer;
  });
}
