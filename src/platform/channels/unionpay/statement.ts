import { StatementError } from '../statements/bill-text.js';
import { zipEntryLines } from '../statements/zip-lines.js';
import type { StatementRow } from '../types.js';
import { beijing14, type UnionpayAnswer } from './api.js';
import type { AcpFields } from './sign.js';

const BILL = '银联对账文件';

/**
 * The 全渠道 ZM (一般交易流水) file's fixed-width fields, in bytes, each
 * followed by one separator byte. The platform reads five of them.
 */
export const ZM_WIDTHS = [
  3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15, 1, 15, 32,
  13, 13, 8, 32, 13, 13, 12, 2, 1, 32, 98,
] as const;
/** Field numbers (0-based) of what the platform reads. */
export const ZM = {
  txnTime: 4, // 交易传输时间 MMDDhhmmss
  amount: 6, // 交易金额, fen
  queryId: 9, // 查询流水号
  orderId: 11, // 商户订单号
  txnType: 19, // 交易类型: 01 消费, 04 退货, 31 消费撤销
  origQryId: 26, // 原交易查询流水号
} as const;
const OFFSETS: number[] = [0];
for (const w of ZM_WIDTHS) OFFSETS.push((OFFSETS.at(-1) ?? 0) + w + 1);
/** A line must reach at least the last field read. */
const MIN_LENGTH = (OFFSETS[ZM.origQryId] ?? 0) + ZM_WIDTHS[ZM.origQryId];

/**
 * A field of a line, by its byte offsets (GBK text elsewhere on the line may
 * be wider than its characters). The fields read are digits and letters, so
 * their bytes are their characters.
 */
function field(line: Buffer, n: number): string {
  const from = OFFSETS[n] ?? 0;
  return line.toString('latin1', from, Math.min(line.length, from + (ZM_WIDTHS[n] ?? 0))).trim();
}

/** The file's non-empty lines as Buffers (views, no copy). */
function* rawLines(lines: Iterable<Uint8Array>): Generator<Buffer> {
  for (const view of lines)
    if (view.length > 0) yield Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/** MMDDhhmmss of the settle day `day` (yyyy-mm-dd) in ms: a December line in a January file is last year's. */
function zmTime(text: string, day: string, where: string): number {
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(text);
  if (!m) throw new StatementError(`${where}：交易传输时间「${text}」无法识别`);
  const year = Number(day.slice(0, 4)) - (Number(m[1]) > Number(day.slice(5, 7)) ? 1 : 0);
  return Date.parse(`${year}-${m[1]}-${m[2]}T${m[3]}:${m[4]}:${m[5]}+08:00`);
}

/**
 * The rows of a ZM file: 消费 (01) as payments, 退货 (04) as refunds; a
 * 消费撤销 (31) is no row of its own but marks its consumption revoked — read
 * in a first pass over the file (only the revoked numbers are kept), so the
 * rows are still given one at a time. Any other transaction type stops the
 * reading: a person must look at a file the platform cannot account for.
 */
export function* unionpayZmRows(open: () => Iterable<Uint8Array>, day: string): Generator<StatementRow> {
  const revoked = new Set<string>();
  let n = 0;
  for (const line of rawLines(open())) {
    n++;
    const where = `${BILL}第 ${n} 行`;
    if (line.length < MIN_LENGTH)
      throw new StatementError(`${where}：长度 ${line.length} 不足，格式无法识别`);
    const type = field(line, ZM.txnType);
    if (type === '31') revoked.add(field(line, ZM.origQryId));
    else if (type !== '01' && type !== '04')
      throw new StatementError(`${where}：交易类型「${type}」无法识别`);
  }
  n = 0;
  for (const line of rawLines(open())) {
    n++;
    const where = `${BILL}第 ${n} 行`;
    const type = field(line, ZM.txnType);
    if (type === '31') continue;
    const amount = field(line, ZM.amount);
    if (!/^\d{1,12}$/.test(amount)) throw new StatementError(`${where}：交易金额「${amount}」无法识别`);
    const queryId = field(line, ZM.queryId);
    const orderId = field(line, ZM.orderId);
    if (!queryId || !orderId) throw new StatementError(`${where}：缺少查询流水号或商户订单号`);
    yield {
      channelTradeNo: queryId,
      traceNo: orderId,
      kind: type === '04' ? 'refund' : 'pay',
      amountFen: Number(amount),
      at: zmTime(field(line, ZM.txnTime), day, where),
      state: revoked.has(queryId) ? 'revoked' : 'success',
    };
  }
}

/** The lines of the ZM file in a file-transfer answer's fileContent (base64 of the deflated ZIP), decompressed as read. */
export function unionpayZmLines(fileContent: string): Iterable<Uint8Array> {
  return zipEntryLines(
    Buffer.from(fileContent, 'base64'),
    (name) => /ZM_/.test(name),
    BILL,
    ' ZM 流水文件',
    true,
  );
}

/**
 * An app's UnionPay statement for a Beijing day: the file transfer
 * (fileDownload: txnType 76, fileType 00, settleDate MMDD) to the file
 * server, its answer verified as every acp answer is (signPubKeyCert chained
 * to the configured certificates), its ZM file read whole from the answer
 * (acp sends it in one field, compressed) and its ZM file decompressed as it
 * is read, twice (the revokes first), its rows given one at a time. The file is
 * UnionPay's clearing day, which closes at 23:00 Beijing time: a payment
 * after 23:00 is on the next day's file (docs/operations.md).
 */
export async function* unionpayStatement(
  api: { fileTransfer(fields: AcpFields): Promise<UnionpayAnswer> },
  day: string,
  now: number,
): AsyncGenerator<StatementRow> {
  const answer = await api.fileTransfer({
    txnType: '76',
    txnSubType: '01',
    bizType: '000000',
    settleDate: day.slice(5, 7) + day.slice(8, 10),
    txnTime: beijing14(now),
    fileType: '00',
  });
  if (!answer.ok) throw new StatementError(`${BILL}下载失败：${answer.message}`);
  const f = answer.fields;
  if (f['respCode'] !== '00')
    throw new StatementError(`${BILL}下载失败：${f['respCode'] ?? ''} ${f['respMsg'] ?? ''}`.trim());
  if (!f['fileContent']) throw new StatementError(`${BILL}应答缺少 fileContent`);
  const content = f['fileContent'];
  yield* unionpayZmRows(() => unionpayZmLines(content), day);
}
