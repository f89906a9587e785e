import { PRINT_MODE_WARNING } from '../print-mode.js';
import {
  accountType,
  cardType,
  channelImpliedExtra,
  f,
  hospitalExtra,
  idNo,
  operatorId,
  operatorName,
  orderNo,
  out,
  responseExtra,
  termNo,
  tradeStateOut,
} from './fields.js';
import type { Field, TransTypeSpec } from './types.js';

const ACCOUNT_OPENING = '通用统一预交金开户字段: 表中为 N, 仅平台开户时必传 (由交易层校验)';

/** 通用统一预交金开户字段 (V3.030). */
const accountOpeningExtra = [
  f('userSex', 'Char(1)', 'Y', '性别（必传）', {
    note: `1 男 2 女 (另收 0 未知的性别 9 未说明的性别, 如新生儿); ${ACCOUNT_OPENING}`,
    dict: 'userSex',
    requiredForAccountOpening: true,
  }),
  f('cardZone', 'Char(32)', 'Y', '发卡地区编号（必传）', {
    note: `自费卡：传入机构编号 社保卡：传入发卡地区编号; ${ACCOUNT_OPENING}`,
    requiredForAccountOpening: true,
  }),
  f('idType', 'Char(2)', 'Y', '证件类型（必传）', {
    note: `01：身份证 (收国家医保人员证件类型全部代码); ${ACCOUNT_OPENING}`,
    dict: 'idType',
    requiredForAccountOpening: true,
  }),
  f('mobilePhone', 'Char(21)', 'Y', '手机号（必传）', {
    note: `13011111111; ${ACCOUNT_OPENING}`,
    requiredForAccountOpening: true,
  }),
  f('address', 'Char(256)', 'Y', '地址'),
  f('career', 'Char(32)', 'Y', '职业编码'),
  f('workUnit', 'Char(256)', 'Y', '工作单位'),
  f('birthday', 'Char(32)', 'Y', '出生日期', { note: 'YYYYMMDD', rule: 'date8' }),
  f('hisTraceNo', 'Char(32)', 'Y', 'HIS 业务流水号/通用预交金订单号'),
] as const satisfies readonly Field[];

/** 预交金账户充值接口. */
export const recharge = {
  name: 'hop.trade.recharge',
  title: '预交金账户充值',
  group: '统一支付类接口',
  handledBy: 'platform',
  request: [
    operatorId,
    termNo,
    operatorName,
    cardType,
    f('cardNo', 'Char(32)', 'N', '卡号/住院号'),
    accountType,
    f('hisCustId', 'Char(30)', 'N', '患者院内 ID', { note: 'HIS 的患者 ID' }),
    idNo,
    f('userName', 'Char(64)', 'N', '姓名'),
    f('amount', 'Char(16)', 'N', '充值金额', { note: '保留两位小数', rule: 'amount' }),
    orderNo('outChargeNo', 'Char(32)', 'N', '商户充值业务流水', { emptyCode: '020004' }),
    f('hisOrderNo', 'Char(32)', 'Y', 'HIS 流水号', { note: '与 outChargeNo 绑定' }),
    f('feeType', 'Char(32)', 'Y', '费用类型', { note: '挂号费、西药费各类费用，用于报表汇总各类费' }),
    f('depositType', 'Char(10)', 'Y', '支付渠道类型', {
      note: '详见参数定义中支付渠道定义; 为空时由收银台选择渠道',
      dict: 'channel',
      dictCode: '020007',
    }),
    f('PosNo', 'Char(1)', 'Y', 'POS 终端号(多 POS 支持)', {
      note: "'1' 1 号终端 '2' 2 号终端",
      dict: 'posNo',
    }),
    f('HZJDFlag', 'Char(1)', 'Y', '收银台查询交易标志', { note: '未建档充值使用' }),
    f('ShowMsg', 'Char(1024)', 'Y', '拓展屏自定义显示内容', {
      note: '拓展屏扫码页面左边部分内容的自定义显示',
    }),
    f('subject', 'Char(128)', 'Y', '订单名称', {
      note: '预约挂号缴费 当天挂号缴费 门诊缴费 住院押金缴费 就诊卡充值取号 住院缴费',
    }),
    f('notes', 'Char(256)', 'Y', '备注信息', { note: 'pNotes' }),
    f('extra', 'JSON', 'Y', '充值扩展入参', {
      note: '对象、对象的 JSON 字符串或 "" 均可; 未列出的键透传给医院 (总大小受限)',
      fields: [...hospitalExtra, ...accountOpeningExtra, ...channelImpliedExtra],
    }),
  ],
  responseTop: [
    f('extra', 'JSON', '', '额外参数', {
      note: '与 param.extra 内容一致 (变更记录 2019/01/21)',
      fields: responseExtra,
    }),
  ],
  response: [
    out('chargeNo', 'Char', '支付平台充值订单号'),
    out('balance', 'Char(16)', '余额\\押金总额', { rule: 'amountOrZero' }),
    out('tradeMode', 'Char(16)', '支付渠道', { dict: 'channel' }),
    out('traceTime', 'Char(19)', '交易成功时间', { note: 'yyyyMMddHHmmss', rule: 'time14' }),
    out('traceNo', 'Char(32)', '支付平台跟踪号', { note: '平台唯一' }),
    out('qrcode', 'Char(256)', '二维码连接串', { note: '只有当开启打印模式会传出，其他只传出"0"' }),
    tradeStateOut,
    out('callsn', 'Char(32)', 'HIS 交易订单号', { note: '调用HIS接口返回' }),
    out('extra', 'JSON', '额外参数', { fields: responseExtra }),
  ],
  notes: '明确返回失败, 充值金额会直接原路退回.',
  warning: PRINT_MODE_WARNING,
} satisfies TransTypeSpec;
