import { fail } from '../../../protocol/codes.js';
import { transfer } from '../../ledger/journal.js';
import { orderDetail } from '../orders.js';
import { receivePayment } from '../pay/receive.js';
import { recpayAnswer } from '../recpay/answer.js';
import { afterPaid, revenueAccount } from '../recpay/settle.js';
import { refundLeaves } from '../refund/entries.js';
import { giveBackTo } from '../refund/give-back.js';
import type { DepositHolder } from './holder.js';
import { noRefundStep } from './no-refund-step.js';

/** An exam bill paid straight: the money is the hospital's revenue, no deposit holds it. */
export const revenueHolder: DepositHolder = {
  name: 'revenue',
  keepsAccounts: false,
  settlesFrom: ['ing', 'init'],
  async receive(trx, _platform, _app, order, paid) {
    const answer = recpayAnswer({ traceNo: order.trace_no, paidAt: paid.paidAt, tradeState: '0' });
    const received = await receivePayment(trx, order, {
      from: ['ing', 'init'],
      channel: paid.channel,
      move: {
        state: 'succ',
        answer,
        finishedAt: paid.paidAt,
        detail: { ...orderDetail(order), paidChannel: paid.channel, resultDesc: '交易成功' },
      },
      to: revenueAccount(order.appid),
      memo: `exam bill ${order.out_no}`,
      now: paid.now,
    });
    if (!received) return undefined;
    await afterPaid(trx, order, paid.now);
    return answer;
  },
  afterReceived: async (_platform, _app, _order, received) => received,
  resolveHeld: async () => false,
  // Exam bills open no deposit: hop.account.info asks the app's deposit holder, never this one.
  accountInfo: async () => fail('031003', '检查单收费不设预交金账户'),
  heldIn: (row) => revenueAccount(row.appid),
  stepsIntoRefunds: false,
  async takeForRefund(trx, row) {
    await transfer(trx, { ...refundLeaves(row, revenueAccount(row.appid)), memo: `cancel ${row.out_no}` });
  },
  giveBack: (trx, row, memo, now) => giveBackTo(trx, row, revenueAccount(row.appid), memo, now),
  ...noRefundStep,
};
