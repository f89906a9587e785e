import { parseYuan } from '../../../protocol/money.js';

/**
 * A channel's statement that cannot be believed whole: not published, cut
 * short, malformed, or failing its hash or signature. The reconciliation run
 * stops with this message (Chinese, for the finance office) and matches nothing.
 */
export class StatementError extends Error {
  override readonly name = 'StatementError';
}

/** A bill's amount of yuan ("12.34", "-12.34" for money given back) as positive fen; throws on anything else. */
export function billFen(text: string, where: string): number {
  const fen = parseYuan(text.replace(/^-/, ''));
  if (fen === null) throw new StatementError(`${where}：金额「${text}」无法识别`);
  return fen;
}

/** A bill's Beijing time `yyyy-MM-dd HH:mm:ss` in milliseconds; throws on anything else. */
export function billTime(text: string, where: string): number {
  if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text))
    throw new StatementError(`${where}：时间「${text}」无法识别`);
  return Date.parse(`${text.replace(' ', 'T')}+08:00`);
}

/** The position of each named column in a bill's header line; throws naming the first one missing. */
export function columnsOf<K extends string>(
  header: readonly string[],
  wanted: Readonly<Record<K, string>>,
  bill: string,
): Record<K, number> {
  const found = {} as Record<K, number>;
  for (const [key, name] of Object.entries(wanted) as [K, string][]) {
    const at = header.indexOf(name);
    if (at < 0) throw new StatementError(`${bill}缺少「${name}」列，格式无法识别`);
    found[key] = at;
  }
  return found;
}
