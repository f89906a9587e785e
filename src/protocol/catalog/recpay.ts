import { PRINT_MODE_WARNING } from '../print-mode.js';
import {
  cardType,
  channelImpliedExtra,
  f,
  hospitalExtra,
  idNo,
  operatorId,
  operatorName,
  orderNo,
  out,
  termNo,
  tradeStateOut,
} from './fields.js';
import type { Field, TransTypeSpec } from './types.js';

const HIS_NO_DICT = 'HIS 接口文档未说明字典, 平台只做透传处理';

/** examList 字段说明: one row per exam item. */
const examItemFields = [
  f('wardDept', 'String', 'N', '科室', { note: '开单科室' }),
  f('doctorCode', 'String', 'N', '医生工号'),
  f('phyExamNo', 'String', 'N', '体检号'),
  f('purchaseCode', 'String', 'N', '收费编码'),
  f('itemNum', 'String', 'N', '数量', {
    cap: 5,
    rule: 'digits',
    note: '正整数 (金额按 totPrice × itemNum 以分为单位求和, 不允许小数数量)',
  }),
  f('itemPrice', 'String', 'N', '原始单价', { rule: 'amountOrZero' }),
  f('totPrice', 'String', 'N', '自费单价', {
    note: '打折后的金额, 没打折则与 itemPrice 一致!',
    rule: 'amountOrZero',
  }),
  f('itemSeq', 'String', 'N', '项目序号', {
    cap: 4,
    rule: 'digits',
    note: '纯数字整数, 必须按顺序 (1, 2, 3)',
  }),
  f('itemName', 'String', 'N', '项目名称'),
  f('reverseFlag', 'String', 'Y', '拟退退费标志', { note: HIS_NO_DICT }),
  f('purchaseFlag', 'String', 'Y', '是否收费标志', { note: HIS_NO_DICT }),
  f('hisPurPrice', 'String', 'Y', 'his 收费字典同步单价', { note: HIS_NO_DICT }),
  f('delFlag', 'String', 'Y', 'his 收费字典是否再用标志', { note: HIS_NO_DICT }),
  f('reverseSuccFlag', 'String', 'Y', '是否退费成功标志', { note: HIS_NO_DICT }),
  f('purchaseNo', 'String', 'Y', '收费流水号'),
  f('examDocNo', 'String', '', '体检档案号', { note: '可空列为空白: 按可空处理' }),
] as const satisfies readonly Field[];

/**
 * medicalParam 字段说明. The values come from the insurance settlement and are
 * passed to HIS untouched: the platform does no arithmetic on them, so they
 * get no amount rule (rejecting the insurer's formatting would block an
 * insurance payment that has already been settled).
 */
const MEDICAL: ReadonlyArray<readonly [string, string]> = [
  ['mz1sh0', '门诊流水号'],
  ['bqbm00', '病情编码'],
  ['djlsh0', '单据流水号'],
  ['zhzfe0', '帐户支付额'],
  ['grzfe0', '个人支付额'],
  ['jjzfe0', '基金支付额'],
  ['gwybz0', '公务员补助'],
  ['fybfy0', '非医保费用'],
  ['cfdxje', '超封顶线金额'],
  ['bjjjzf', '保健基金支付'],
  ['sybxzf', '商业保险支付'],
  ['bcbxf0', '本次报销总额'],
  ['grzhye', '医保帐户余额'],
  ['ylzfje', '乙类支付额'],
  ['jkzhzf', '健康账户支付'],
  ['jkzhye', '健康账户余额'],
  ['gjzhzf', '共济账户支付'],
  ['sfygd', '是否医改网点'],
  ['mzbzje', '民政补助金额'],
  ['mzxzqh', '民政行政区号'],
];
const medicalParamFields: readonly Field[] = MEDICAL.map(([name, title]) => f(name, 'String', '', title));

/** 预交金账户充值并消费. */
export const recpay = {
  name: 'hop.trade.recpay',
  title: '预交金账户充值并消费',
  group: '统一支付类接口',
  handledBy: 'platform',
  request: [
    operatorId,
    termNo,
    operatorName,
    cardType,
    f('cardNo', 'Char(32)', 'N', '卡号'),
    f('accountType', 'Char(2)', 'N', '帐户类型', { dict: 'accountType' }),
    idNo,
    f('notes', 'char(256)', 'Y', '备注信息'),
    f('tradeKind', 'char(30)', 'Y', '消费种类', { note: '体检' }),
    f('depositType', 'char(12)', 'N', '充值方式', {
      note: '详见参数定义中支付渠道定义',
      dict: 'channel',
      dictCode: '020007',
      emptyCode: '020006',
    }),
    f('rechargeHis', 'char(1)', 'Y', '是否往 HIS 充值', {
      note: '0:不往 HIS 充值 1:往 HIS 充值 默认为 0',
      dict: 'rechargeHis',
    }),
    f('rechargeAmount', 'char(12)', 'N', '充值金额(自费金额)', {
      note: '若自费金额为 0, 则平台默认全部为医保支付, 直接推送明细给 HIS; 若自费金额大于 0, 则平台返回二维码或支付凭证, 待患者支付成功后, 再推送明细给 HIS!',
      rule: 'amountOrZero',
    }),
    f('consumeAmount', 'Char(12)', 'N', '消费金额', {
      note: '金额与细目的和计金额一致: 等于 Σ totPrice × itemNum (以分计)',
      rule: 'amount',
    }),
    orderNo('outTradeNo', 'Char(30)', 'N', '商户扣费流水号', { emptyCode: '020004' }),
    f('hisCustId', 'Char(30)', 'N', 'HIS 患者唯一 ID'),
    f('extra', 'Map', 'N', '扩展入参', {
      note: 'JSON 格式字符串',
      fields: [
        {
          ...f('examList', 'JSONString', 'N', '体检项目', {
            note: 'JSON 格式, 字段说明详见 examList 字段说明',
          }),
          kind: 'list',
          maxItems: 200,
          fields: examItemFields,
        },
        f('medicalParam', 'JSONString', 'Y', '医保结算参数', {
          note: 'JSON 格式, 字段说明详见 medicalParam 字段说明',
          fields: medicalParamFields,
        }),
        f('patientType', 'String(30)', 'Y', '病人身份', { note: '00-自费 01-医保', dict: 'patientType' }),
        f('notifyUrl', 'String', 'Y', '后端回调地址', { note: '支付成功后的后端回调地址', cap: 1024 }),
        ...hospitalExtra,
        ...channelImpliedExtra,
      ],
    }),
  ],
  response: [
    out('chargeNo', '', '支付平台充值订单号'),
    out('qrcode', '', '二维码串'),
    tradeStateOut,
    out('traceTime', '', '平台交易成功时间', { rule: 'time14' }),
    out('traceNo', '', '平台交易跟踪号'),
  ],
  warning: PRINT_MODE_WARNING,
} satisfies TransTypeSpec;
