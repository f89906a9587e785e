/**
 * The sealed envelope of wire format v1 (docs/wire-format.md): key
 * derivation, seal, parse, open, and what a client believes of an answer.
 * Pure: no I/O; time and randomness can be injected for tests and vectors.
 */
export {
  type ReadAnswerOptions,
  type ReadAnswerResult,
  readAnswer,
  UNSEALED_ANSWER_CODES,
} from './answer.js';
export { canonicalHeader, type HeaderFields } from './header.js';
export {
  deriveKeys,
  exportKeys,
  importKeys,
  isSuite,
  KEY_CACHE_MAX_ENTRIES,
  keysFromSecret,
  type StoredKeys,
  SUITE_DIGEST,
} from './keys.js';
export { type NonceVerdict, NonceWindow, type NonceWindowOptions } from './nonce-window.js';
export {
  type OpenOptions,
  type OpenRequestOptions,
  type OpenResponseOptions,
  type OpenResult,
  openEnvelope,
  peerTimeOf,
} from './open.js';
export { checkEnvelope, MAX_BODY_CHARS, type ParseResult, parseEnvelope } from './parse.js';
export { type SealOptions, type SealResponseOptions, sealRequest, sealResponse } from './seal.js';
export {
  type AesKeys,
  DEFAULT_WINDOW_SECONDS,
  type Direction,
  type Envelope,
  MAX_APPID_CHARS,
  MAX_REQUEST_PLAINTEXT_CHARS,
  MAX_RESPONSE_PLAINTEXT_CHARS,
  MAX_SECRET_CHARS,
  type SmKeys,
  SUITES,
  type Suite,
  type SuiteKeys,
} from './types.js';
