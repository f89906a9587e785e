import { f, operatorId, operatorName, out, termNo } from './fields.js';
import type { Field, TransTypeSpec } from './types.js';

/** 电子健康卡的返回信息 (CardListType 为 1 时). The spec names no container, so they sit in param. */
const healthCard = [
  f('mindex_id', 'String(128)', 'N', '居民健康卡主索引 ID'),
  f('ehealth_card_id', 'String(128)', 'N', '电子健康卡 ID'),
  f('xman_id', 'String(36)', 'Y', '市民健康系统 ID'),
  f('smk_id', 'String(32)', 'Y', '经信局市民卡 ID'),
  f('id_type', 'String(2)', 'N', '证件类型', { note: '见字典', dict: 'idType' }),
  f('id_no', 'String(32)', 'N', '证件号'),
  f('user_name', 'String(50)', 'N', '用户姓名'),
  f('user_sex', 'String(1)', 'N', '用户性别', { dict: 'userSex' }),
  f('mobile_phone', 'String(32)', 'N', '手机号码'),
  f('birthday', 'String(10)', 'Y', '出生日期'),
  f('telephone', 'String(32)', 'Y', '联系电话'),
  f('address', 'String(200)', 'Y', '居住地址'),
  f('work_unit', 'String(100)', 'Y', '工作单位'),
  f('card_type', 'String(2)', 'Y', '卡类型', {
    note: '默认关联卡类型 01 社保卡 02 市民健康正式卡 03 市民健康临时卡 04 市民卡（经信局） 05 居民健康卡',
    dict: 'faceCardType',
  }),
  f('card_no', 'String(32)', 'Y', '卡号', { note: '默认关联卡号' }),
  f('citizen', 'String(2)', 'Y', '国籍', {
    note: 'CN 中国 TW 中国台湾 HK 中国香港 MO 中国澳门',
    dict: 'citizen',
  }),
  f('birth_place', 'String(30)', 'Y', '出生地'),
  f('user_native', 'String(30)', 'Y', '籍贯'),
  f('marital_status', 'String(2)', 'Y', '婚姻状况', {
    note: '参考 <<GB/T 2261.2-2003 婚姻状况>>',
    dict: 'maritalStatus',
  }),
  f('career', 'String(3)', 'Y', '职业', { note: '参考 <<GB/T 6565 职业分类字典>>' }),
  f('unit_phone', 'String(20)', 'Y', '单位电话'),
  f('email', 'String(120)', 'Y', '邮箱'),
  f('community', 'String(200)', 'Y', '社区地址'),
  f('contact_name', 'String(200)', 'Y', '联系人姓名'),
  f('contact_relation', 'String(2)', 'Y', '联系人关系'),
  f('contact_phone', 'String(20)', 'Y', '联系人电话'),
  f('contact_address', 'String(200)', 'Y', '联系人地址'),
  f('extra', 'JSON', 'Y', '扩展返回', {
    note: '<<社保卡附带扩展信息>>',
    fields: [
      f('id0000', 'String(32)', 'Y', '社会保险号'),
      f('bjjbie', 'String(32)', 'Y', '保健级别'),
      f('grsfen', 'String(32)', 'Y', '个人身份编号'),
      f('grsfmc', 'String(32)', 'Y', '个人身份名称'),
      f('gzzt00', 'String(32)', 'Y', '工作状态编号'),
      f('gzztmc', 'String(32)', 'Y', '工作状态名称'),
      f('icztmc', 'String(32)', 'Y', 'ic 卡状态名称'),
    ],
  }),
] as const satisfies readonly Field[];

/** SelectCard 字段说明: HIS 绑卡列表 (CardListType 为 2 时有效). */
const selectCard = [
  out('idNo', '', '身份证号码'),
  out('cardNo', '', '卡号', { note: '1D00073875' }),
  out('idType', '', '证件类型', { note: '01 身份证', dict: 'idType' }),
  out('balance', '', '余额', { note: '0.03', rule: 'amountOrZero' }),
  out('status', '', '状态', { note: '1 正常', dict: 'selectCardStatus' }),
  out('userSex', '', '性别', { note: '1 男 2 女 (另有 0 未知 9 未说明)', dict: 'userSex' }),
  out('accountType', '', '账户类型', { note: '01 门诊 02 住院', dict: 'accountType' }),
  out('userName', '', '用户姓名', { note: '张三' }),
  out('accountNo', '', '用户编号', { note: '2019031500345601' }),
  out('hisCustID', '', 'HIS 院内唯一编号', { note: '1D00073875654321896' }),
  out('cardType', '', '卡类型', {
    note: '01 社保卡 02 健康卡 03 就诊卡 04 身份证 05 住院病案 06 临时卡 07 腕带编码 08 病案号+身份证 09 住院 ID 10 HIS 病人 ID 11 电子健康卡 12 支付宝 userid',
    dict: 'selectCardType',
  }),
] as const satisfies readonly Field[];

/** 支付宝人脸信息查询接口. */
export const faceQuery = {
  name: 'hop.face.query',
  title: '支付宝人脸信息查询',
  group: '统一支付类接口',
  handledBy: 'platform',
  request: [
    operatorId,
    termNo,
    operatorName,
    f('Business_type', 'Char(2)', 'N', '业务场景', { note: '"01" 窗口 "02" 诊间', dict: 'businessType' }),
    f('CardListType', 'Char(1)', 'N', '查询卡列表类型', {
      note: '"0" 不查询 "1" 查询电子健康卡绑卡列表 "2" 查询 HIS 绑卡列表',
      dict: 'cardListType',
    }),
    f('outTradeNo', 'Char(32)', 'N', '业务唯一流水号'),
    f('notes', 'Char(256)', 'Y', '备注信息'),
    f('extra', 'Map', 'N', '扩展入参', {
      note: 'JSON 格式字符串; 其余 HIS 接口所需参数, 根据每家医院/医疗机构的需求添加透传参数 (总大小受限)',
    }),
  ],
  response: [
    out('authimg_base_64', 'String', '认证用户的活体图片 base64 编码的字符串'),
    out('phone', 'String', '支付宝账户绑定的手机号'),
    out('certName', 'String', '用户姓名'),
    out('certNo', 'String', '证件号'),
    out('certType', 'String', '证件类型'),
    out('outTradeNo', 'Char(32)', '外部唯一流水号'),
    ...healthCard,
    {
      ...out('SelectCard', 'JSON', 'HIS 绑卡列表 (CardListType 为 2 时有效)'),
      kind: 'list',
      fields: selectCard,
    },
  ],
} satisfies TransTypeSpec;
