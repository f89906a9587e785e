import { f, out } from './fields.js';
import type { Field, TransTypeSpec } from './types.js';

const notifyResponse = [
  out('notifyState', 'Char(30)', '推送状态', {
    note: 'succ:推送成功 fail:推送失败 ing:正在推送',
    dict: 'notifyState',
  }),
  out('notifyTime', 'Char(14)', '推送时间', { note: 'yyyyMMddHHmmss', rule: 'time14' }),
] as const satisfies readonly Field[];

/** 待结算单据主动推送接口. */
export const mmpayMsgPush = {
  name: 'hop.mmpay.msg.push',
  title: '待结算单据主动推送',
  group: '推送类接口',
  handledBy: 'platform',
  request: [
    f('cardType', 'Char(2)', 'N', '卡类型', {
      note: '01 社保卡 02 市民健康卡 03 院内就诊卡 (表中只列出前三项; 卡类型码表 2018/5/28 更新后为 01–10)',
      dict: 'cardType',
    }),
    f('cardNo', 'Char(32)', 'N', '卡号/住院号'),
    f('accountType', 'Char(2)', 'N', '帐户类型', {
      note: '01 门诊预交金账户 02 住院预交金账户',
      dict: 'accountType',
    }),
    f('contactNumber', 'Char(11)', 'N', '手机号码'),
    f('feeType', 'Char(2)', 'N', '费用类型(病人身份)', {
      note: '提示患者是医保结算还是自费结算; 00:自费 01:本地医保 02:异地医保(异地医保平台将不会推送消息给患者)',
      dict: 'mmpayFeeType',
    }),
    f('idNo', '', 'N', '身份证号', { cap: 32 }),
    f('userName', '', 'N', '姓名', { cap: 64 }),
    f('userNo', '', 'N', '用户编号', { cap: 64 }),
    f('voucherNo', '', 'Y', '单据号', { cap: 64 }),
    f('applyDepaName', '', 'N', '申请科室名称'),
    f('applyDoctorName', '', 'N', '申请医生姓名'),
    f('recipeTime', '', 'N', '处方时间', { note: 'yyyyMMddHHmmss', rule: 'time14', cap: 14 }),
    f('fee', '', 'Y', '总费用', { rule: 'amountOrZero', cap: 16 }),
    f('recipeNum', '', 'Y', '处方数', { rule: 'digits', cap: 9 }),
    f('extra', '', 'Y', '充值扩展入参', { kind: 'object' }),
    f('notes', '', 'Y', '备注信息', { note: 'pNotes' }),
  ],
  response: notifyResponse,
} satisfies TransTypeSpec;

/** 取药状态主动推送接口. */
export const mmpayPushDrug = {
  name: 'hop.mmpay.push.drug',
  title: '取药状态主动推送',
  group: '推送类接口',
  handledBy: 'platform',
  request: [
    f('cardNo', 'Char(32)', 'N', '卡号/住院号'),
    f('contactNumber', 'Char(11)', 'N', '手机号码'),
    f('idNo', '', 'N', '身份证号', { cap: 32 }),
    f('userName', '', 'N', '姓名', { cap: 64 }),
    f('userNo', '', 'N', '用户编号', { cap: 64 }),
    f('voucherNo', '', 'N', '单据号', { note: '对应 HIS 系统跟踪号', cap: 64 }),
    f('hisReceiptNo', '', 'N', 'HIS 收据号(发票流水号)', { note: '对应取药二维码', cap: 64 }),
    f('applyDepaName', '', 'N', '申请科室名称'),
    f('applyDoctorName', '', 'N', '申请医生姓名'),
    f('recipeTime', '', 'N', '处方时间', { note: 'yyyyMMddHHmmss', rule: 'time14', cap: 14 }),
    f('fee', '', 'N', '总费用', { note: '若为退费通知,则传退费的金额', rule: 'amountOrZero', cap: 16 }),
    f('drugState', '', 'N', '药品状态', {
      note: 'init:未取药 succ:取药成功 cancel: 已退药(已退费.推送该字段将推送退费模版)',
      dict: 'drugState',
    }),
    f('cancelDesc', '', 'Y', '退费说明', { note: '当 drugState=cancel 时必须填 例:药品退费' }),
    f('first', '', 'N', '推送的标题', { note: '您的药品已经配发好,请及时到窗口排队领药品' }),
    f('remark', '', 'N', '推送备注', { note: '该处方已取药或已做检查' }),
    f('drugWindowNo', '', 'N', '取药窗口', { note: '9 号', cap: 32 }),
    f('extra', '', 'Y', '充值扩展入参', { kind: 'object' }),
    f('notes', '', 'Y', '备注信息', { note: 'pNotes' }),
  ],
  response: notifyResponse,
} satisfies TransTypeSpec;
