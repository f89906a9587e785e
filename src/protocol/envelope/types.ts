/**
 * Shapes and limits of the sealed envelope (wire format v1, see
 * docs/wire-format.md). Every limit is here so parse, seal and open agree.
 */

export const SUITES = ['SM', 'AES'] as const;
export type Suite = (typeof SUITES)[number];

export type Direction = 'req' | 'resp';

/** The HTTP body of a sealed request or response, exactly as it travels. */
export interface Envelope {
  v: 1;
  appid: string;
  suite: Suite;
  /** Unix seconds, decimal, no sign, no leading zeros. */
  ts: string;
  /** 16 random bytes, 32 lowercase hex. */
  nonce: string;
  /** Key check value: 8 bytes, 16 lowercase hex. */
  kcv: string;
  iv: string;
  /** Ciphertext with its 16-byte integrity tag appended, base64. */
  ct: string;
  /** Message signature over header and plaintext: 32 bytes, 64 lowercase hex. */
  mac: string;
}

/** Keys of the SM suite: SM4-CBC for secrecy, HMAC-SM3 for the tag and the signature. */
export interface SmKeys {
  readonly suite: 'SM';
  readonly encKey: Buffer;
  readonly authKey: Buffer;
  readonly macKey: Buffer;
  readonly kcv: string;
}

/** Keys of the AES suite: AES-256-GCM carries its own tag, so no separate auth key. */
export interface AesKeys {
  readonly suite: 'AES';
  readonly encKey: Buffer;
  readonly macKey: Buffer;
  readonly kcv: string;
}

export type SuiteKeys = SmKeys | AesKeys;

/** Version label that starts every canonical header and salts key derivation. */
export const PROTOCOL_LABEL = 'onepay/v1';

/** The spec's pindata is Char(2048); characters are UTF-16 code units (JS string length). */
export const MAX_REQUEST_PLAINTEXT_CHARS = 2048;
/**
 * poutdata is Char(2048) too, but an answer the platform made too long must
 * still reach the client as an answer rather than be dropped by the
 * envelope, so responses get head-room; the bound only stops abuse.
 */
export const MAX_RESPONSE_PLAINTEXT_CHARS = 8192;
/** The spec's appid is Char(256). */
export const MAX_APPID_CHARS = 256;
/** The spec's appsecret is Char(256). */
export const MAX_SECRET_CHARS = 256;
/** 12 digits of unix seconds reach the year 33658: plenty, and always a safe integer. */
export const MAX_TS_DIGITS = 12;
export const DEFAULT_WINDOW_SECONDS = 300;

export const NONCE_BYTES = 16;
export const KCV_BYTES = 8;
export const MAC_BYTES = 32;
export const TAG_BYTES = 16;
export const IV_BYTES: Readonly<Record<Suite, number>> = { SM: 16, AES: 12 };

export function maxPlaintextChars(direction: Direction): number {
  return direction === 'req' ? MAX_REQUEST_PLAINTEXT_CHARS : MAX_RESPONSE_PLAINTEXT_CHARS;
}

/**
 * `now` is unix SECONDS everywhere in the envelope API, like `ts` on the
 * wire. Milliseconds passed by mistake would reject every message as stale,
 * so anything past the year 5138 (1e11 s) is refused as a caller bug.
 */
const MAX_NOW_SECONDS = 1e11;

export function assertUnixSeconds(now: number): void {
  if (!Number.isFinite(now) || now < 0 || now >= MAX_NOW_SECONDS) {
    throw new TypeError(`now must be unix seconds (0 ≤ now < 1e11), got ${now}`);
  }
}

/**
 * False when the text holds a lone surrogate, which has no UTF-8 form: each
 * encoder replaces it its own way, so peers would sign different bytes.
 * String#isWellFormed (V8 11.3, Node 20) is native and ~10× a regex on 2048 chars.
 */
export function isWellFormedText(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
