import { type Answer, fail } from '../../../protocol/codes.js';
import { ACCOUNT_STATUS } from '../../../protocol/dictionaries.js';
import { formatFen } from '../../../protocol/money.js';
import type { DepositProvider } from '../../his/types.js';
import type { AccountInfoParam } from './holder.js';

/** hop.account.info when an external HIS holds the deposit: its own account record answers. */
export async function accountInfoFromHis(
  provider: DepositProvider,
  param: AccountInfoParam,
): Promise<Answer> {
  const account = await provider.accountInfo({
    appid: '',
    cardType: param.cardType,
    cardNo: param.cardNo,
    accountType: param.accountType,
    hisCustId: '',
  });
  if (!account) return fail('031003', `HIS 未找到卡号 ${param.cardNo} 的预交金账户`);
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
