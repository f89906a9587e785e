import { f, out } from './fields.js';
import type { TransTypeSpec } from './types.js';

/** 医保移动支付用户授权接口. */
export const esccardAuth = {
  name: 'hop.esccard.auth.qr',
  title: '医保移动支付用户授权',
  group: '医保移动支付类接口',
  handledBy: 'platform',
  request: [
    f('outAuthorizeNo', 'char(32)', 'N', '外部用卡授权流水号'),
    f('outAuthorizeTime', 'char(32)', 'N', '外部用卡授权时间', { note: 'yyyyMMddHHmmss', rule: 'time14' }),
    f('operatorId', 'char(32)', 'N', '用卡授权操作员编号'),
    f('operatorName', 'char(32)', 'N', '用卡授权操作员姓名'),
    f('treatmentCode', 'char(32)', 'N', '诊疗环节编码', {
      note: '参考文档附录二 4.诊疗环节编码 010101 挂号 010102 诊断 010106 开方 010103 取药 010104 检查 010107 手术 010105 收费 000000 其他',
      dict: 'treatmentCode',
    }),
  ],
  response: [
    out('authStatus', 'Char(32)', '用卡授权状态', {
      note: 'ing 正在授权 succ 授权成功 fail 授权失败 cancel 用户取消授权',
      dict: 'authStatus',
    }),
    out('idType', 'Char(2)', '证件类型', { dict: 'idType' }),
    out('idNo', 'Char(32)', '证件号'),
    out('userName', 'Char(50)', '用户姓名'),
    out('userSex', 'Char(1)', '用户性别', { dict: 'userSex' }),
    out('mobilePhone', 'Char(32)', '手机号码'),
    out('birthday', 'Char(10)', '出生日期'),
    out('telephone', 'Char(32)', '联系电话'),
    out('address', 'Char(200)', '居住地址'),
    out('workUnit', 'Char(100)', '工作单位'),
    out('cardType', 'Char(2)', '卡类型', { dict: 'cardType' }),
    out('cardNo', 'Char(32)', '卡号'),
  ],
} satisfies TransTypeSpec;
