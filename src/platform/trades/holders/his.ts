import { fail } from '../../../protocol/codes.js';
import { hisLedgerAccount } from '../../his/provider.js';
import type { DepositProvider } from '../../his/types.js';
import { transfer } from '../../ledger/journal.js';
import { findOrder } from '../orders.js';
import { rechargeDetail } from '../pay/detail.js';
import { receivePayment, settledAnswer } from '../pay/receive.js';
import { refundLeaves } from '../refund/entries.js';
import { giveBackTo } from '../refund/give-back.js';
import { accountInfoFromHis } from './his-account.js';
import { creditHis } from './his-credit.js';
import { hisStep } from './his-refund.js';
import type { DepositHolder } from './holder.js';

/**
 * An external HIS holds the deposits. A paid recharge first records the
 * money (state "exp": received, HIS not yet credited — journalled once,
 * guarded by that move), then the HIS is credited; the HIS knows its
 * patients and answers for their accounts; refunds take the HIS's steps
 * (refundType direct / prepareAndConfirm / hisDecide).
 */
export function hisHolder(provider: DepositProvider): DepositHolder {
  return {
    name: 'his',
    keepsAccounts: false,
    // "exp" is an order whose money is in and whose HIS credit is pending.
    settlesFrom: ['ing', 'init', 'exp'],
    async receive(trx, _platform, _app, order, paid) {
      const answer = fail('040038', '已收款, 正在 HIS 入账');
      const received = await receivePayment(trx, order, {
        from: [order.state],
        channel: paid.channel,
        move: {
          state: 'exp',
          answer,
          finishedAt: paid.paidAt,
          detail: {
            ...rechargeDetail(order),
            paidChannel: paid.channel,
            ...(paid.posExtra ? { posExtra: { ...paid.posExtra } } : {}),
          },
        },
        to: hisLedgerAccount(order.appid),
        memo: `recharge ${order.out_no} for the HIS`,
        now: paid.now,
      });
      return received ? answer : undefined;
    },
    async afterReceived(platform, app, order) {
      const current = await findOrder(platform.store.db, order.appid, order.trace_no);
      if (current?.state !== 'exp') return current && settledAnswer(current);
      return creditHis(platform, app, provider, current);
    },
    async resolveHeld(platform, app, order) {
      // Held for a person (the HIS refused and the money could not go back, an amount mismatch): not retried.
      if (rechargeDetail(order)['manual']) return false;
      return (await creditHis(platform, app, provider, order)).respCode === '000000';
    },
    accountInfo: (_platform, _app, param) => accountInfoFromHis(provider, param),
    heldIn: (row) => hisLedgerAccount(row.appid),
    // Even an offline refund waits for the HIS's step before it is paid out.
    stepsIntoRefunds: true,
    async takeForRefund(trx, row) {
      // The HIS holds the deposit: the money leaves what the platform passed to it.
      await transfer(trx, refundLeaves(row, hisLedgerAccount(row.appid)));
    },
    giveBack: (trx, row, memo, now) => giveBackTo(trx, row, hisLedgerAccount(row.appid), memo, now),
    beforeRefund: (platform, row, patient, refundType) =>
      hisStep(platform, provider, row, patient, refundType),
    stoppedBeforeAnswer: (detail) =>
      (detail['refundType'] === 'direct' || detail['refundType'] === 'prepareAndConfirm') &&
      detail['hisCallsn'] === undefined,
    async confirmPayout(row, refundType) {
      if (refundType !== 'prepareAndConfirm') return { state: 'ok' };
      const confirmed = await provider.confirmRefund(row.trace_no, true);
      return confirmed.state === 'ok' ? { state: 'ok' } : confirmed;
    },
    async onRefused(row, refundType) {
      // direct: the HIS has already taken the money off the deposit; giving it back is a person's decision.
      if (refundType === 'direct') return { giveBack: false };
      if (refundType === 'prepareAndConfirm') {
        // Release the reservation; 040018 if that fails: the HIS still holds it.
        const released = await provider.confirmRefund(row.trace_no, false);
        return released.state === 'ok'
          ? { giveBack: true, code: '032002', manual: false }
          : { giveBack: true, code: '040018', manual: true };
      }
      // hisDecide booked its own 退费 before asking, which only a person can undo.
      if (refundType === 'hisDecide' || refundType === '')
        return { giveBack: true, code: '040023', manual: true };
      return { giveBack: true, code: '032002', manual: false };
    },
    pendingCode: (refundType) => (refundType === 'direct' ? '040037' : undefined),
  };
}
