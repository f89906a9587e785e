import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { openSecret, sealSecret } from '../apps/master-key.js';

/**
 * The request fields that carry a patient's ID or phone number. PIPL treats ID
 * numbers as sensitive personal information: wherever one of these is stored
 * (a column or inside a JSON blob) it is sealed, and looked up by keyed hash.
 */
const NUMBER_FIELDS: ReadonlySet<string> = new Set([
  'idNo',
  'certNo',
  'mobilePhone',
  'phone',
  'telephone',
  'contactNumber',
]);

/** sealSecret's format: v1.<iv 12 bytes>.<tag 16 bytes>.<ciphertext>, base64url. */
const SEALED = /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/;
const BOUND_TO = 'patient-number';

/**
 * Seals patients' ID and phone numbers at rest with a key derived from the
 * master key, and gives keyed hashes to find rows by them: a copied database
 * file hands out neither the numbers nor a hash that can be brute-forced
 * (an ID number has few enough values that a plain hash could be).
 */
export class PatientData {
  // Key objects, made once: importing a raw key on every seal or hash was most of its cost.
  private readonly sealKey: KeyObject;
  private readonly hashKey: KeyObject;

  constructor(masterKey: Buffer) {
    this.sealKey = createSecretKey(
      Buffer.from(hkdfSync('sha256', masterKey, '', 'onepay patient numbers: seal', 32)),
    );
    this.hashKey = createSecretKey(
      Buffer.from(hkdfSync('sha256', masterKey, '', 'onepay patient numbers: look-up', 32)),
    );
  }

  /** '' stays '' (nothing to hide); a sealed value is not sealed twice. */
  seal(plain: string): string {
    if (plain === '' || isSealed(plain)) return plain;
    return sealSecret(this.sealKey, plain, BOUND_TO);
  }

  /** Opens a sealed value; a value written before sealing (plain) reads as itself. */
  open(value: string | null | undefined): string {
    if (value === null || value === undefined) return '';
    return isSealed(value) ? openSecret(this.sealKey, value, BOUND_TO) : value;
  }

  /** The keyed hash rows are found by; '' for an empty number (nothing to find). */
  lookupHash(plainOrSealed: string): string {
    const plain = this.open(plainOrSealed);
    if (plain === '') return '';
    return createHmac('sha256', this.hashKey).update(plain, 'utf8').digest('base64url');
  }

  /**
   * A copy of a JSON value with every number field sealed, at any depth. One
   * number met again (the patient's and the request's copy of it, in one
   * order) is sealed once when the calls share `sealed`.
   */
  sealFields<T>(value: T, sealed: Map<string, string> = new Map()): T {
    return mapNumberFields(value, (v) => {
      let out = sealed.get(v);
      if (out === undefined) {
        out = this.seal(v);
        sealed.set(v, out);
      }
      return out;
    });
  }

  /** A copy with every number field opened. */
  openFields<T>(value: T): T {
    return mapNumberFields(value, (v) => this.open(v));
  }

  /**
   * A copy for hashing a request: number fields replaced by their keyed hash,
   * so the stored request hash cannot be used to guess an ID number, while a
   * request without one hashes exactly as it always did.
   */
  hashableFields<T>(value: T): T {
    return mapNumberFields(value, (v) => (v === '' ? v : `#${this.lookupHash(v)}`));
  }
}

export function isSealed(value: string): boolean {
  return SEALED.test(value);
}

/**
 * The value with `map` applied to its number fields; the same object when it
 * holds none (no copy). Runs on every object of a recharge's patient and
 * request (twice to seal, once to hash): only objects and arrays are walked
 * into, a scalar that is no number field is left where it is.
 */
function mapNumberFields<T>(value: T, map: (v: string) => string): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => mapNumberFields(v, map));
    return (items.some((v, i) => v !== value[i]) ? items : value) as T;
  }
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const v = record[key];
    let mapped: unknown;
    if (typeof v === 'string') {
      if (!NUMBER_FIELDS.has(key)) continue;
      mapped = map(v);
    } else if (v !== null && typeof v === 'object') {
      mapped = mapNumberFields(v, map);
    } else {
      continue;
    }
    if (mapped !== v) {
      out ??= { ...record };
      out[key] = mapped;
    }
  }
  return (out ?? value) as T;
}
