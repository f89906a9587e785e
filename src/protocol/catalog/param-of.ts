/**
 * The request types computed from the catalog's rows: a transType's param is
 * written once, as its spec table, and `ParamOf` reads the names, the 可空
 * column, the kinds and the nested fields from there. What validation leaves
 * in a param (validate.ts) is what these types say:
 * - a string field is a string; a required one is never blank, an optional
 *   one may be absent or blank;
 * - an object field of the request itself is always an object (empty when not
 *   sent); nested objects and lists are absent when not sent;
 * - an object's keys beyond its table pass through (`extra` carries the
 *   hospital's own keys), so nested objects also read as records;
 * - amounts stay the yuan text the caller sent (it is hashed and stored as
 *   sent); their value in fen is in `FenOf`, converted once by validation.
 */
import type { Field } from './types.js';

type AmountRule = 'amount' | 'amountOrZero';

/** Whether validation guarantees the field is there: required, or an object of the request itself. */
type Present<F, Top extends boolean> = F extends { readonly optional: false }
  ? true
  : Top extends true
    ? F extends { readonly kind: 'object' }
      ? true
      : false
    : false;

/** The value of one field after validation. */
type ValueOf<F> = F extends { readonly kind: 'string' }
  ? string
  : F extends { readonly kind: 'list'; readonly fields: infer Fs extends readonly Field[] }
    ? readonly NestedOf<Fs>[]
    : F extends { readonly kind: 'list' }
      ? readonly Readonly<Record<string, unknown>>[]
      : F extends { readonly fields: infer Fs extends readonly Field[] }
        ? NestedOf<Fs>
        : Readonly<Record<string, unknown>>;

/** The fields of a table as an object type: present ones required, the others optional. */
export type FieldsOf<Fs extends readonly Field[], Top extends boolean> = {
  readonly [F in Fs[number] as Present<F, Top> extends true ? F['name'] : never]: ValueOf<F>;
} & {
  readonly [F in Fs[number] as Present<F, Top> extends true ? never : F['name']]?: ValueOf<F>;
};

/** A nested object: its table's fields, and whatever else the caller put there. */
type NestedOf<Fs extends readonly Field[]> = FieldsOf<Fs, false> & Readonly<Record<string, unknown>>;

/** The amount fields of a table in fen: validation parsed them, handlers read them from here. */
export type FenFieldsOf<Fs extends readonly Field[]> = {
  readonly [F in Fs[number] as F extends { readonly rule: AmountRule } ? F['name'] : never]: F extends {
    readonly optional: false;
  }
    ? number
    : number | undefined;
};
