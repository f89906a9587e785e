import { accountType, cardType, f, operatorId, operatorName, orderNo, out, termNo } from './fields.js';
import type { TransTypeSpec } from './types.js';

/** 预交金账户充值关闭接口. */
export const rechargeClose = {
  name: 'hop.trade.recharge.close',
  title: '预交金充值关闭',
  group: '统一支付类接口',
  handledBy: 'platform',
  paramEmptyCode: '010013',
  paramInvalidCode: '010012',
  request: [
    operatorId,
    termNo,
    operatorName,
    cardType,
    f('cardNo', 'Char(32)', 'N', '卡号/住院号'),
    accountType,
    orderNo('outChargeNo', 'Char(30)', 'N', '商户充值业务流水', { emptyCode: '020012' }),
    f('closeReason', 'Char(512)', 'Y', '备注信息', { note: '关闭订单原因;' }),
    f('extra', 'JSON', 'Y', '充值扩展入参', {
      note: '表中 extra 入参说明仅写 "extra Char(256) 待增加": 未定义的键透传 (总大小受限)',
    }),
  ],
  response: [
    out('traceTime', 'Char(19)', '交易成功时间', { note: 'yyyyMMddHHmmss', rule: 'time14' }),
    out('outChargeNo', 'Char(32)', '原充值业务流水'),
  ],
  notes:
    '当自助机或者窗口或者公众号等,在等待用户操作一段时间后,用户仍未支付,调用方调用该接口进行将订单关闭; 用户支付成功后,则无法关闭;只有在用户未支付的情况下,才能关闭.',
} satisfies TransTypeSpec;
