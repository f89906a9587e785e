import { f, idNo, orderNo, out } from './fields.js';
import type { TransTypeSpec } from './types.js';

/** 门诊线上医保冲销接口. */
export const payCancel = {
  name: 'hop.trade.pay.cancel',
  title: '门诊线上医保冲销',
  group: '统一支付类接口',
  handledBy: 'platform',
  // A cancellation is a refund of a payment (退费): the refund param codes fit it best.
  paramEmptyCode: '010011',
  paramInvalidCode: '010010',
  request: [
    f('operatorId', 'Char(30)', 'N', '操作员编号'),
    f('operatorName', 'Char(50)', 'N', '操作员姓名'),
    f('cardType', 'Char(2)', 'Y', '卡类型', { dict: 'cardType' }),
    f('cardNo', 'Char(32)', 'Y', '卡号'),
    f('accountType', 'Char(2)', 'N', '帐户类型', { dict: 'accountType' }),
    idNo,
    f('withdrawMode', 'String(1)', 'N', '退款方式', { note: '1:原路退回', dict: 'cancelWithdrawMode' }),
    f('reverseKind', 'String(30)', 'Y', '退费种类', {
      note: '传以下中文:门诊医保退费、体检自费退费、体检医保退费、合肥挂号退费',
    }),
    orderNo('outTradeNo', 'String(30)', 'N', '商户原收费流水号', {
      note: '医保结算冲销的是指结算确认时传给 HIS 的支付流水',
      emptyCode: '020004',
    }),
    f('hisCustId', 'String(30)', 'N', 'HIS 患者唯一 ID'),
    orderNo('outCancelNo', 'String(30)', 'N', '商户退费流水号', { emptyCode: '020013' }),
    f('amount', 'String(13)', 'Y', '退费金额', { note: '如果为空，退原交易全部金额', rule: 'amount' }),
    f('refundType', 'String(30)', 'Y', '退款流程控制参数 (是否调用 HIS 退费)', {
      note: 'hisDecide: 不调用 HIS 退费接口(HIS 调用门诊冲销传该值);direct :调用 HIS 退费',
      dict: 'cancelRefundType',
    }),
    f('userName', 'String(30)', 'Y', '用户姓名'),
    f('extra', 'Map', 'N', '扩展入参', {
      note: 'JSON 格式字符串',
      fields: [
        f('phyExamNo', 'String(30)', 'N', '体检号'),
        f('purchaseNo', 'String(30)', 'N', '收费流水号'),
        f('medCancelSn', 'String(30)', 'Y', '医保收费退费流水号', { note: '医保病人必须传，自费病人为空' }),
        f('medRegisterSn', 'String(30)', 'Y', '医保挂号退费流水', { note: '医保病人必须传，自费病人为空' }),
        f('sftzcx', 'String(1)', 'Y', '是否调账冲销', {
          note: '1 对账调账冲销，0 正常冲销;可为空，当为 1 时，提取对账单时不返回该记录',
          dict: 'sftzcx',
        }),
      ],
    }),
  ],
  response: [
    out('traceTime', 'String', '交易成功时间', { rule: 'time14' }),
    out('traceNo', 'String', '平台交易跟踪号'),
    out('medCancelSn', 'String', '医保退费流水', { note: '当为线上医保冲销时,有返回!' }),
  ],
} satisfies TransTypeSpec;
