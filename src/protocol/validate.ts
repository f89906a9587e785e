/**
 * Validation of a pindata request against the catalog, answering the spec's
 * return codes. Total: no input throws; anything unexpected is an answer.
 * Pure: no I/O, no clock.
 */
import { CATALOG, type FenOf, isTransTypeName, type ParamOf, type TransTypeName } from './catalog/index.js';
import { DEFAULT_CAP_CHARS, type Field, type TransTypeSpec } from './catalog/types.js';
import { takesAuthCode } from './channels.js';
import { type Answer, fail, type SpecCode } from './codes.js';
import { DICTIONARIES, inDictionary, isDictionaryName } from './dictionaries.js';
import { parsePositiveYuan, parseYuan } from './money.js';
import { isCalendarDate, parseBeijing14 } from './time.js';

/** Whole request, in characters: far above any valid request, low enough to bound the work. */
export const MAX_PINDATA_CHARS = 65_536;
/** Serialised size of one object field (extra and its pass-through keys). */
export const MAX_OBJECT_CHARS = 8_192;
/** Nesting of the request (pindata → param → extra → examList → item is 5). */
export const MAX_DEPTH = 16;
/** Values (objects, arrays, scalars) in one request. */
export const MAX_NODES = 10_000;

/** A request that passed, typed by its transType: `param` and `fen` as its table computes them. */
export type CheckedRequest<T extends TransTypeName = TransTypeName> = {
  [K in T]: {
    ok: true;
    transType: K;
    /** The known fields as validation left them (the text the caller sent, normalised). */
    param: ParamOf<K>;
    /** The amount fields in fen, parsed once here so no handler parses yuan again. */
    fen: FenOf<K>;
    /**
     * Fields the transType's table does not list, left out of `param`: the
     * client passes them on, so an app set to strictParams can refuse them.
     */
    ignored?: Readonly<Record<string, unknown>>;
  };
}[T];

export type Validated = CheckedRequest | { ok: false; answer: Answer };

interface ValidateOptions {
  /**
   * Refuse fields the table does not list (020000), for integration testing.
   * Off by default: a HIS builds one parameter set and reuses it, and the
   * vendor's platform ignores what it does not know (DESIGN.md, second round).
   */
  readonly strict?: boolean;
}

/** One step of the order in which checks run; the first failing check answers. */
interface PrecedenceStep {
  readonly codes: readonly SpecCode[];
  readonly text: string;
}

/** Descending precedence: when several codes apply, the earliest step answers. */
export const PRECEDENCE: readonly PrecedenceStep[] = [
  { codes: ['000003'], text: '请求报文为空: undefined、null、空串或仅空白 (JSON 文本 "null" 同样)' },
  {
    codes: ['000004'],
    text: `请求格式非法: 不是 JSON、不是 JSON 对象 (数组、数字…)、超过 ${MAX_PINDATA_CHARS} 字符 / 深度 ${MAX_DEPTH} / ${MAX_NODES} 个值、含 __proto__ 键或非 JSON 值`,
  },
  { codes: ['010001'], text: 'transType 缺失、null 或空白' },
  { codes: ['010002'], text: 'transType 不是字符串或不在目录中 (名称须逐字一致, 不去空格)' },
  {
    codes: ['010008', '010011', '010013'],
    text: 'param 缺失、null 或空串 (退款/冲销 010011, 充值关闭 010013, 其余 010008)',
  },
  {
    codes: ['010007', '010010', '010012'],
    text: 'param 不是 JSON 对象 (退款/冲销 010010, 充值关闭 010012, 其余 010007)',
  },
  {
    codes: ['020000'],
    text: '任何字段 (extra 内的也算) 的名或值含 NUL 等控制字符 (制表、换行除外) 或不成对的代理项: 指明字段, 什么都不存',
  },
  {
    codes: ['020000'],
    text: '严格模式 (应用设置 strictParams) 下 param 含表中未定义的字段 (全部列出); 默认忽略这些字段; extra 内的未定义键允许透传',
  },
  {
    codes: [
      '020001',
      '020004',
      '020006',
      '020012',
      '020013',
      '020000',
      '020014',
      '020002',
      '020005',
      '020003',
      '020011',
      '020007',
    ],
    text: '逐字段按表中顺序 (对象字段之后紧接其子字段, 列表逐项): 为空 (020001, 或字段专用码 020004/020006/020012/020013) → 类型 (020000; posTrans 020014) → 长度 (020002; 订单号 020005; posTrans 020014) → 格式 (金额 020003, 日期 020011, 纯数字 020000) → 字典 (020000; 支付渠道 020007)',
  },
  {
    codes: ['020010', '020009', '020008', '020001', '020000', '020003', '020011'],
    text: '跨字段规则, 按各交易列出的顺序 (见 CROSS_RULES)',
  },
];

/** Channels that need extra.authCode (被扫: the patient shows a code). */
/** Channels that need extra.openId (公众号 / 服务窗 pay inside the wallet's browser). */
const OPEN_ID_CHANNELS: ReadonlySet<string> = new Set(['WX_PUB', 'ALI_PUB']);
/** Channels that need extra.returnUrl (the wallet's page redirects back). */
const RETURN_URL_CHANNELS: ReadonlySet<string> = new Set(['ALI_WEB', 'ALI_WAP']);

type Param = Record<string, unknown>;

/** A rule spanning several fields; runs after every field passed. */
interface CrossRule {
  readonly codes: readonly SpecCode[];
  readonly text: string;
  readonly check: (param: Param) => Answer | null;
}

function isBlank(v: unknown): boolean {
  return v === undefined || (typeof v === 'string' && v.trim() === '');
}

function extraOf(param: Param): Param {
  const e = param['extra'];
  return isPlainObject(e) ? e : {};
}

const channelExtraRules: readonly CrossRule[] = [
  {
    codes: ['020010'],
    text: 'depositType 为 ALI_BAR/WX_BAR/UP_BAR/ONE_BAR 时 extra.authCode 不能为空',
    check: (p) =>
      takesAuthCode(String(p['depositType'])) && isBlank(extraOf(p)['authCode'])
        ? fail('020010', `depositType=${String(p['depositType'])} 时必须传 extra.authCode`)
        : null,
  },
  {
    codes: ['020009'],
    text: 'depositType 为 WX_PUB/ALI_PUB 时 extra.openId 不能为空',
    check: (p) =>
      OPEN_ID_CHANNELS.has(String(p['depositType'])) && isBlank(extraOf(p)['openId'])
        ? fail('020009', `depositType=${String(p['depositType'])} 时必须传 extra.openId`)
        : null,
  },
  {
    codes: ['020008'],
    text: 'depositType 为 ALI_WEB/ALI_WAP 时 extra.returnUrl 不能为空',
    check: (p) =>
      RETURN_URL_CHANNELS.has(String(p['depositType'])) && isBlank(extraOf(p)['returnUrl'])
        ? fail('020008', `depositType=${String(p['depositType'])} 时必须传 extra.returnUrl`)
        : null,
  },
];

/**
 * recpay: itemSeq runs 1..n in list order, and consumeAmount equals the sum
 * of totPrice × itemNum in fen (totPrice is the discounted unit price, and
 * consumeAmount the whole consumption; rechargeAmount is the self-paid part
 * of it, so it cannot exceed it). BigInt keeps the sum exact at any size.
 */
const recpayRules: readonly CrossRule[] = [
  {
    codes: ['020000'],
    text: 'extra.examList[i].itemSeq 须依次为 1, 2, 3 …',
    check: (p) => {
      const list = extraOf(p)['examList'];
      if (!Array.isArray(list)) return null;
      for (let i = 0; i < list.length; i++) {
        const seq = (list[i] as Param)['itemSeq'];
        if (seq !== String(i + 1)) {
          return fail('020000', `extra.examList[${i}].itemSeq 须为 ${i + 1} (项目序号必须按顺序 1, 2, 3)`);
        }
      }
      return null;
    },
  },
  {
    codes: ['020003'],
    text: 'consumeAmount 须等于 Σ extra.examList[i].totPrice × itemNum (以分计)',
    check: (p) => {
      const list = extraOf(p)['examList'];
      const consume = parseYuan(String(p['consumeAmount']));
      if (!Array.isArray(list) || consume === null) return null;
      let sum = 0n;
      for (const item of list as Param[]) {
        const price = parseYuan(String(item['totPrice']));
        if (price === null || !/^[0-9]+$/.test(String(item['itemNum']))) return null;
        sum += BigInt(price) * BigInt(String(item['itemNum']));
      }
      if (sum === BigInt(consume)) return null;
      return fail('020003', `consumeAmount=${String(p['consumeAmount'])} 与细目合计 ${fenText(sum)} 不一致`);
    },
  },
  {
    codes: ['020003'],
    text: 'rechargeAmount (自费金额) 不能大于 consumeAmount',
    check: (p) => {
      const pay = parseYuan(String(p['rechargeAmount']));
      const consume = parseYuan(String(p['consumeAmount']));
      return pay !== null && consume !== null && pay > consume
        ? fail(
            '020003',
            `rechargeAmount=${String(p['rechargeAmount'])} 大于 consumeAmount=${String(p['consumeAmount'])}`,
          )
        : null;
    },
  },
];

function fenText(fen: bigint): string {
  const frac = String(fen % 100n).padStart(2, '0');
  return `${fen / 100n}.${frac}`;
}

/** Rules per transType, in the order they run. */
export const CROSS_RULES: Readonly<Record<TransTypeName, readonly CrossRule[]>> = {
  'hop.trade.setinfo': [],
  'hop.account.info': [],
  'hop.trade.recharge': channelExtraRules,
  'hop.trade.recharge.close': [],
  'hop.trade.refund': [
    {
      codes: ['020004'],
      text: 'traceNo 与 outChargeNo 二选一, 不能同时为空 (同时存在时 traceNo 优先)',
      check: (p) =>
        isBlank(p['traceNo']) && isBlank(p['outChargeNo'])
          ? fail('020004', '原交易的 traceNo 与 outChargeNo 不能同时为空')
          : null,
    },
  ],
  'hop.trade.recpay': [...channelExtraRules, ...recpayRules],
  'hop.trade.query': [
    {
      codes: ['020001'],
      text: 'outTradeNo 与 traceNo 二选一, 不能同时为空 (同时存在时 traceNo 优先, 由调用方决定)',
      check: (p) =>
        isBlank(p['outTradeNo']) && isBlank(p['traceNo'])
          ? fail('020001', 'outTradeNo 与 traceNo 不能同时为空')
          : null,
    },
  ],
  'hop.face.query': [],
  'hop.esccard.auth.qr': [],
  'hop.trade.pay.cancel': [],
  'portal.wb.queryAccount': [],
  'portal.wb.getWristbandCode': [],
  'portal.wb.cancelQrCode': [],
  'hop.inpatient.msg.overpay': [],
  'hop.inpatient.msg.bill': [
    {
      codes: ['020001'],
      text: 'cardNo 仅自费病人 (patientType=00) 可空',
      check: (p) =>
        p['patientType'] !== '00' && isBlank(p['cardNo']) ? fail('020001', 'cardNo (仅自费病人可空)') : null,
    },
    {
      codes: ['020011'],
      text: 'beginDate 与 endDate 须为同一天',
      check: (p) =>
        p['beginDate'] !== p['endDate']
          ? fail(
              '020011',
              `beginDate 与 endDate 须为同一天 (${String(p['beginDate'])} / ${String(p['endDate'])})`,
            )
          : null,
    },
  ],
  'hop.inpatient.msg.outDepart': [],
  'hop.inpatient.msg.outHosp': [],
  'hop.inpatient.msg.common': [],
  'hop.mmpay.msg.push': [],
  'hop.mmpay.push.drug': [
    {
      codes: ['020001'],
      text: 'drugState=cancel 时 cancelDesc 不能为空',
      check: (p) =>
        p['drugState'] === 'cancel' && isBlank(p['cancelDesc'])
          ? fail('020001', 'cancelDesc (drugState=cancel 时必须填)')
          : null,
    },
  ],
};

// ---------------------------------------------------------------------------
// Plain JSON data only

class Reject {
  constructor(readonly answer: Answer) {}
}

function isPlainObject(v: unknown): v is Param {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Copies a parsed value into plain JSON data, within the bounds above. An
 * already-parsed input may be anything (class instances, cycles, getters),
 * so nothing downstream touches the caller's objects. `__proto__` keys are
 * refused because a later Object.assign by some consumer would turn them
 * into a prototype.
 */
function toPlainJson(root: unknown, startDepth = 0): unknown {
  return new PlainCopy(true).value(root, startDepth);
}

/**
 * What JSON.parse just made is plain JSON data already, and nothing else holds
 * it: the same walk checks the same bounds (in the same order, so the same
 * answer), but keeps the value instead of copying it: the copy was most of
 * validation's allocation per call.
 */
function checkParsedJson(root: unknown, startDepth = 0): unknown {
  return new PlainCopy(false).value(root, startDepth);
}

function refuse(why: string): never {
  throw new Reject(fail('000004', why));
}

/** One copy's walk: the counts of values and characters bound the whole copy, not one branch. */
class PlainCopy {
  private nodes = 0;
  private chars = 0;

  /** copy false: the value is JSON.parse's own result, checked where it is. */
  constructor(private readonly copy: boolean) {}

  value(v: unknown, depth: number): unknown {
    if (++this.nodes > MAX_NODES) refuse(`请求超过 ${MAX_NODES} 个值`);
    if (depth > MAX_DEPTH) refuse(`请求嵌套超过 ${MAX_DEPTH} 层`);
    if (typeof v === 'string') return this.text(v);
    if (v === null || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : refuse('含非有限数值');
    if (Array.isArray(v)) return this.array(v, depth);
    if (isPlainObject(v)) return this.object(v, depth);
    return refuse(`含非 JSON 值 (${typeof v})`);
  }

  private text(v: string): string {
    this.chars += v.length;
    if (this.chars > MAX_PINDATA_CHARS) refuse(`请求超过 ${MAX_PINDATA_CHARS} 字符`);
    return v;
  }

  private array(v: readonly unknown[], depth: number): readonly unknown[] {
    if (!this.copy) {
      for (let i = 0; i < v.length; i++) this.value(v[i], depth + 1);
      return v;
    }
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) out.push(this.value(v[i], depth + 1));
    return out;
  }

  private object(v: Param, depth: number): Param {
    const entries: [string, unknown][] = [];
    for (const k of Object.keys(v)) {
      if (k === '__proto__') refuse('含非法键 __proto__');
      // JSON has no undefined: an already-parsed value's undefined key is an absent key.
      if (v[k] === undefined) continue;
      this.chars += k.length;
      const item = this.value(v[k], depth + 1);
      if (this.copy) entries.push([k, item]);
    }
    return this.copy ? Object.fromEntries(entries) : v;
  }
}

function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

// ---------------------------------------------------------------------------
// Fields

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return '数组';
  switch (typeof v) {
    case 'number':
      return '数字';
    case 'boolean':
      return '布尔值';
    case 'object':
      return '对象';
    default:
      return typeof v;
  }
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_TEXT_DEPTH = 16;

/**
 * Why a string may reach no database or log, or undefined. One pass over the
 * characters: a control character anywhere answers first (as it always did),
 * and only a string holding a surrogate at all is given to the regex.
 */
function unsafeText(text: string): '含控制字符' | '含不成对的 Unicode 代理项' | undefined {
  let surrogate = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return '含控制字符';
    if (c >= 0xd800 && c <= 0xdfff) surrogate = true;
  }
  return surrogate && LONE_SURROGATE.test(text) ? '含不成对的 Unicode 代理项' : undefined;
}

/**
 * The first string (a value or a key, at any depth) that no database or log
 * should receive: a control character (NUL ends a C string and PostgreSQL
 * refuses it) or a lone surrogate (not text at all; it can compare equal to
 * another lone surrogate's replacement). Its path and why, or undefined.
 * A path is written out only for what is found or descended into.
 */
function unsafeTextIn(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') {
    const why = unsafeText(value);
    return why === undefined ? undefined : `${path} ${why}`;
  }
  if (depth > MAX_TEXT_DEPTH || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unsafeItem(value[i], path, i, depth);
      if (found) return found;
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (unsafeText(key) !== undefined) return `${path} 含非法字段名`;
    const found = unsafeItem(record[key], path, key, depth);
    if (found) return found;
  }
  return undefined;
}

/** One member of an object or array: a string checked at once, anything else walked with its path. */
function unsafeItem(item: unknown, path: string, key: string | number, depth: number): string | undefined {
  if (typeof item === 'string') {
    const why = unsafeText(item);
    return why === undefined ? undefined : `${memberPath(path, key)} ${why}`;
  }
  return item !== null && typeof item === 'object'
    ? unsafeTextIn(item, memberPath(path, key), depth + 1)
    : undefined;
}

function memberPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;
}

/** Length in characters (code points): a Chinese character counts one, an astral character (emoji) one, a lone surrogate one. */
export function charLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The limit validation enforces for a string field. */
export function limitOf(field: Field): number {
  return field.max ?? field.cap ?? DEFAULT_CAP_CHARS;
}

function brief(v: string): string {
  const chars = [...v.slice(0, 40)];
  return chars.length > 32 ? `${chars.slice(0, 32).join('')}…` : chars.join('');
}

/** Checks a string field; answers its value in fen when it is an amount. */
function checkString(field: Field, v: string, path: string): number | undefined {
  let fen: number | undefined;
  const limit = limitOf(field);
  const len = charLength(v);
  if (len > limit) {
    throw new Reject(fail(field.tooLongCode ?? '020002', `${path} 最长 ${limit} 个字符, 实际 ${len} 个`));
  }
  switch (field.rule) {
    case 'amount':
      fen = parsePositiveYuan(v) ?? undefined;
      if (fen === undefined) {
        throw new Reject(fail('020003', `${path}=${brief(v)} 须为大于 0 的元金额, 最多两位小数`));
      }
      break;
    case 'amountOrZero':
      fen = parseYuan(v) ?? undefined;
      if (fen === undefined) {
        throw new Reject(fail('020003', `${path}=${brief(v)} 须为不小于 0 的元金额, 最多两位小数`));
      }
      break;
    case 'time14':
      if (parseBeijing14(v) === null)
        throw new Reject(fail('020011', `${path}=${brief(v)} 须为 yyyyMMddHHmmss`));
      break;
    case 'date8':
      if (!isCalendarDate(v, 'compact'))
        throw new Reject(fail('020011', `${path}=${brief(v)} 须为 yyyyMMdd`));
      break;
    case 'dateDash':
      if (!isCalendarDate(v, 'dashed'))
        throw new Reject(fail('020011', `${path}=${brief(v)} 须为 yyyy-MM-dd`));
      break;
    case 'digits':
      if (!/^[0-9]+$/.test(v)) throw new Reject(fail('020000', `${path}=${brief(v)} 须为纯数字`));
      break;
    case undefined:
      break;
  }
  if (field.dict && !field.dictOpen && isDictionaryName(field.dict) && !inDictionary(field.dict, v)) {
    const allowed = Object.keys(DICTIONARIES[field.dict]).join('/');
    throw new Reject(fail(field.dictCode ?? '020000', `${path}=${brief(v)} 不在取值范围 ${allowed}`));
  }
  return fen;
}

/** Accepts an object, the JSON text of one, or "" (empty); answers the object or undefined when empty. */
function objectValue(field: Field, v: unknown, path: string, want: 'object' | 'list'): unknown {
  let value = v;
  if (typeof v === 'string') {
    if (v.trim() === '') return undefined;
    const parsed = parseJsonText(v);
    if (!parsed.ok) throw new Reject(fail(field.typeCode ?? '020000', `${path} 不是合法的 JSON`));
    value = parsed.value;
  }
  const fits = want === 'list' ? Array.isArray(value) : isPlainObject(value);
  if (!fits) {
    const expected = want === 'list' ? 'JSON 数组或其 JSON 字符串' : 'JSON 对象或其 JSON 字符串';
    throw new Reject(fail(field.typeCode ?? '020000', `${path} 应为${expected}, 实际为${typeName(value)}`));
  }
  return value;
}

/**
 * A JSON number where the table asks for an amount (`"amount": 100.5`) is the
 * yuan it writes: its shortest decimal text, then checked as any amount (at
 * most two decimals, positive). An exponent (1e2) is refused: it is no way
 * to write money. Undefined when the value is not a number or the field no amount.
 */
function amountNumberText(field: Field, raw: unknown, path: string): string | undefined {
  if (typeof raw !== 'number' || (field.rule !== 'amount' && field.rule !== 'amountOrZero')) return undefined;
  const text = Number.isFinite(raw) ? String(raw) : '';
  if (!/^\d+(\.\d{1,2})?$/.test(text)) {
    throw new Reject(fail('020003', `${path}=${brief(String(raw))} 须为元金额, 最多两位小数`));
  }
  return text;
}

/** A short code of digits as the dictionary writes it ("1" → "01" where the field says zeroPad 2). */
function zeroPadded(field: Field, text: string): string {
  const width = field.zeroPad;
  return width !== undefined && /^[0-9]+$/.test(text) && text.length < width
    ? text.padStart(width, '0')
    : text;
}

/**
 * Validates one field; answers the normalised value (undefined when absent).
 * An amount's value in fen goes to `fen` when the caller keeps them (the request's own fields).
 */
function checkField(
  field: Field,
  raw: unknown,
  path: string,
  depth: number,
  fen?: Record<string, number>,
): unknown {
  return field.kind === 'string'
    ? checkStringField(field, raw, path, fen)
    : checkObjectField(field, raw, path, depth);
}

function checkStringField(field: Field, raw: unknown, path: string, fen?: Record<string, number>): unknown {
  if (isBlank(raw)) {
    if (!field.optional) throw new Reject(fail(field.emptyCode ?? '020001', path));
    return raw;
  }
  const given = amountNumberText(field, raw, path) ?? raw;
  if (typeof given !== 'string') {
    throw new Reject(fail(field.typeCode ?? '020000', `${path} 应为字符串, 实际为${typeName(raw)}`));
  }
  const text = zeroPadded(field, given);
  const amountFen = checkString(field, text, path);
  if (fen && amountFen !== undefined) fen[field.name] = amountFen;
  return text;
}

/** An object or list field: parsed when sent as JSON text, bounded, then its own fields checked. */
function checkObjectField(field: Field, raw: unknown, path: string, depth: number): unknown {
  const want = field.kind === 'list' ? 'list' : 'object';
  const value = raw === undefined ? undefined : objectValue(field, raw, path, want);
  // A JSON string nested in extra is parsed here, so bound it like the request itself.
  const plain = typeof raw === 'string' && value !== undefined ? checkParsedJson(value, depth) : value;
  const empty = plain === undefined || (Array.isArray(plain) && plain.length === 0);
  if (empty) {
    if (!field.optional) throw new Reject(fail(field.emptyCode ?? '020001', path));
    return plain;
  }
  const size = JSON.stringify(plain).length;
  if (size > MAX_OBJECT_CHARS) {
    throw new Reject(fail('020002', `${path} 序列化后最长 ${MAX_OBJECT_CHARS} 个字符, 实际 ${size} 个`));
  }
  const nested = field.fields ?? [];
  if (Array.isArray(plain)) {
    const maxItems = field.maxItems ?? 100;
    if (plain.length > maxItems)
      throw new Reject(fail('020002', `${path} 最多 ${maxItems} 项, 实际 ${plain.length} 项`));
    return plain.map((item, i) => {
      const at = `${path}[${i}]`;
      if (!isPlainObject(item))
        throw new Reject(fail('020000', `${at} 应为 JSON 对象, 实际为${typeName(item)}`));
      return checkObject(nested, item, at, depth + 1);
    });
  }
  return checkObject(nested, plain as Param, path, depth);
}

/** Checks the known fields of an object in table order; unknown keys pass through unchanged. */
function checkObject(fields: readonly Field[], obj: Param, path: string, depth: number): Param {
  const out: Param = { ...obj };
  for (const field of fields) {
    const raw = Object.hasOwn(obj, field.name) ? obj[field.name] : undefined;
    const v = checkField(field, raw, `${path}.${field.name}`, depth + 1);
    if (v !== undefined) out[field.name] = v;
  }
  return out;
}

const KNOWN_NAMES = new WeakMap<TransTypeSpec, ReadonlySet<string>>();

/** The names of a transType's request fields; the catalog never changes, so each set is made once. */
function knownNames(spec: TransTypeSpec): ReadonlySet<string> {
  let names = KNOWN_NAMES.get(spec);
  if (!names) {
    names = new Set(spec.request.map((f) => f.name));
    KNOWN_NAMES.set(spec, names);
  }
  return names;
}

function checkParam(
  spec: TransTypeSpec,
  param: Param,
  strict: boolean,
): { out: Param; fen: Record<string, number>; ignored: Record<string, unknown> } {
  const known = knownNames(spec);
  const unknown = Object.keys(param).filter((k) => !known.has(k));
  if (strict && unknown.length > 0) {
    const shown = unknown.slice(0, 10).map(brief).join(', ');
    const more = unknown.length > 10 ? ` 等 ${unknown.length} 个` : '';
    throw new Reject(fail('020000', `未定义的参数 ${shown}${more}`));
  }
  const out: Param = {};
  const fen: Record<string, number> = {};
  for (const field of spec.request) {
    const raw = Object.hasOwn(param, field.name) ? param[field.name] : undefined;
    const v = checkField(field, raw, field.name, 2, fen);
    if (v !== undefined) out[field.name] = v;
    // Object fields always reach the caller as objects, never "" or absent.
    else if (field.kind === 'object') out[field.name] = {};
  }
  return { out, fen, ignored: Object.fromEntries(unknown.map((k) => [k, param[k]])) };
}

// ---------------------------------------------------------------------------

/** The request as plain JSON data; answers 000003 (empty) and 000004 (not a JSON object) by throwing. */
function requestData(input: unknown): Param {
  if (input === undefined || input === null) throw new Reject(fail('000003'));
  let root: unknown = input;
  if (typeof input === 'string') {
    if (input.trim() === '') throw new Reject(fail('000003'));
    if (input.length > MAX_PINDATA_CHARS)
      throw new Reject(fail('000004', `请求超过 ${MAX_PINDATA_CHARS} 字符`));
    const parsed = parseJsonText(input);
    if (!parsed.ok) throw new Reject(fail('000004', '不是合法的 JSON'));
    root = parsed.value;
    if (root === null) throw new Reject(fail('000003'));
  }
  if (!isPlainObject(root)) throw new Reject(fail('000004', `请求须为 JSON 对象, 实际为${typeName(root)}`));
  // Text was just parsed here and nobody else holds the result; a caller's object is copied.
  return (typeof input === 'string' ? checkParsedJson(root) : toPlainJson(root)) as Param;
}

/** The transType a request names; answers 010001 (missing) and 010002 (not one of the catalog's) by throwing. */
function transTypeOf(data: Param): TransTypeName {
  const transType = data['transType'];
  if (
    transType === undefined ||
    transType === null ||
    (typeof transType === 'string' && transType.trim() === '')
  ) {
    throw new Reject(fail('010001'));
  }
  if (typeof transType !== 'string') {
    throw new Reject(fail('010002', `transType 应为字符串, 实际为${typeName(transType)}`));
  }
  // The spec's own example prints `hop. trade. recharge`: white space is no part of a name.
  const name = transType.replace(/\s+/g, '');
  if (!isTransTypeName(name)) throw new Reject(fail('010002', brief(transType)));
  return name;
}

function run(input: unknown, options: ValidateOptions): Validated {
  const data = requestData(input);
  const name = transTypeOf(data);
  const spec = CATALOG[name];

  const param = data['param'];
  if (param === undefined || param === null || (typeof param === 'string' && param.trim() === '')) {
    return { ok: false, answer: fail(spec.paramEmptyCode ?? '010008', 'param') };
  }
  if (!isPlainObject(param)) {
    return {
      ok: false,
      answer: fail(spec.paramInvalidCode ?? '010007', `param 应为 JSON 对象, 实际为${typeName(param)}`),
    };
  }
  const unsafe = unsafeTextIn(param, 'param');
  if (unsafe) return { ok: false, answer: fail('020000', unsafe) };
  const { out, fen, ignored } = checkParam(spec, param, options.strict === true);
  for (const rule of CROSS_RULES[name]) {
    const answer = rule.check(out);
    if (answer) return { ok: false, answer };
  }
  // The one place the types meet the check: `out` and `fen` are what CATALOG[name] computes as ParamOf/FenOf.
  const checked = { ok: true, transType: name, param: out, fen } as CheckedRequest;
  return Object.keys(ignored).length > 0 ? { ...checked, ignored } : checked;
}

/**
 * Validates a pindata request (the JSON text, or the value already parsed).
 * The order of checks is PRECEDENCE; the answer names the field in Chinese.
 */
export function validatePindata(input: unknown, options: ValidateOptions = {}): Validated {
  try {
    return run(input, options);
  } catch (e) {
    if (e instanceof Reject) return { ok: false, answer: e.answer };
    // Only a hostile already-parsed value (a throwing getter or Proxy) gets here.
    return { ok: false, answer: fail('000004', '请求无法读取') };
  }
}

/**
 * The catalog row of a field: `fieldOf('hop.trade.recharge', 'extra.authCode')`.
 * Dotted paths walk nested fields (list items included).
 */
export function fieldOf(
  transType: TransTypeName,
  name: string,
  side: 'request' | 'response' = 'request',
): Field | undefined {
  let fields: readonly Field[] | undefined = CATALOG[transType][side];
  let found: Field | undefined;
  for (const part of name.split('.')) {
    found = fields?.find((f) => f.name === part);
    if (!found) return undefined;
    fields = found.fields;
  }
  return found;
}
