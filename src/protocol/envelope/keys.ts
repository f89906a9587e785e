import { createHmac, hkdfSync } from 'node:crypto';
import { SpecError } from '../codes.js';
import {
  type AesKeys,
  isWellFormedText,
  KCV_BYTES,
  MAX_SECRET_CHARS,
  PROTOCOL_LABEL,
  type SmKeys,
  SUITES,
  type Suite,
  type SuiteKeys,
} from './types.js';

/** SM suite stays inside the Chinese national algorithms end to end; AES suite inside FIPS ones. */
export const SUITE_DIGEST: Readonly<Record<Suite, 'sm3' | 'sha256'>> = { SM: 'sm3', AES: 'sha256' };

const SALT = Buffer.from(PROTOCOL_LABEL, 'utf8');
const DERIVED_KEY_BYTES = 32;
const SM4_KEY_BYTES = 16;
const AES_KEY_BYTES = 32;

export function isSuite(value: unknown): value is Suite {
  return typeof value === 'string' && (SUITES as readonly string[]).includes(value);
}

function hkdf(suite: Suite, ikm: Buffer, info: string, length: number): Buffer {
  // hkdfSync hands back a fresh ArrayBuffer; wrapping it does not copy.
  return Buffer.from(hkdfSync(SUITE_DIGEST[suite], ikm, SALT, info, length));
}

/**
 * Derives the per-purpose keys of one suite from the appsecret (HKDF, salt
 * "onepay/v1", info enc|auth|mac|kcv). One key per purpose, so the tag key
 * never signs and the signing key never encrypts. Costs several HKDF runs:
 * derive once per app and keep the result (`keysFromSecret`, `exportKeys`).
 * Throws SpecError 010005 for a secret that cannot be a valid appsecret.
 */
export function deriveKeys(secret: string, suite: Suite): SuiteKeys {
  if (!isSuite(suite)) throw new SpecError('000001', `未知加密套件 ${String(suite)}`);
  if (typeof secret !== 'string' || secret.length === 0) throw new SpecError('010005', 'appsecret 为空');
  if (secret.length > MAX_SECRET_CHARS) {
    throw new SpecError('010005', `appsecret 超过 ${MAX_SECRET_CHARS} 字符`);
  }
  // A lone surrogate has no UTF-8 form; encoders differ in how they replace
  // it, so a Delphi or C# peer could derive other keys from the "same" secret.
  if (!isWellFormedText(secret)) throw new SpecError('010005', 'appsecret 含无效字符');
  const ikm = Buffer.from(secret, 'utf8');
  const kcvKey = hkdf(suite, ikm, 'kcv', DERIVED_KEY_BYTES);
  const kcv = createHmac(SUITE_DIGEST[suite], kcvKey)
    .update('kcv')
    .digest()
    .subarray(0, KCV_BYTES)
    .toString('hex');
  const macKey = hkdf(suite, ikm, 'mac', DERIVED_KEY_BYTES);
  if (suite === 'SM') {
    const keys: SmKeys = {
      suite,
      encKey: hkdf(suite, ikm, 'enc', SM4_KEY_BYTES),
      authKey: hkdf(suite, ikm, 'auth', DERIVED_KEY_BYTES),
      macKey,
      kcv,
    };
    return keys;
  }
  const keys: AesKeys = { suite, encKey: hkdf(suite, ikm, 'enc', AES_KEY_BYTES), macKey, kcv };
  return keys;
}

/** Enough for every app a client or a platform process talks for at once. */
export const KEY_CACHE_MAX_ENTRIES = 256;
const cache = new Map<string, SuiteKeys>();

/**
 * `deriveKeys` behind a bounded LRU, for callers that only hold the secret
 * (the client). The returned Buffers are shared: treat them as read-only.
 */
export function keysFromSecret(secret: string, suite: Suite): SuiteKeys {
  // The suite never contains NUL, so the key cannot collide across suites.
  const id = `${suite}\u0000${secret}`;
  const hit = cache.get(id);
  if (hit) {
    // Re-insert so Map order is least-recently-used first.
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const keys = deriveKeys(secret, suite);
  if (cache.size >= KEY_CACHE_MAX_ENTRIES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(id, keys);
  return keys;
}

/** Derived keys in a storable form: the platform keeps these, never the appsecret. */
export interface StoredKeys {
  suite: Suite;
  encKey: string;
  /** Present for the SM suite only. */
  authKey?: string;
  macKey: string;
  kcv: string;
}

export function exportKeys(keys: SuiteKeys): StoredKeys {
  const out: StoredKeys = {
    suite: keys.suite,
    encKey: keys.encKey.toString('hex'),
    macKey: keys.macKey.toString('hex'),
    kcv: keys.kcv,
  };
  if (keys.suite === 'SM') out.authKey = keys.authKey.toString('hex');
  return out;
}

function hexKey(value: unknown, bytes: number, name: string): Buffer {
  if (typeof value !== 'string' || value.length !== bytes * 2 || !/^[0-9a-f]*$/.test(value)) {
    throw new SpecError('010005', `${name} 须为 ${bytes * 2} 位小写十六进制`);
  }
  return Buffer.from(value, 'hex');
}

/** Inverse of `exportKeys`; throws SpecError 010005 when a stored record is damaged. */
export function importKeys(stored: StoredKeys): SuiteKeys {
  if (!isSuite(stored.suite)) throw new SpecError('010005', `未知加密套件 ${String(stored.suite)}`);
  const macKey = hexKey(stored.macKey, DERIVED_KEY_BYTES, 'macKey');
  const kcv = hexKey(stored.kcv, KCV_BYTES, 'kcv').toString('hex');
  if (stored.suite === 'SM') {
    return {
      suite: 'SM',
      encKey: hexKey(stored.encKey, SM4_KEY_BYTES, 'encKey'),
      authKey: hexKey(stored.authKey, DERIVED_KEY_BYTES, 'authKey'),
      macKey,
      kcv,
    };
  }
  return { suite: 'AES', encKey: hexKey(stored.encKey, AES_KEY_BYTES, 'encKey'), macKey, kcv };
}
