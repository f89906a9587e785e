import { deflateSync } from 'node:zlib';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';

/** One line of the double's ZM (一般交易流水) file. */
export interface ZmLine {
  readonly txnType: '01' | '04' | '31';
  readonly txnSubType: string;
  readonly orderId: string;
  readonly queryId: string;
  readonly origQryId: string;
  readonly fen: number;
  /** MMDDhhmmss, Beijing time. */
  readonly txnTime: string;
  readonly merId: string;
}

// The ZM file's fixed widths in bytes, each field followed by one space (UnionPay's file interface).
const WIDTHS = [
  3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15, 1, 15, 32,
  13, 13, 8, 32, 13, 13, 12, 2, 1, 32, 98,
];
const TRADE_CODE: Readonly<Record<ZmLine['txnType'], string>> = { '01': 'S22', '04': 'S30', '31': 'S31' };

function zmLine(l: ZmLine, seq: number): string {
  const values: Record<number, string> = {
    0: TRADE_CODE[l.txnType],
    1: '00000000000',
    2: '00000000000',
    3: String(seq % 1_000_000).padStart(6, '0'),
    4: l.txnTime,
    5: '6216********0018',
    6: String(l.fen).padStart(12, '0'),
    7: '8062',
    8: '07',
    9: l.queryId,
    11: l.orderId,
    15: '0'.repeat(13),
    16: String(l.fen).padStart(13, '0'),
    19: l.txnType,
    20: l.txnSubType,
    21: '000000',
    26: l.origQryId,
    27: l.merId,
  };
  return WIDTHS.map((w, i) => (values[i] ?? '').padEnd(w, ' ').slice(0, w)).join(' ');
}

/** How a test spoils the next file: signed by another key, or its content cut short. */
export type ZmDamage = 'signature' | 'truncated';

/**
 * The fileContent of a file-transfer answer as UnionPay sends it: a ZIP
 * holding the day's ZM file (`INN<yyMMdd>88ZM_<merId>`, GBK, CRLF lines),
 * deflated, in base64.
 */
export function zmFileContent(
  merId: string,
  day: string,
  lines: readonly ZmLine[],
  damage?: ZmDamage,
): string {
  const text = lines.map((l, i) => `${zmLine(l, i + 1)}\r\n`).join('');
  const name = `INN${day.slice(2).replaceAll('-', '')}88ZM_${merId}`;
  const content = deflateSync(zipSync({ [name]: iconv.encode(text, 'gbk') })).toString('base64');
  return damage === 'truncated' ? content.slice(0, Math.floor(content.length / 2)) : content;
}
