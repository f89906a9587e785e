import { formatFen, parseYuan } from '../../protocol/money.js';
import { beijingDisplay, parseBeijing14 } from '../../protocol/time.js';
import { maskName } from '../log/mask.js';
import type { TemplateName } from './config.js';
import type { PushKind } from './kinds.js';

type Param = Readonly<Record<string, unknown>>;

/** What one message says, shared by the H5 pages, the WeChat template and the webhook. */
export interface MessageView {
  readonly kind: PushKind;
  readonly template: TemplateName;
  /** The card's title after the hospital's name: 住院押金不足, 出科通知… */
  readonly heading: string;
  /** 通知内容. */
  readonly first: string;
  /** The card's lines, names masked. */
  readonly facts: readonly (readonly [string, string])[];
  /** The detail page's 住院信息 rows. */
  readonly detail: readonly (readonly [string, string])[];
  readonly remark: string;
  /** Shortfall the 补缴 button pays, fen; 0 when there is nothing to pay online. */
  readonly shortfallFen: number;
  /** 出科 of a self-pay patient: the card links to online settlement. */
  readonly selfPaySettle: boolean;
}

function text(p: Param, key: string): string {
  const v = p[key];
  return typeof v === 'string' ? v : '';
}

function extraOf(p: Param): Param {
  const e = p['extra'];
  return e !== null && typeof e === 'object' && !Array.isArray(e) ? (e as Param) : {};
}

/** Yuan in, yuan with two decimals out; '' stays '' so an absent amount shows nothing. */
function yuan(value: string): string {
  const fen = parseYuan(value);
  return fen === null ? value : formatFen(fen);
}

function fen(value: string): number {
  return parseYuan(value) ?? 0;
}

function when14(value: string): string {
  const at = parseBeijing14(value);
  return at ? beijingDisplay(at) : value;
}

function present(rows: (readonly [string, string])[]): (readonly [string, string])[] {
  return rows.filter(([, v]) => v !== '');
}

export function renderMessage(kind: PushKind, p: Param, hospital: string): MessageView {
  const name = maskName(text(p, 'userName'));
  const inpatient = (): (readonly [string, string])[] => [
    ['姓名', name],
    ['住院医院', hospital],
    ['住院科室', text(p, 'wardName')],
    ['住院日期', text(p, 'inpatientDate')],
    ['住院号', text(p, 'inpatientNo')],
  ];
  const base = { kind, remark: '', shortfallFen: 0, selfPaySettle: false };
  switch (kind) {
    case 'overpay':
      return {
        ...base,
        template: 'overpay',
        heading: '住院押金不足',
        first: '您的住院押金余额不足, 请及时补缴',
        facts: [
          ['姓名', name],
          ['费用总额', yuan(text(p, 'bcfyze'))],
          ['医保支付', yuan(text(p, 'bcbxf0'))],
          ['个人支付', yuan(text(p, 'grzfe0'))],
          ['押金金额', yuan(text(p, 'balance'))],
          ['需补缴金额', yuan(text(p, 'complementMoney'))],
        ],
        detail: [
          ...inpatient(),
          ['医保支付', `${yuan(text(p, 'bcbxf0'))}元`],
          ['个人支付', `${yuan(text(p, 'grzfe0'))}元`],
          ['总计', yuan(text(p, 'bcfyze'))],
          ['院内余额', `${yuan(text(p, 'balance'))}元`],
          ['补缴金额', `${yuan(text(p, 'complementMoney'))}元`],
        ],
        shortfallFen: fen(text(p, 'complementMoney')),
      };
    case 'bill':
      return {
        ...base,
        template: 'bill',
        heading: '每日清单',
        first: `您 ${text(p, 'beginDate')} 的住院费用清单已生成`,
        facts: [
          ['姓名', name],
          ['清单日期', text(p, 'beginDate')],
          ['费用总额', yuan(text(p, 'bcfyze'))],
          ['医保支付', yuan(text(p, 'bcbxf0'))],
          ['个人支付', yuan(text(p, 'grzfe0'))],
          ['院内余额', yuan(text(p, 'balance'))],
        ],
        detail: present([...inpatient(), ['住院次数', text(p, 'admissTimes')]]),
      };
    case 'outDepart': {
      const e = extraOf(p);
      const selfPay = text(p, 'patientType') === '00';
      return {
        ...base,
        template: 'outDepart',
        heading: '出科通知',
        first: '您已经成功出科, 医保病人请到窗口结算, 自费病人可在线结算',
        facts: [['姓名', name]],
        detail: present([
          ...inpatient(),
          ['院内余额', yuan(text(e, 'balance'))],
          ['费用总计', yuan(text(e, 'bcfyze'))],
          ['需补缴金额', yuan(text(e, 'complementMoney'))],
        ]),
        shortfallFen: selfPay ? fen(text(e, 'complementMoney')) : 0,
        selfPaySettle: selfPay,
      };
    }
    case 'outHosp':
      return {
        ...base,
        template: 'outHosp',
        heading: '出院通知',
        first: '您的住院费用已结算完成, 请办理出院',
        facts: [
          ['姓名', name],
          ['费用总额', yuan(text(p, 'bcfyze'))],
          ['医保支付', yuan(text(p, 'bcbxf0'))],
          ['个人支付', yuan(text(p, 'grzfe0'))],
          ['院内余额', yuan(text(p, 'balance'))],
        ],
        detail: present([...inpatient(), ['住院次数', text(p, 'admissTimes')]]),
      };
    case 'common':
      return {
        ...base,
        template: 'common',
        heading: text(p, 'first'),
        first: text(p, 'keyword'),
        facts: [['姓名', name]],
        detail: present([
          ['姓名', name],
          ['住院医院', hospital],
          ['住院号', text(p, 'inpatientNo')],
        ]),
        remark: text(p, 'remark'),
      };
    case 'mmpay': {
      const selfPay = text(p, 'feeType') === '00';
      return {
        ...base,
        template: 'mmpay',
        heading: '待结算单据',
        first: selfPay ? '您有待缴费的处方单据, 可在线自费结算' : '您有待结算的医保处方单据, 请到窗口结算',
        facts: present([
          ['姓名', name],
          ['申请科室', text(p, 'applyDepaName')],
          ['申请医生', maskName(text(p, 'applyDoctorName'))],
          ['处方时间', when14(text(p, 'recipeTime'))],
          ['总费用', yuan(text(p, 'fee'))],
          ['处方数', text(p, 'recipeNum')],
        ]),
        detail: present([
          ['姓名', name],
          ['住院医院', hospital],
          ['单据号', text(p, 'voucherNo')],
        ]),
        remark: text(p, 'notes'),
      };
    }
    case 'drug': {
      const cancelled = text(p, 'drugState') === 'cancel';
      return {
        ...base,
        template: cancelled ? 'refund' : 'drug',
        heading: cancelled ? '退费通知' : '取药通知',
        first: text(p, 'first'),
        facts: present([
          ['姓名', name],
          [cancelled ? '退费金额' : '总费用', yuan(text(p, 'fee'))],
          ...(cancelled
            ? [['退费说明', text(p, 'cancelDesc')] as const]
            : [['取药窗口', text(p, 'drugWindowNo')] as const]),
          ['申请科室', text(p, 'applyDepaName')],
          ['处方时间', when14(text(p, 'recipeTime'))],
        ]),
        detail: present([
          ['姓名', name],
          ['住院医院', hospital],
          ['收据号', text(p, 'hisReceiptNo')],
        ]),
        remark: text(p, 'remark'),
      };
    }
  }
}

/** The WeChat template's data: first, keyword1…n from the card's lines, remark. */
export function wechatData(view: MessageView): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = { first: { value: view.first } };
  view.facts.forEach(([, value], i) => {
    data[`keyword${i + 1}`] = { value };
  });
  data['remark'] = { value: view.remark };
  return data;
}
