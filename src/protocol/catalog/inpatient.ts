import { f, withoutSpecMax } from './fields.js';
import type { TransTypeSpec } from './types.js';

const CARD_TYPE_DICT = '卡类型字典 (cardType)';
const YUAN = '单位: 元, 保留两位小数';
const extra = f('extra', 'JSON', 'Y', '扩展参数');

/** The five money columns of the inpatient messages; push amounts may be 0. */
function money<const N extends string>(name: N, title: string, more: { readonly note?: string } = {}) {
  return f(name, 'String', 'N', title, { rule: 'amountOrZero', cap: 16, ...more } as const);
}
const bcbxf0 = money('bcbxf0', '本次报销总额(医保报销金额,自费患者为0)', { note: YUAN });
const grzfe0 = money('grzfe0', '个人支付总额');
const bcfyze = money('bcfyze', '本次费用总额');
const balance = money('balance', '院内余额');
const inpatientDate = f('inpatientDate', 'String', 'N', '住院日期', {
  note: 'yyyy-MM-dd',
  rule: 'dateDash',
  cap: 10,
});
const patientType = f('patientType', 'String(2)', 'N', '费用类型(病人身份)', {
  note: '提示患者是医保结算还是自费结算; 00:自费 01:本地医保',
  dict: 'patientType',
});

/** 催缴消息推送接口. */
export const inpatientOverpay = {
  name: 'hop.inpatient.msg.overpay',
  title: '催缴消息推送',
  group: '推送类接口',
  handledBy: 'platform',
  notes: '病人进行每日预结算后，对于住院押金不足、需要催缴费的病人推送催缴消息。',
  request: [
    f('inpatientNo', 'Char(32)', 'N', '住院号'),
    f('cardType', 'Char(32)', 'N', '卡类型', { note: CARD_TYPE_DICT, dict: 'cardType' }),
    f('cardNo', 'Char(32)', 'N', '卡号', { note: '根据卡类型传入卡号' }),
    // Declared Char(1) while its own values are 01/02.
    withoutSpecMax(
      f('accountType', 'Char(1)', 'N', '帐户类型', {
        note: '01:门诊, 02:住院 (表中写 Char(1), 但取值为 2 位)',
        dict: 'accountType',
      }),
      2,
    ),
    f('contactNumber', 'Char(32)', 'N', '手机号码'),
    f('userName', 'Char(32)', 'N', '用户姓名'),
    f('idNo', 'Char(32)', 'N', '身份证号'),
    f('wardName', 'Char(32)', 'N', '病区(科室)名称'),
    f('wardCode', '', 'Y', '病区(科室)编号'),
    { ...inpatientDate, specType: '' },
    { ...bcbxf0, specType: '' },
    { ...grzfe0, specType: '' },
    { ...bcfyze, specType: '' },
    { ...balance, specType: '' },
    f('complementMoney', '', 'N', '补缴金额', { rule: 'amountOrZero', cap: 16 }),
    { ...extra, specType: '' },
  ],
  response: [],
} satisfies TransTypeSpec;

/** 每日清单消息推送接口. */
export const inpatientBill = {
  name: 'hop.inpatient.msg.bill',
  title: '每日清单消息推送',
  group: '推送类接口',
  handledBy: 'platform',
  notes: '用于给住院病人推送每日住院清单,入参的 beginDate 和 endDate 请保持同一天。',
  request: [
    f('inpatientNo', 'String(32)', 'N', '住院号'),
    f('admissTimes', 'String(32)', 'Y', '住院次数', {
      note: '若住院清单查询需要通过住院次数查询, 该值不为空',
    }),
    f('cardType', 'String(32)', 'N', '卡类型', { note: CARD_TYPE_DICT, dict: 'cardType' }),
    // N in the table, yet its note lets self-pay patients leave it empty: the
    // cross-field rule requires it unless patientType is 00.
    {
      ...f('cardNo', 'String(32)', 'N', '卡号', {
        note: '医保卡号, 自费病人可为空 (patientType=00 时可空, 其余必填)',
      }),
      optional: true,
    },
    f('accountType', 'String(2)', 'N', '帐户类型', { note: '01:门诊, 02:住院', dict: 'accountType' }),
    f('contactNumber', 'String(11)', 'N', '手机号码'),
    patientType,
    f('userName', 'String', 'N', '用户姓名', { cap: 64 }),
    f('idNo', 'String', 'N', '身份证号', { cap: 32 }),
    f('wardName', 'String', 'N', '病区(科室)名称'),
    f('wardCode', 'String', 'Y', '病区(科室)编号'),
    inpatientDate,
    f('beginDate', 'String', 'N', '清单起始日期', {
      note: 'yyyy-MM-dd, 与 endDate 同一天',
      rule: 'dateDash',
      cap: 10,
    }),
    f('endDate', 'String', 'N', '清单结束日期', {
      note: 'yyyy-MM-dd, 与 beginDate 同一天',
      rule: 'dateDash',
      cap: 10,
    }),
    bcbxf0,
    grzfe0,
    bcfyze,
    balance,
    extra,
  ],
  response: [],
} satisfies TransTypeSpec;

/** 出科消息推送接口. */
export const inpatientOutDepart = {
  name: 'hop.inpatient.msg.outDepart',
  title: '出科消息推送',
  group: '推送类接口',
  handledBy: 'platform',
  notes: '病人在出科后需要结算时，提醒该消息提醒病人到窗口结算或者线上自费结算。',
  request: [
    f('inpatientNo', 'String(32)', 'N', '住院号'),
    f('cardType', 'String(32)', 'N', '卡类型', { note: CARD_TYPE_DICT, dict: 'cardType' }),
    f('cardNo', 'String(32)', 'N', '卡号', { note: '根据卡类型传入' }),
    f('accountType', 'String(2)', 'N', '帐户类型', { note: '01:门诊, 02:住院', dict: 'accountType' }),
    f('contactNumber', 'String(11)', 'N', '手机号码'),
    patientType,
    f('userName', 'String', 'N', '用户姓名', { cap: 64 }),
    f('idNo', 'String', 'N', '身份证号', { cap: 32 }),
    f('wardName', 'String', 'N', '病区(科室)名称'),
    inpatientDate,
    extra,
  ],
  response: [],
} satisfies TransTypeSpec;

/** 出院消息推送接口. */
export const inpatientOutHosp = {
  name: 'hop.inpatient.msg.outHosp',
  title: '出院消息推送',
  group: '推送类接口',
  handledBy: 'platform',
  notes: '病人在结算完成之后，推送出院通知，展示住院清单。',
  request: [
    f('inpatientNo', 'String(32)', 'N', '住院号'),
    f('admissTimes', 'String(32)', 'Y', '住院次数', {
      note: '若住院清单查询需要通过住院次数查询, 该值不为空',
    }),
    f('cardType', 'String(32)', 'N', '卡类型', { note: CARD_TYPE_DICT, dict: 'cardType' }),
    f('cardNo', 'String(32)', 'N', '卡号', { note: '根据卡类型传入' }),
    f('accountType', 'String(2)', 'N', '帐户类型', { note: '01:门诊, 02:住院', dict: 'accountType' }),
    f('contactNumber', 'String(11)', 'N', '手机号码'),
    f('userName', 'String', 'N', '用户姓名', { cap: 64 }),
    f('idNo', 'String', 'N', '身份证号', { cap: 32 }),
    f('wardName', 'String', 'N', '病区(科室)名称'),
    f('wardCode', 'String', 'Y', '病区(科室)编号'),
    inpatientDate,
    bcbxf0,
    grzfe0,
    bcfyze,
    balance,
    extra,
  ],
  response: [],
} satisfies TransTypeSpec;

/** 医院通知消息接口: the template's content is set by the caller. */
export const inpatientCommon = {
  name: 'hop.inpatient.msg.common',
  title: '医院通知消息',
  group: '推送类接口',
  handledBy: 'platform',
  notes: '通用的消息模板形式，展示的内容由入参控制，用于医院的各种推送需求。表中无 extra 字段。',
  request: [
    f('inpatientNo', 'String(32)', 'N', '住院号'),
    f('cardType', 'String(32)', '', '卡类型', {
      note: `${CARD_TYPE_DICT}; 可空列为空白: 按可空处理 (cardNo 可空)`,
      dict: 'cardType',
    }),
    f('cardNo', 'String(32)', 'Y', '卡号', { note: '根据卡类型传入' }),
    f('contactNumber', 'String(11)', 'N', '手机号码'),
    f('userName', 'String', 'N', '用户姓名', { cap: 64 }),
    f('idNo', 'String', 'N', '身份证号', { cap: 32 }),
    f('keyword', 'String', 'N', '通知内容', { cap: 1024 }),
    f('first', 'String', 'N', '标题'),
    f('remark', 'String', 'Y', '备注', { cap: 1024 }),
  ],
  response: [],
} satisfies TransTypeSpec;
