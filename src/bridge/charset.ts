import iconv from 'iconv-lite';

/** What the HIS passes: UTF-8, or the ANSI code page of Chinese Windows (936). */
export type BridgeEncoding = 'utf8' | 'gbk';

/**
 * Charset labels HIS stacks send for these two encodings. gb2312 and cp936 are
 * read as GBK because Windows' code page 936 is GBK whatever the label says;
 * gb18030 is kept apart because its four-byte sequences are not GBK.
 */
const LABELS: Readonly<Record<string, Charset>> = {
  'utf-8': 'utf8',
  utf8: 'utf8',
  gbk: 'gbk',
  gb2312: 'gbk',
  cp936: 'gbk',
  'windows-936': 'gbk',
  'x-gbk': 'gbk',
  gb18030: 'gb18030',
};

export type Charset = BridgeEncoding | 'gb18030';

/** The label written back in the answer's Content-Type. */
export const CHARSET_LABEL: Readonly<Record<Charset, string>> = {
  utf8: 'utf-8',
  gbk: 'gbk',
  gb18030: 'gb18030',
};

/**
 * The charset of a request: its Content-Type's charset parameter if any, else
 * the bridge's default. undefined for a charset we cannot convert, which the
 * bridge refuses rather than guess (a guessed charset garbles patient names).
 */
export function charsetOf(contentType: string | undefined, fallback: BridgeEncoding): Charset | undefined {
  if (!contentType) return fallback;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  if (!match) return fallback;
  return LABELS[match[1]!.toLowerCase()];
}

export function decode(body: Buffer, charset: Charset): string {
  return iconv.decode(body, charset);
}

/** Characters GBK lacks become '?' (iconv-lite's default), the same as Windows' own ANSI conversion. */
export function encode(text: string, charset: Charset): Buffer {
  return iconv.encode(text, charset);
}
