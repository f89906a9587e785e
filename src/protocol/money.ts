/**
 * Money is integer fen inside the system; yuan strings with two decimals only
 * at the edge. Never a float.
 */

/** Upper bound of one amount: Char(16) of the spec, and far below 2^53 fen. */
const MAX_AMOUNT_FEN = 99_999_999_999; // 999,999,999.99 yuan

const YUAN = /^(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?$/;

/**
 * Parses a yuan amount ("100", "100.5", "100.50") into fen. Returns null for
 * anything else: signs, exponents, spaces, three decimals, leading zeros.
 */
export function parseYuan(text: string): number | null {
  if (!YUAN.test(text)) return null;
  const [whole, frac = ''] = text.split('.') as [string, string?];
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return fen <= MAX_AMOUNT_FEN ? fen : null;
}

/** A positive amount (the spec's 020003 rule): at most two decimals, above zero. */
export function parsePositiveYuan(text: string): number | null {
  const fen = parseYuan(text);
  return fen !== null && fen > 0 ? fen : null;
}

/** Formats fen as the spec's yuan string with two decimals ("100.00"). */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an integer amount of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const frac = String(abs % 100).padStart(2, '0');
  return `${sign}${Math.trunc(abs / 100)}.${frac}`;
}
