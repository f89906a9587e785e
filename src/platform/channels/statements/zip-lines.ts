import { Unzip, UnzipInflate, unzlibSync } from 'fflate';
import { StatementError } from './bill-text.js';

/** Compressed bytes handed to the decompressor at a time: what is held decompressed is about this times the ratio. */
const SLICE = 64 * 1024;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const withoutCr = (line: Uint8Array) => (line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line);

/**
 * Lines across chunks: each complete line as a view, the unfinished one kept
 * for the next chunk. Split on the byte 0x0A before decoding: safe in GBK and
 * UTF-8 alike (neither uses it inside a character).
 */
class LineSplitter {
  private carry: Uint8Array = new Uint8Array(0);

  *push(chunk: Uint8Array): Generator<Uint8Array> {
    const data = this.carry.length > 0 ? concat(this.carry, chunk) : chunk;
    let start = 0;
    for (let end = data.indexOf(0x0a); end >= 0; end = data.indexOf(0x0a, start)) {
      yield withoutCr(data.subarray(start, end));
      start = end + 1;
    }
    // Copied: the decompressor may reuse its buffer.
    this.carry = data.slice(start);
  }

  *end(): Generator<Uint8Array> {
    if (this.carry.length > 0) yield withoutCr(this.carry);
  }
}

/**
 * The lines (byte views, CR and LF taken off) of the one entry of a ZIP whose
 * name `wanted` accepts, decompressed a slice at a time: a bill's file is
 * never whole in memory, only the compressed archive the channel sent.
 * `zlib` when the archive itself comes deflated (UnionPay's fileContent):
 * that outer layer is undone first (it gives the ZIP, compressed still).
 * Each line is a view valid until the next is asked for. Throws a
 * StatementError, naming `what`, when the archive does not hold exactly one
 * such entry, or is cut short or corrupt.
 */
export function* zipEntryLines(
  archive: Uint8Array,
  wanted: (name: string) => boolean,
  bill: string,
  what: string,
  zlib = false,
): Generator<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let entries = 0;
  let ended = false;
  let failure: Error | null = null;
  const unzip = new Unzip((file) => {
    if (!wanted(file.name)) return;
    entries++;
    file.ondata = (error, data, final) => {
      if (error) failure = error;
      else if (data.length > 0) chunks.push(data);
      if (final) ended = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  let zip = archive;
  if (zlib) {
    try {
      zip = unzlibSync(archive);
    } catch (error) {
      throw new StatementError(`${bill}无法解压：${(error as Error).message}`);
    }
  }
  const lines = new LineSplitter();
  for (let at = 0; ; at += SLICE) {
    const last = at + SLICE >= zip.length;
    try {
      unzip.push(zip.subarray(at, at + SLICE), last);
    } catch (error) {
      throw new StatementError(`${bill}无法解压：${(error as Error).message}`);
    }
    if (failure) throw new StatementError(`${bill}无法解压：${(failure as Error).message}`);
    if (entries > 1) throw new StatementError(`${bill}压缩包中应有一个${what}，实有多个`);
    for (const chunk of chunks.splice(0)) yield* lines.push(chunk);
    if (last) break;
  }
  if (entries === 0) throw new StatementError(`${bill}中没有${what}：文件不完整或不是 ZIP 压缩包`);
  if (!ended) throw new StatementError(`${bill}不完整：${what}被截断`);
  yield* lines.end();
}
