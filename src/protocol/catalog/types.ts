import type { SpecCode } from '../codes.js';

/**
 * One field of a spec table. The spec's field tables are the single source of
 * truth: validation, the generated reference and the TypeScript types all
 * come from these records.
 */
export interface Field {
  /** Exact wire name, case as the spec writes it (PosNo, ShowMsg, Business_type…). */
  readonly name: string;
  /** string: Char(n)/String(n); object: JSON/Map (accepts an object, a JSON string, or ""); list: JSON array. */
  readonly kind: 'string' | 'object' | 'list';
  /** The spec's type column verbatim, normalised (e.g. "Char(32)", "JSON", "String"). */
  readonly specType: string;
  /** Maximum length in characters (Char(n)); absent when the spec gives none. */
  readonly max?: number;
  /**
   * Our own bound when the spec gives no usable length (absent, or a declared
   * Char(n) its own values exceed): nothing on the wire is unbounded.
   * Validation uses `max ?? cap ?? DEFAULT_CAP_CHARS`.
   */
  readonly cap?: number;
  /** 可空 = Y. */
  readonly optional: boolean;
  /** 说明 column. */
  readonly title: string;
  /** 备注 column (may be long). */
  readonly note?: string;
  /** Name of a dictionary in dictionaries.ts whose codes are the only allowed values. */
  readonly dict?: string;
  /** Code answered for a value outside `dict` (020007 for channels); 020000 when absent. */
  readonly dictCode?: SpecCode;
  /**
   * The dictionary documents the known values but others pass: used where the
   * spec defines a single meaningful value for a required field.
   */
  readonly dictOpen?: boolean;
  /**
   * Marked N in the table but only needed when the platform opens a deposit
   * account (通用统一预交金开户字段): validated as optional here, enforced by
   * the trades layer when it opens an account.
   */
  readonly requiredForAccountOpening?: boolean;
  /**
   * A code of digits shorter than this is the same code left-padded with
   * zeros (portal.wb.getWristbandCode declares idType Char(1): "1" is "01").
   */
  readonly zeroPad?: number;
  /** Extra format rule beyond length. */
  readonly rule?: FieldRule;
  /** Most items a list field may carry (bounds the work of validating it). */
  readonly maxItems?: number;
  /** Nested fields of an object (extra) or of each list item (examList). */
  readonly fields?: readonly Field[];
  /** Code answered when a required field is empty, when the spec has a dedicated one (020004, 020006…). */
  readonly emptyCode?: SpecCode;
  /** Code answered for a wrong JSON type, when the spec has a dedicated one (020014 for posTrans). */
  readonly typeCode?: SpecCode;
  /** Code answered when too long, when the spec has a dedicated one (020005 for order numbers). */
  readonly tooLongCode?: SpecCode;
  /** Where the field came from when it is not in a table (e.g. implied by a return code). */
  readonly source?: string;
}

export type FieldRule =
  | 'amount' // positive yuan, at most two decimals (020003)
  | 'amountOrZero' // yuan, at most two decimals, zero allowed (020003)
  | 'time14' // yyyyMMddHHmmss Beijing time (020011)
  | 'date8' // yyyyMMdd (020011)
  | 'dateDash' // yyyy-MM-dd (020011)
  | 'digits'; // pure decimal integer (020000)

export interface TransTypeSpec {
  /** Dotted name as on the wire ("hop.trade.recharge"). */
  readonly name: string;
  /** 类型说明 / section title in Chinese. */
  readonly title: string;
  /** Section of the spec (统一支付类接口, 医保移动支付类接口, 腕带支付类接口, 推送类接口…). */
  readonly group: string;
  /** Who answers it: the client itself (setinfo) or the platform. */
  readonly handledBy: 'client' | 'platform';
  /** Request param fields. */
  readonly request: readonly Field[];
  /** Response param fields (respCode/respMsg are implied for every transType). */
  readonly response: readonly Field[];
  /** Scenario text of the spec (应用场景), notes. */
  readonly notes?: string;
  /** What a HIS reading only respCode would get wrong: printed first and loudly in the reference. */
  readonly warning?: string;
  /** Fields of the response beside respCode/respMsg/param (recharge's top-level extra). */
  readonly responseTop?: readonly Field[];
  /** Code for a missing/empty param (010008 支付参数为空 unless the spec has a closer one). */
  readonly paramEmptyCode?: SpecCode;
  /** Code for a param that is not a JSON object (010007 支付参数非法 unless closer). */
  readonly paramInvalidCode?: SpecCode;
}

/** Bound for a string field whose spec gives no usable length. */
export const DEFAULT_CAP_CHARS = 256;
