import {
  accountType,
  cardType,
  f,
  notes,
  operatorId,
  operatorName,
  orderNo,
  out,
  termNo,
  withoutSpecMax,
} from './fields.js';
import type { TransTypeSpec } from './types.js';

/** 交易结果查询接口. */
export const query = {
  name: 'hop.trade.query',
  title: '交易结果查询',
  group: '统一支付类接口',
  handledBy: 'platform',
  request: [
    operatorId,
    termNo,
    operatorName,
    cardType,
    f('cardNo', 'Char(32)', 'N', '卡号/住院号'),
    accountType,
    // Declared Char(2), but both of its values are transType names (18 and
    // 16 chars): a 2-char limit would reject every valid query.
    withoutSpecMax(
      f('tradeType', 'Char(2)', 'N', '交易类型', {
        note: 'hop.trade.recharge 充值 hop.trade.refund 退款 (表中写 Char(2), 但取值是交易类型名, 不按 2 字符限长)',
        dict: 'queryTradeType',
      }),
      32,
    ),
    orderNo('outTradeNo', 'Char(20)', 'Y', '商户业务流水号', {
      note: '二选一, 两者同时存在时, traceNo>outChargeNo, 两者不能同时为空; 建议使用 traceNo',
    }),
    f('traceNo', 'Char(32)', '', '支付平台跟踪号', {
      note: '支付平台跟踪号(平台唯一)充值/退款等交易接口平台返回的交易跟踪号(traceNo); 与 outTradeNo 二选一',
    }),
    f('hisOrderNo', 'Char(32)', 'Y', 'HIS流水号', { note: '与充值 outChargeNo 绑定' }),
    notes,
  ],
  response: [
    out('result', '', '交易结果状态码', {
      note: 'init 待交易 succ 交易成功 fail 交易失败 exp 交易异常 ing 正在交易 closed 交易关闭 notfound 交易记录不存在',
      dict: 'queryResult',
    }),
    out('tradeMode', 'Char(16)', '支付渠道', { dict: 'channel' }),
    out('resultDesc', '', '交易结果说明'),
    out('origTraceNo', '', '查询交易平台跟踪号'),
    out('origTraceTime', '', '查询交易成功时间', { note: 'yyyyMMddHHmmss', rule: 'time14' }),
    out('traceNo', 'Char(32)', '支付平台跟踪号', { note: '当传入 outTradeNo 时会传出对应的 traceNo' }),
    out('extra', 'JSON', '额外参数', {
      fields: [
        out('paytype', 'Char(16)', '最终交易渠道类型码', {
          note: 'HIS 端交易渠道类型码 (spec 写作 Chae(16))',
        }),
      ],
    }),
  ],
} satisfies TransTypeSpec;
