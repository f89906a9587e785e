import type { Field } from './types.js';

type More = Partial<Omit<Field, 'name' | 'specType' | 'max' | 'optional' | 'title'>>;
type Nullable = 'N' | 'Y' | '';

/**
 * A row as its literal type: the name, the kind the type column implies, whether
 * 可空 and whatever `more` says (rule, nested fields). `ParamOf` reads these, so a
 * transType's request type comes from the table and is written nowhere else.
 */
export type Row<N extends string, S extends string, O extends Nullable, M extends More> = Field &
  M & {
    readonly name: N;
    readonly kind: S extends 'JSON' | 'Map' | 'JSONString' ? 'object' : 'string';
    readonly optional: O extends 'N' ? false : true;
  };

/**
 * One row of a spec table, written the way the table reads:
 * `f('operatorId', 'Char(30)', 'N', '操作员编号')`. The max length is taken from
 * the type column so it cannot disagree with it. `nullable` is the 可空 column;
 * '' (blank in the spec) is treated as optional and the row says so in `note`
 * where that matters.
 */
export function f<
  const N extends string,
  const S extends string,
  const O extends Nullable,
  const M extends More = Record<never, never>,
>(name: N, specType: S, nullable: O, title: string, more: M = {} as M): Row<N, S, O, M> {
  const m = /\((\d+)\)/.exec(specType);
  const kind = /^(JSON|Map|JSONString)$/.test(specType) ? 'object' : 'string';
  // The literal type is what the runtime value is: kind and optional computed as the type says.
  return {
    name,
    kind,
    specType,
    ...(m ? { max: Number(m[1]) } : {}),
    optional: nullable !== 'N',
    title,
    ...more,
  } as unknown as Row<N, S, O, M>;
}

/** A response row: the response tables have no 可空 column, so nothing is promised. */
export function out<
  const N extends string,
  const S extends string,
  const M extends More = Record<never, never>,
>(name: N, specType: S, title: string, more: M = {} as M): Row<N, S, '', M> {
  return f(name, specType, '', title, more);
}

const CARD_TYPE_NOTE =
  '01 社保卡 02 市民健康卡 03 院内就诊卡 04 身份证 05 住院号 06 临时卡 07 腕带编码 08 病案号加身份证 09 住院 ID 10 HIS 病人 ID';

export const operatorId = f('operatorId', 'Char(30)', 'N', '操作员编号');
export const termNo = f('termNo', 'Char(50)', 'N', '终端编号');
export const operatorName = f('operatorName', 'Char(50)', 'N', '操作员姓名');
export const cardType = f('cardType', 'Char(2)', 'N', '卡类型', { note: CARD_TYPE_NOTE, dict: 'cardType' });
export const accountType = f('accountType', 'Char(2)', 'N', '帐户类型', {
  note: '01 门诊预交金账户 02 住院预交金账户',
  dict: 'accountType',
});
export const idNo = f('idNo', 'Char(32)', 'Y', '身份证号');

/**
 * The longest merchant number the platform stores: recharge's outChargeNo is
 * Char(32). Query, close, refund, recpay and the cancellation declare 20 or 30
 * for the numbers they name, but a recharge answered -3/-28 under a
 * 25-character number must still be queryable, closable and refundable under
 * it: every field that names a merchant number accepts this many.
 */
export const ORDER_NO_MAX = 32;

/**
 * A field naming a merchant number (outChargeNo, outTradeNo, outRefundNo,
 * outCancelNo): the spec's row, limited to ORDER_NO_MAX whatever its own
 * Char(n) says (the row keeps its specType and says so in its note), answering
 * 020005 when longer.
 */
export function orderNo<
  const N extends string,
  const O extends Nullable,
  const M extends More = Record<never, never>,
>(name: N, specType: string, nullable: O, title: string, more: M = {} as M): Row<N, string, O, M> {
  const row: Row<N, string, O, M> = f(name, specType, nullable, title, { tooLongCode: '020005', ...more });
  if (row.max === ORDER_NO_MAX) return row;
  const widened = `表中写 ${specType}; 平台的商户流水号一律按 ${ORDER_NO_MAX} 字符限长 (与充值 outChargeNo 一致)`;
  return { ...withoutSpecMax(row, ORDER_NO_MAX), note: row.note ? `${row.note} (${widened})` : widened };
}
export const notes = f('notes', 'Char(256)', 'Y', '备注信息');

/** 医院参数: hopname, hopid, deskflak live inside `extra` of the money trades. */
export const hospitalExtra = [
  f('hopname', 'Char(256)', 'Y', '医院名称'),
  f('hopid', 'Char(32)', 'Y', '医院 ID'),
  f('deskflak', 'Char(1)', 'Y', '收银台弹出标志', { note: '0 弹出 1 不弹出', dict: 'deskflak' }),
] as const satisfies readonly Field[];

/**
 * Fields the return-code table implies for a channel but no request table
 * lists. They sit in `extra` (the codes say 扩展参数) and are checked against
 * the channel as cross-field rules.
 */
export const channelImpliedExtra = [
  f('authCode', '', 'Y', '付款码 (条形码/二维码内容)', {
    cap: 64,
    note: '*_BAR 与 ONE_BAR 渠道必填',
    source: '返回码 020010 扩展参数 authCode 为空',
  }),
  f('openId', '', 'Y', '用户标识 (公众号/服务窗)', {
    cap: 128,
    note: 'WX_PUB 与 ALI_PUB 渠道必填',
    source: '返回码 020009 扩展参数 openId 为空',
  }),
  f('returnUrl', '', 'Y', '页面跳转地址', {
    cap: 1024,
    note: 'ALI_WEB 与 ALI_WAP 渠道必填',
    source: '返回码 020008 页面跳转地址 returnUrl 为空',
  }),
  f('posTrans', '', 'Y', 'POS 交易数据', {
    cap: 1024,
    note: 'POS 动态库回传的交易数据, 平台透传; 非字符串或超长时返回 020014',
    source: '返回码 020014 扩展参数 posTrans 不合法; 变更记录 2018/8/8 POstrans',
    typeCode: '020014',
    tooLongCode: '020014',
  }),
] as const satisfies readonly Field[];

/** 交易状态 of a money trade's answer: 1 with a qrcode is print mode, NOT paid. */
export const tradeStateOut = out('tradeState', 'Char(1)', '交易状态', {
  note: '0 交易成功 1 待交易 (打印模式: 已生成 qrcode, 尚未支付) 2 交易失败; respCode 000000 时也须看本字段',
  dict: 'tradeState',
  source: '参数定义 交易状态',
});

/** Response extra of the recharge and query trades (额外参数). */
export const responseExtra = [
  out('paytype', 'Char(16)', '最终交易渠道类型码', { note: 'HIS 端交易渠道类型码 (spec 写作 Chae(16))' }),
  out('callsn', 'Char(32)', 'HIS 交易订单号', { note: '调用HIS接口返回' }),
  out('resNote', 'Char(32)', '返回信息', { note: '返回信息中文说明' }),
  out('BankCardNo', 'Char(32)', '银行卡号', { note: '根据 pos 动态库回传' }),
  out('posIssuingBank', 'Char(32)', '银行卡发卡行代码/名称', { note: '根据 pos 动态库回传' }),
  out('BankCardType', 'Char(32)', '银行卡借贷记类型', {
    note: '根据 pos 动态库回传(目前仅弘爱医院回传，其他为空值)',
  }),
] as const satisfies readonly Field[];

/**
 * Drops the declared max of a row whose own values are longer than its
 * Char(n) (the PDF's typos); the row keeps its specType and gets a `cap`.
 */
export function withoutSpecMax<F extends Field>(field: F, cap: number): F {
  const { max: _declared, ...rest } = field;
  // The same row but for max, which no type reads.
  return { ...rest, cap } as unknown as F;
}
