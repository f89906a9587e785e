import { f, out, withoutSpecMax } from './fields.js';
import type { TransTypeSpec } from './types.js';

const key = f('key', 'Char(32)', 'N', '腕带码编号');

/** 查询腕带账户信息. */
export const wbQueryAccount = {
  name: 'portal.wb.queryAccount',
  title: '查询腕带账户信息',
  group: '腕带支付类接口',
  handledBy: 'platform',
  request: [key],
  response: [
    out('balance', 'Char(32)', '账户余额', { rule: 'amountOrZero' }),
    out('idNo', 'Char(32)', '证件号'),
    out('userName', 'Char(32)', '账户姓名'),
  ],
} satisfies TransTypeSpec;

/** His 生成腕带码. */
export const wbGetWristbandCode = {
  name: 'portal.wb.getWristbandCode',
  title: 'His 生成腕带码',
  group: '腕带支付类接口',
  handledBy: 'platform',
  request: [
    f('cardType', 'Char(32)', 'N', '卡类型', { dict: 'cardType' }),
    f('cardNo', 'Char(32)', 'N', '卡号'),
    f('idNo', 'Char(32)', 'N', '身份证号'),
    // Declared Char(1), but the 证件类型 codes are two characters ("01"): a HIS
    // written to the table sends "1", one written to the dictionary "01"; both mean 01.
    withoutSpecMax(
      f('idType', 'Char(1)', 'N', '身份证类型', {
        note: '01 身份证 (表中写 Char(1), 证件类型码为 2 位: 1 位数字按补零理解, "1" 即 "01")',
        dict: 'idType',
        zeroPad: 2,
      }),
      2,
    ),
    f('operatorId', 'Char(32)', 'N', '操作员 id'),
    f('operatorName', 'Char(32)', 'N', '操作员姓名'),
    f('accountType', 'Char(32)', 'N', '账号类型', { dict: 'accountType' }),
    f('hospName', 'Char(32)', 'N', '医院名字'),
    f('userName', 'Char(32)', 'N', '用户姓名'),
  ],
  response: [out('key', 'Char(32)', '腕带 key'), out('Url', 'Char(256)', '腕带地址')],
} satisfies TransTypeSpec;

/** 取消腕带付. */
export const wbCancelQrCode = {
  name: 'portal.wb.cancelQrCode',
  title: '取消腕带付',
  group: '腕带支付类接口',
  handledBy: 'platform',
  request: [key],
  response: [],
} satisfies TransTypeSpec;
