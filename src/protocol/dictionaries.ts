/**
 * Every dictionary (code → Chinese label) of the interface spec, verbatim.
 * A field names its dictionary through `Field.dict`; `DICTIONARIES` resolves
 * the name, so a typo in the catalog fails the catalog test instead of
 * silently accepting anything.
 */

/** 支付渠道 (参数定义). Also the values of depositType, tradeChannel, tradeMode. */
export const CHANNEL = {
  CASH: '现金',
  POS: 'POS 终端',
  ONE_QR: '用户主扫一码付',
  ONE_BAR: '用户被扫一码付',
  ALI_QR: '支付宝二维码支付',
  ALI_BAR: '支付宝条形码支付',
  ALI_APP: '支付宝移动 APP 支付',
  ALI_WEB: '支付宝 PC 网页支付',
  ALI_WAP: '支付宝手机 WAP 支付',
  WX_QR: '微信二维码支付',
  WX_PUB: '微信公众号支付',
  WX_BAR: '微信条形码支付',
  ALI_PUB: '支付宝服务窗支付',
  JHLK_QR: '建行龙卡二维码支付',
  ICBC_QR: '工行支付二维码支付',
  CCB_QR: '建行支付二维码支付',
  ALI_FACE: '支付宝刷脸支付',
  UP_QR: '用户主扫云闪付',
  UP_BAR: '用户被扫云闪付',
} as const;
export type Channel = keyof typeof CHANNEL;

/** 卡类型 of the request tables (01–10). */
export const CARD_TYPE = {
  '01': '社保卡',
  '02': '市民健康卡',
  '03': '院内就诊卡',
  '04': '身份证',
  '05': '住院号',
  '06': '临时卡',
  '07': '腕带编码',
  '08': '病案号加身份证',
  '09': '住院 ID',
  '10': 'HIS 病人 ID',
} as const;

/** 卡类型 of the face query's HIS card list (SelectCard), which adds 11 and 12. */
const SELECT_CARD_TYPE = {
  '01': '社保卡',
  '02': '健康卡',
  '03': '就诊卡',
  '04': '身份证',
  '05': '住院病案',
  '06': '临时卡',
  '07': '腕带编码',
  '08': '病案号+身份证',
  '09': '住院 ID',
  '10': 'HIS 病人 ID',
  '11': '电子健康卡',
  '12': '支付宝 userid',
} as const;

/** 帐户类型. */
export const ACCOUNT_TYPE = { '01': '门诊预交金账户', '02': '住院预交金账户' } as const;

/** 账户状态 (hop.account.info response). */
export const ACCOUNT_STATUS = { '01': '正常', '02': '挂失', '03': '冻结', '04': '注销' } as const;

/** status of a SelectCard entry: the spec lists only this value. */
const SELECT_CARD_STATUS = { '1': '正常' } as const;

/**
 * 性别, as GB/T 2261.1 and the national medical insurance dictionary (gend)
 * list it: the spec names 1 and 2, but a newborn's sex may be unknown (0) or
 * not stated (9), and a HIS sends what its own dictionary holds.
 */
const USER_SEX = { '0': '未知的性别', '1': '男', '2': '女', '9': '未说明的性别' } as const;

/**
 * 证件类型: the spec names only 01 (身份证); the national medical insurance
 * dictionary of personal certificate types (psn_cert_type) is what hospitals
 * hold, so its codes are accepted.
 */
const ID_TYPE = {
  '01': '居民身份证 (户口簿)',
  '02': '中国人民解放军军官证',
  '03': '中国人民武装警察警官证',
  '04': '香港特区护照/港澳居民来往内地通行证',
  '05': '澳门特区护照/港澳居民来往内地通行证',
  '06': '台湾居民来往大陆通行证',
  '07': '外国人永久居留证',
  '08': '外国人护照',
  '09': '残疾人证',
  '10': '军烈属证明',
  '11': '外国人就业证',
  '12': '外交官证',
  '13': '使 (领) 馆人员身份证明',
  '14': '香港特区护照/身份证明',
  '15': '澳门特区护照/身份证明',
  '16': '台湾居民身份证明',
  '17': '港澳台居民居住证',
  '99': '其他身份证件',
} as const;

/** 交易状态 (参数定义). */
const TRADE_STATE = { '0': '交易成功', '1': '待交易', '2': '交易失败' } as const;

/** 交易结果状态码 (hop.trade.query response `result`). */
const QUERY_RESULT = {
  init: '待交易',
  succ: '交易成功',
  fail: '交易失败',
  exp: '交易异常',
  ing: '正在交易',
  closed: '交易关闭',
  notfound: '交易记录不存在',
} as const;

/**
 * hop.trade.query `tradeType`. The table declares Char(2) but the values are
 * transType names, so the field carries no spec max (see catalog/query.ts).
 */
// The spec lists recharge and refund; recpay bills are paid by QR and queried the same way,
// so their transTypes are accepted too (an extension, marked as such in the reference).
const QUERY_TRADE_TYPE = {
  'hop.trade.recharge': '充值',
  'hop.trade.refund': '退款',
  'hop.trade.recpay': '充值并消费 (本平台扩展)',
  'hop.trade.pay.cancel': '医保冲销 (本平台扩展)',
} as const;

/** hop.trade.refund 退款方式. */
const WITHDRAW_MODE = { '0': '现金', '1': '原路退回', '2': '银企转账', '3': '医保自费退回' } as const;

/** hop.trade.pay.cancel 退款方式: only the original route. */
const CANCEL_WITHDRAW_MODE = { '1': '原路退回' } as const;

/** hop.trade.refund 退款流程控制参数. */
const REFUND_TYPE = {
  direct: 'HIS 提供退款接口 (先调用 HIS 退款接口, 然后调用微信/支付宝退款接口)',
  hisDecide: 'HIS 没有提供退款接口 (直接调用微信/支付宝退款接口)',
  prepareAndConfirm:
    'HIS 提供了预退款接口和退款确认接口 (先调用 HIS 预退款接口, 然后调用微信/支付宝退款接口, 最后调用 HIS 退款确认接口)',
} as const;

/** hop.trade.pay.cancel 退款流程控制参数 (是否调用 HIS 退费). */
const CANCEL_REFUND_TYPE = {
  hisDecide: '不调用 HIS 退费接口 (HIS 调用门诊冲销传该值)',
  direct: '调用 HIS 退费',
} as const;

/** 退款收银台模式: the only value the spec defines. */
const REFUND_DESK_MODE = { '1': '退款收银台只显示 outChargeNo 指定的订单' } as const;

/** 原充值交易的渠道类型: only POS trades send it. */
const CHANNEL_TYPE = { '02': 'POS 交易' } as const;

/** POS 终端号 (多 POS 支持). */
const POS_NO = { '1': '1 号终端', '2': '2 号终端' } as const;

/** 收银台弹出标志. */
const DESKFLAK = { '0': '弹出', '1': '不弹出' } as const;

/** 是否往 HIS 充值 (默认为 0). */
const RECHARGE_HIS = { '0': '不往 HIS 充值', '1': '往 HIS 充值' } as const;

/** 病人身份 / 费用类型 (recpay extra, inpatient pushes). */
const PATIENT_TYPE = { '00': '自费', '01': '医保 (本地医保)' } as const;

/** hop.mmpay.msg.push 费用类型(病人身份). */
const MMPAY_FEE_TYPE = {
  '00': '自费',
  '01': '本地医保',
  '02': '异地医保 (异地医保平台将不会推送消息给患者)',
} as const;

/** hop.mmpay.push.drug 药品状态. */
const DRUG_STATE = {
  init: '未取药',
  succ: '取药成功',
  cancel: '已退药 (已退费, 推送退费模版)',
} as const;

/** hop.face.query 业务场景. */
const BUSINESS_TYPE = { '01': '窗口', '02': '诊间' } as const;

/** hop.face.query 查询卡列表类型. */
const CARD_LIST_TYPE = {
  '0': '不查询',
  '1': '查询电子健康卡绑卡列表',
  '2': '查询 HIS 绑卡列表',
} as const;

/** 诊疗环节编码 (附录二 4). */
const TREATMENT_CODE = {
  '010101': '挂号',
  '010102': '诊断',
  '010106': '开方',
  '010103': '取药',
  '010104': '检查',
  '010107': '手术',
  '010105': '收费',
  '000000': '其他',
} as const;

/** 用卡授权状态. */
const AUTH_STATUS = {
  ing: '正在授权',
  succ: '授权成功',
  fail: '授权失败',
  cancel: '用户取消授权',
} as const;

/** 推送状态. */
const NOTIFY_STATE = { succ: '推送成功', fail: '推送失败', ing: '正在推送' } as const;

/** 是否调账冲销. */
const SFTZCX = { '0': '正常冲销', '1': '对账调账冲销 (提取对账单时不返回该记录)' } as const;

/** 电子健康卡 card_type (默认关联卡类型). */
const FACE_CARD_TYPE = {
  '01': '社保卡',
  '02': '市民健康正式卡',
  '03': '市民健康临时卡',
  '04': '市民卡（经信局）',
  '05': '居民健康卡',
} as const;

/** 国籍. */
const CITIZEN = { CN: '中国', TW: '中国台湾', HK: '中国香港', MO: '中国澳门' } as const;

/** 婚姻状况 (GB/T 2261.2-2003). */
const MARITAL_STATUS = {
  '10': '未婚',
  '20': '已婚',
  '21': '初婚',
  '22': '再婚',
  '23': '复婚',
  '30': '丧偶',
  '40': '离婚',
  '90': '未说明的婚姻状况',
} as const;

/** Name → dictionary, for `Field.dict`. */
export const DICTIONARIES = {
  channel: CHANNEL,
  cardType: CARD_TYPE,
  selectCardType: SELECT_CARD_TYPE,
  accountType: ACCOUNT_TYPE,
  accountStatus: ACCOUNT_STATUS,
  selectCardStatus: SELECT_CARD_STATUS,
  userSex: USER_SEX,
  idType: ID_TYPE,
  tradeState: TRADE_STATE,
  queryResult: QUERY_RESULT,
  queryTradeType: QUERY_TRADE_TYPE,
  withdrawMode: WITHDRAW_MODE,
  cancelWithdrawMode: CANCEL_WITHDRAW_MODE,
  refundType: REFUND_TYPE,
  cancelRefundType: CANCEL_REFUND_TYPE,
  refundDeskMode: REFUND_DESK_MODE,
  channelType: CHANNEL_TYPE,
  posNo: POS_NO,
  deskflak: DESKFLAK,
  rechargeHis: RECHARGE_HIS,
  patientType: PATIENT_TYPE,
  mmpayFeeType: MMPAY_FEE_TYPE,
  drugState: DRUG_STATE,
  businessType: BUSINESS_TYPE,
  cardListType: CARD_LIST_TYPE,
  treatmentCode: TREATMENT_CODE,
  authStatus: AUTH_STATUS,
  notifyState: NOTIFY_STATE,
  sftzcx: SFTZCX,
  faceCardType: FACE_CARD_TYPE,
  citizen: CITIZEN,
  maritalStatus: MARITAL_STATUS,
} as const satisfies Record<string, Record<string, string>>;

export type DictionaryName = keyof typeof DICTIONARIES;

/** Where each dictionary comes from in the spec, for the generated reference. */
export const DICTIONARY_TITLES: Record<DictionaryName, string> = {
  channel: '支付渠道',
  cardType: '卡类型 (请求表 01–10)',
  selectCardType: '卡类型 (刷脸查询 SelectCard 01–12)',
  accountType: '帐户类型',
  accountStatus: '账户状态',
  selectCardStatus: 'SelectCard 状态',
  userSex: '性别 (GB/T 2261.1, 医保 gend)',
  idType: '证件类型 (国家医保 人员证件类型 psn_cert_type)',
  tradeState: '交易状态',
  queryResult: '交易结果状态码 (hop.trade.query result)',
  queryTradeType: '交易类型 (hop.trade.query tradeType)',
  withdrawMode: '退款方式 (hop.trade.refund)',
  cancelWithdrawMode: '退款方式 (hop.trade.pay.cancel)',
  refundType: '退款流程控制参数 (hop.trade.refund)',
  cancelRefundType: '退款流程控制参数 (hop.trade.pay.cancel)',
  refundDeskMode: '退款收银台模式',
  channelType: '原充值交易的渠道类型',
  posNo: 'POS 终端号',
  deskflak: '收银台弹出标志',
  rechargeHis: '是否往 HIS 充值',
  patientType: '病人身份 / 费用类型',
  mmpayFeeType: '费用类型 (hop.mmpay.msg.push)',
  drugState: '药品状态',
  businessType: '业务场景 (Business_type)',
  cardListType: '查询卡列表类型 (CardListType)',
  treatmentCode: '诊疗环节编码',
  authStatus: '用卡授权状态',
  notifyState: '推送状态',
  sftzcx: '是否调账冲销',
  faceCardType: '电子健康卡卡类型 (card_type)',
  citizen: '国籍',
  maritalStatus: '婚姻状况',
};

export function isDictionaryName(name: string): name is DictionaryName {
  return Object.hasOwn(DICTIONARIES, name);
}

/** True when `code` is a member of the named dictionary (own keys only: no "toString"). */
export function inDictionary(name: DictionaryName, code: string): boolean {
  return Object.hasOwn(DICTIONARIES[name], code);
}
