import { type Answer, fail } from '../../protocol/codes.js';
import { ACCOUNT_STATUS } from '../../protocol/dictionaries.js';
import { formatFen } from '../../protocol/money.js';
import type { Handler } from '../gateway/context.js';
import type { DepositProvider } from '../his/types.js';
import { findAccount } from '../ledger/accounts.js';

/** hop.account.info: the patient's deposit account held by the platform's ledger. */
export const accountInfo: Handler = async (ctx, param) => {
  const provider = await ctx.platform.providerOfApp(ctx.app.appid);
  if (provider) return accountInfoFromHis(provider, param);
  const account = await findAccount(ctx.platform.store.db, {
    appid: ctx.app.appid,
    cardType: String(param['cardType']),
    cardNo: String(param['cardNo']),
    accountType: String(param['accountType']),
  });
  if (!account)
    return fail(
      '031003',
      `未找到卡号 ${String(param['cardNo'])} 的${param['accountType'] === '02' ? '住院' : '门诊'}预交金账户`,
    );
  const idNo = param['idNo'];
  const storedIdNo = ctx.platform.patientData.open(account.id_no);
  if (typeof idNo === 'string' && idNo !== '' && storedIdNo && idNo !== storedIdNo) {
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
};

/** An external HIS holds the deposit: its own account record answers. */
async function accountInfoFromHis(
  provider: DepositProvider,
  param: Record<string, unknown>,
): Promise<Answer> {
  const account = await provider.accountInfo({
    appid: '',
    cardType: String(param['cardType']),
    cardNo: String(param['cardNo']),
    accountType: String(param['accountType']),
    hisCustId: '',
  });
  if (!account) return fail('031003', `HIS 未找到卡号 ${String(param['cardNo'])} 的预交金账户`);
  const status = accountStatus(account.status);
  if (!status) return fail('999999', `HIS 返回的账户状态 ${account.status.slice(0, 8)} 不在 01–04 之内`);
  return {
    respCode: '000000',
    respMsg: '处理成功',
    param: {
      cardType: account.cardType,
      cardNo: account.cardNo,
      hisCustID: account.hisCustId,
      balance: formatFen(account.balanceFen),
      idType: account.idType,
      idNo: account.idNo,
      userName: account.userName,
      userSex: account.userSex,
      accountType: account.accountType,
      accountNo: account.accountNo,
      status,
    },
  };
}

/** The spec's 账户状态 (01–04) from what a HIS answered; a single digit 1–4 is read as its two-digit code. */
export function accountStatus(value: string): keyof typeof ACCOUNT_STATUS | undefined {
  const code = value.length === 1 ? `0${value}` : value;
  return Object.hasOwn(ACCOUNT_STATUS, code) ? (code as keyof typeof ACCOUNT_STATUS) : undefined;
}
