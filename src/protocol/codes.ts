/**
 * The return-code table of the interface spec (返回码说明), verbatim, plus the
 * client's local transport codes. One table, so a code that is used but not
 * described fails the build (`RespCode` is derived from it).
 */
export const SPEC_CODES = {
  // 通用返回码
  '000000': '处理成功',
  '999999': '未知错误',
  // 报文合法性校验错误
  '000001': '报文加解密失败',
  '000002': '验签失败',
  '000003': '请求报文为空',
  '000004': '请求格式非法',
  // 报文体参数校验错误
  '010001': '交易类型为空',
  '010002': '未知交易类型',
  '010003': '应用编号为空',
  '010004': '应用编号非法',
  '010005': '应用密钥非法',
  '010006': '请求时间戳为空',
  '010007': '支付参数非法',
  '010008': '支付参数为空',
  '010009': '返回类型非法',
  '010010': '退款参数非法',
  '010011': '退款参数为空',
  '010012': '关闭参数非法',
  '010013': '关闭参数为空',
  // 交易参数校验错误
  '020000': '参数不合法',
  '020001': '参数不能为空',
  '020002': '参数超过限定长度',
  '020003': '金额非法',
  '020004': '商户支付流水号为空',
  '020005': '订单号长度过长',
  '020006': '支付渠道为空',
  '020007': '支付渠道非法',
  '020008': '页面跳转地址 returnUrl 为空',
  '020009': '扩展参数 openId 为空',
  '020010': '扩展参数 authCode 为空',
  '020011': '日期参数非法',
  '020012': '商户关闭流水号为空',
  '020013': '商户退款流水号为空',
  '020014': '扩展参数 posTrans 不合法',
  // 通用交易异常
  '030001': '流水号重复',
  '030002': '原订单流水不存在',
  '030003': '原退款流水不存在',
  // 用户类
  '031001': '用户信息为空',
  '031002': '用户 ID 为空',
  '031003': '用户非法',
  // 渠道类
  '032001': '该应用不支持此渠道',
  '032002': '渠道交易失败',
  // 支付类
  '033001': '订单已支付',
  '033002': '订单未支付成功',
  '033003': '需要用户输入支付密码',
  // 退款类
  '034001': '退款金额超过订单可退金额',
  '034002': '已退款成功',
  '034003': '卖家余额不足',
  '034004': '参数无效',
  '034005': '退款金额超限',
  '034006': '交易不存在',
  '034007': '交易非法',
  '034008': '退款金额无效',
  '034009': '当前交易不允许退款',
  '034010': '交易退款金额有误',
  '040004': '调用预交金失败',
  '040007': '原交易未成功',
  '040008': '原充值流水不存在',
  '040017': '预退款成功, 转账成功, 确认退款结果操作失败, 异常情况, 需要人工处理',
  '040018': '预退款成功, 转账失败, 确认退款结果操作失败, 整笔退款交易为失败!',
  '040023': 'HIS 退费成功, 平台退款失败, 需要人工处理!',
  '040036': '调用 HIS 退款成功, 调用银企退款失败, 属于异常情况!',
  '040037': '调用 HIS 退款成功, 正在进行银企退款交易!',
  '040038': '该笔订单正在交易, 请稍候查询交易结果!',
  '040040': '支付网关退款异常, 交易状态未知, 需人工处理',
  '040041': 'his 预退款结果未知',
  '044003': '退款请求太过频繁, 请稍后再试。',
  '055001': '处理失败, 详见异常',
  '060004': '支付宝退款系统异常',
  // 关闭类
  '035001': '已关闭成功',
  // 其他业务异常
  '039001': '处理失败, 详见异常',
  // 系统配置
  '090001': '应用未设置支付成功回调地址',
  '090002': '应用未设置退款成功回调地址',
  '090003': '配置回调地址为空',
} as const;

export type SpecCode = keyof typeof SPEC_CODES;

/**
 * Codes the client library answers by itself when the platform could not be
 * reached or did not answer validly. They keep the vendor DLL's family
 * (negative numbers; -28 is libcurl's timeout) so existing HIS code that
 * checks for them keeps working.
 */
export const LOCAL_CODES = {
  /**
   * Nothing was processed: no connection, or the address answered as no
   * onepay platform does (404/405, a redirect). Safe to retry once fixed.
   */
  '-7': '交易未送达支付平台 (无法连接, 或服务地址不是支付平台), 未被处理',
  /** Sent, but no valid answer came back: outcome unknown, query before retrying. */
  '-3': '交易已发送但未收到有效应答, 结果未知, 请先查询交易结果',
  /** Timed out waiting for the answer: outcome unknown, query before retrying. */
  '-28': '等待支付平台应答超时, 结果未知, 请先查询交易结果',
} as const;

type LocalCode = keyof typeof LOCAL_CODES;
export type RespCode = SpecCode | LocalCode;

export function isSpecCode(code: string): code is SpecCode {
  return Object.hasOwn(SPEC_CODES, code);
}

export interface Answer {
  respCode: RespCode;
  respMsg: string;
  [field: string]: unknown;
}

/** A failure answer; `detail` names the field or the reason, in Chinese like the spec. */
export function fail(code: RespCode, detail?: string): Answer {
  const text = isSpecCode(code) ? SPEC_CODES[code] : LOCAL_CODES[code as LocalCode];
  return { respCode: code, respMsg: detail ? `${text}: ${detail}` : text };
}

/** Error carrying a spec code through layers that are not answer-shaped. */
export class SpecError extends Error {
  constructor(
    readonly code: RespCode,
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(fail(code, detail).respMsg, options);
    this.name = 'SpecError';
  }
  toAnswer(): Answer {
    return fail(this.code, this.detail);
  }
}
