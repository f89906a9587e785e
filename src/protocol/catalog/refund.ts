import {
  accountType,
  cardType,
  f,
  hospitalExtra,
  idNo,
  notes,
  operatorId,
  operatorName,
  orderNo,
  out,
  termNo,
  withoutSpecMax,
} from './fields.js';
import type { TransTypeSpec } from './types.js';

/** 预交金账户退款接口. */
export const refund = {
  name: 'hop.trade.refund',
  title: '预交金账户退款',
  group: '统一支付类接口',
  handledBy: 'platform',
  paramEmptyCode: '010011',
  paramInvalidCode: '010010',
  request: [
    operatorId,
    termNo,
    operatorName,
    cardType,
    f('cardNo', 'Char(32)', 'N', '卡号'),
    accountType,
    idNo,
    f('amount', 'Char(16)', 'N', '退款金额', { note: '保留两位小数', rule: 'amount' }),
    f('withdrawMode', 'Char(2)', 'N', '退款方式', {
      note: '0:现金 1:原路退回 2 银企转账 3 医保自费退回',
      dict: 'withdrawMode',
    }),
    // Declared Char(16), but its own value prepareAndConfirm has 17 characters;
    // 30 is the String(30) of the same field in hop.trade.pay.cancel.
    withoutSpecMax(
      f('refundType', 'Char(16)', 'N', '退款流程控制参数', {
        note: '根据 HIS 是否提供退款接口来定; direct / hisDecide / prepareAndConfirm (表中写 Char(16), prepareAndConfirm 为 17 个字符, 按 30 限长)',
        dict: 'refundType',
      }),
      30,
    ),
    // The table marks both N, but either one names the order (as in hop.trade.query);
    // the cross rule below answers 020004 when both are empty.
    f('traceNo', 'Char(32)', 'Y', '支付平台跟踪号', {
      note: '支付平台跟踪号 (平台唯一)充值/退款等交易接口平台返回的交易跟踪号 (traceNo); 与 outChargeNo 二选一, 同时存在时 traceNo 优先 (规范表中为 N)',
    }),
    orderNo('outChargeNo', 'Char(30)', 'Y', '商户充值订单号', {
      note: '与 traceNo 二选一 (规范表中为 N)',
    }),
    f('hisOrderNo', 'Char(32)', 'Y', 'HIS 流水号', { note: '与充值 outChargeNo 绑定' }),
    orderNo('outRefundNo', 'Char(30)', 'N', '商户退款订单号', { emptyCode: '020013' }),
    f('hisCustId', 'Char(30)', 'N', '患者院内 ID', { note: 'HIS 的患者 ID' }),
    f('channelType', 'Char(2)', 'Y', '原充值交易的渠道类型', {
      note: '仅 POS 交易传送该字段,POS 交易传 02',
      dict: 'channelType',
    }),
    f('tradeChannel', 'Char(10)', 'N', '退款收银台只显示本字段指定的支付渠道交易记录', {
      note: '详见参数定义中支付渠道定义',
      dict: 'channel',
      dictCode: '020007',
      emptyCode: '020006',
    }),
    f('PosNo', 'Char(1)', 'Y', 'POS 终端号 (多 POS 支持)', {
      note: "'1' 1 号终端 '2' 2 号终端",
      dict: 'posNo',
    }),
    f('refundDeskMode', 'Char(30)', 'N', '退款收银台模式', {
      note: "'1' = 退款收银台只显示 outChargeNo 指定的订单; 其他值为默认模式 (规范只定义了 '1')",
      dict: 'refundDeskMode',
      dictOpen: true,
    }),
    notes,
    f('extra', 'JSON', 'Y', '充值扩展入参', { fields: hospitalExtra }),
  ],
  response: [
    out('refundNo', '', '退款订单号'),
    out('outRefundNo', '', '商户退款订单号'),
    out('traceTime', '', '平台交易成功时间', { rule: 'time14' }),
    out('traceNo', '', '平台交易跟踪号'),
    out('tradeMode', 'Char(16)', '支付渠道', { dict: 'channel' }),
    out('succAmount', '', '实际退款金额', {
      note: '如果操作员选定的订单余额小于 HIS 输入的退款数值，则把退款金额为订单余额，否则为退款金额',
      rule: 'amountOrZero',
    }),
  ],
  notes:
    '当平台的返回码为 999999 和 040040(支付网关退款异常,交易状态未知)或动态库返回码为-3,-28 时,请调用接口(预交金查询交易结果接口)查询退款状态,再进行后续操作,一笔退款失败后重新提交, 请不要更换退款单号, 请使用原商户退款单号。',
} satisfies TransTypeSpec;
