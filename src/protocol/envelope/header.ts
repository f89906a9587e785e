import { type Direction, PROTOCOL_LABEL, type Suite } from './types.js';

export interface HeaderFields {
  direction: Direction;
  appid: string;
  suite: Suite;
  ts: string;
  nonce: string;
  /** The request's nonce in a response; '' in a request. */
  reqNonce: string;
}

/**
 * The canonical header both the integrity tag and the signature cover.
 * Lines are joined by "\n" with no trailing newline. It parses one way only
 * because appid may not contain control characters, suite and direction are
 * fixed words, ts is digits and both nonces are fixed-length hex: so no two
 * field sets give the same bytes, and none is a prefix of another plus iv.
 */
export function canonicalHeader(f: HeaderFields): string {
  return `${PROTOCOL_LABEL}\n${f.direction}\n${f.appid}\n${f.suite}\n${f.ts}\n${f.nonce}\n${f.reqNonce}`;
}
