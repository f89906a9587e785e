import { accountType, cardType, f, idNo, notes, operatorId, operatorName, out, termNo } from './fields.js';
import type { TransTypeSpec } from './types.js';

/** 预交金账户信息查询. */
export const accountInfo = {
  name: 'hop.account.info',
  title: '查询预交金账户信息',
  group: '统一支付类接口',
  handledBy: 'platform',
  request: [
    operatorId,
    termNo,
    operatorName,
    cardType,
    f('cardNo', 'Char(32)', 'N', '卡号'),
    accountType,
    idNo,
    notes,
  ],
  response: [
    out('cardType', '', '卡类型', { dict: 'cardType' }),
    out('cardNo', '', '卡号'),
    out('hisCustID', '', '持卡人院内 ID'),
    out('balance', '', '余额', { rule: 'amountOrZero' }),
    out('idType', '', '证件类型', { dict: 'idType' }),
    out('idNo', '', '证件号'),
    out('userName', '', '用户姓名'),
    out('userSex', '', '性别', { note: '1 男 2 女 (另有 0 未知 9 未说明)', dict: 'userSex' }),
    out('accountType', '', '账户类型', { note: '01 门诊预交金账户 02 住院预交金账户', dict: 'accountType' }),
    out('accountNo', '', '预交金账户 ID'),
    out('status', '', '账户状态', { note: '01: 正常 02: 挂失 03: 冻结 04: 注销', dict: 'accountStatus' }),
  ],
} satisfies TransTypeSpec;
