import { type Answer, fail } from '../../../protocol/codes.js';
import { formatFen } from '../../../protocol/money.js';
import type { App } from '../../apps/registry.js';
import { depositLedgerAccount, findAccount } from '../../ledger/accounts.js';
import { moveDepositBalance, transfer } from '../../ledger/journal.js';
import type { Platform } from '../../platform.js';
import { updateOrder } from '../orders.js';
import { rechargeDetail } from '../pay/detail.js';
import { creditDeposit } from '../recharge/credit-deposit.js';
import { refundLeaves } from '../refund/entries.js';
import { giveBackTo } from '../refund/give-back.js';
import type { AccountInfoParam, DepositHolder, Paid } from './holder.js';
import { noRefundStep } from './no-refund-step.js';

/** The platform's own deposit accounts: a paid recharge is credited at once, and the ledger answers. */
export const ledgerHolder: DepositHolder = {
  name: 'ledger',
  keepsAccounts: true,
  settlesFrom: ['ing', 'init'],
  async receive(trx, platform, app, order, paid) {
    const detail = rechargeDetail(order);
    const moved = await updateOrder(
      trx,
      order.trace_no,
      [order.state],
      {
        state: 'succ',
        finishedAt: paid.paidAt,
        detail: {
          ...detail,
          paidChannel: paid.channel,
          ...(paid.channelTradeNo ? { channelTradeNo: paid.channelTradeNo } : {}),
          ...(paid.posExtra ? { posExtra: { ...paid.posExtra } } : {}),
          resultDesc: '交易成功',
        },
      },
      paid.now,
    );
    if (!moved) return undefined; // another path settled it first
    return creditDeposit(trx, app, order, detail, withoutTradeNo(paid), platform.patientData);
  },
  afterReceived: async (_platform, _app, _order, received) => received,
  // The ledger never leaves a payment waiting for itself: an "exp" here is a person's to decide.
  resolveHeld: async () => false,
  accountInfo: ledgerAccountInfo,
  heldIn: (row) => depositLedgerAccount(row.account_no ?? ''),
  stepsIntoRefunds: false,
  async takeForRefund(trx, row) {
    if (!row.account_no) throw new Error(`refund ${row.trace_no} of a deposit has no account`);
    await transfer(trx, refundLeaves(row, depositLedgerAccount(row.account_no)));
    await moveDepositBalance(trx, row.account_no, -row.amount_fen, row.created_at);
  },
  async giveBack(trx, row, memo, now) {
    await giveBackTo(trx, row, depositLedgerAccount(row.account_no ?? ''), memo, now);
    await moveDepositBalance(trx, row.account_no ?? '', row.amount_fen, now);
  },
  ...noRefundStep,
};

/** creditDeposit takes the fields of Paid it stores; the channel's trade number went on the order above. */
function withoutTradeNo(paid: Paid): Parameters<typeof creditDeposit>[4] {
  return {
    channel: paid.channel,
    paidAt: paid.paidAt,
    now: paid.now,
    ...(paid.posExtra ? { posExtra: { ...paid.posExtra } } : {}),
  };
}

/** hop.account.info from the platform's own account. */
async function ledgerAccountInfo(platform: Platform, app: App, param: AccountInfoParam): Promise<Answer> {
  const account = await findAccount(platform.store.db, {
    appid: app.appid,
    cardType: param.cardType,
    cardNo: param.cardNo,
    accountType: param.accountType,
  });
  if (!account)
    return fail(
      '031003',
      `未找到卡号 ${param.cardNo} 的${param.accountType === '02' ? '住院' : '门诊'}预交金账户`,
    );
  const idNo = param.idNo;
  const storedIdNo = platform.patientData.open(account.id_no);
  if (idNo !== undefined && idNo !== '' && storedIdNo && idNo !== storedIdNo) {
    return fail('031003', '身份证号与账户不符');
  }
  return {
    respCode: '000000',
    respMsg: '处理成功',
    param: {
      cardType: account.card_type,
      cardNo: account.card_no,
      hisCustID: account.his_cust_id,
      balance: formatFen(account.balance_fen),
      idType: account.id_type ?? '',
      idNo: storedIdNo,
      userName: account.user_name,
      userSex: account.user_sex ?? '',
      accountType: account.account_type,
      accountNo: account.account_no,
      status: account.status,
    },
  };
}
