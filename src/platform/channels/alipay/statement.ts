import iconv from 'iconv-lite';
import { billFen, billTime, columnsOf, StatementError } from '../statements/bill-text.js';
import { zipEntryLines } from '../statements/zip-lines.js';
import type { StatementRow } from '../types.js';
import type { AlipayAnswer } from './api.js';

/** The columns of the trade bill's 业务明细 file the platform reads (found by name: their order may change). */
export const ALIPAY_BILL_COLUMNS = {
  tradeNo: '支付宝交易号',
  outTradeNo: '商户订单号',
  type: '业务类型',
  finishedAt: '完成时间',
  amount: '订单金额（元）',
  requestNo: '退款批次号/请求号',
} as const;

const BILL = '支付宝账单';
/** The detail file (业务明细.csv); its summary twin (业务明细(汇总).csv) is not read. */
const DETAIL = /业务明细\.csv$/;
const END = /业务明细列表结束/;
const TOTALS = /交易合计[：:]\s*(\d+)\s*笔[，,]\s*退款合计[：:]\s*(\d+)\s*笔/;

/** A ZIP entry's name: UTF-8 when flagged, else the GBK bytes fflate read as Latin-1. */
function isDetail(name: string): boolean {
  return DETAIL.test(name) || DETAIL.test(iconv.decode(Buffer.from(name, 'latin1'), 'gbk'));
}

/** The lines of the ZIP's 业务明细 CSV (GBK), decompressed as they are read. */
export function alipayDetailLines(zip: Uint8Array): Iterable<Uint8Array> {
  return zipEntryLines(zip, isDetail, BILL, '业务明细文件');
}

/**
 * The rows of the 业务明细 file, one at a time: `#` header lines, a column
 * header, one line per 交易 or 退款 (fields padded with tabs), then `#` lines
 * ending the list and giving its totals. The totals are checked against the
 * lines read, so a file cut short or padded is refused, not half-believed.
 * A refund's own number at Alipay is its trade's number with the request
 * number (one trade may be refunded in several parts).
 */
export function* alipayBillRows(csv: Iterable<Uint8Array>): Generator<StatementRow> {
  let columns: Record<keyof typeof ALIPAY_BILL_COLUMNS, number> | undefined;
  let width = 0;
  let ended = false;
  let totals: [number, number] | undefined;
  const seen = { pay: 0, refund: 0 };
  let n = 0;
  const gbk = new TextDecoder('gbk');
  for (const bytes of csv) {
    const raw = gbk.decode(bytes);
    n++;
    const line = raw.replace(/^\uFEFF/, '');
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      if (columns && END.test(line)) ended = true;
      const t = TOTALS.exec(line);
      if (t) totals = [Number(t[1]), Number(t[2])];
      continue;
    }
    const fields = line.split(',').map((f) => f.trim());
    if (!columns) {
      columns = columnsOf(fields, ALIPAY_BILL_COLUMNS, BILL);
      width = fields.length;
      continue;
    }
    const where = `${BILL}第 ${n} 行`;
    if (ended) throw new StatementError(`${where}：明细列表结束后仍有数据`);
    if (fields.length !== width)
      throw new StatementError(`${where}：应有 ${width} 列，实有 ${fields.length} 列`);
    const at = columns;
    const row = alipayRow((k) => fields[at[k]] ?? '', where);
    seen[row.kind]++;
    yield row;
  }
  if (!columns) throw new StatementError(`${BILL}没有列标题行，格式无法识别`);
  if (!ended || !totals) throw new StatementError(`${BILL}不完整：缺少明细列表结尾与合计`);
  if (totals[0] !== seen.pay || totals[1] !== seen.refund)
    throw new StatementError(
      `${BILL}合计（交易 ${totals[0]} 笔，退款 ${totals[1]} 笔）与明细（交易 ${seen.pay} 笔，退款 ${seen.refund} 笔）不符`,
    );
}

/** One 交易 or 退款 line of the detail file as a statement row. */
function alipayRow(field: (k: keyof typeof ALIPAY_BILL_COLUMNS) => string, where: string): StatementRow {
  const type = field('type');
  if (type !== '交易' && type !== '退款') throw new StatementError(`${where}：业务类型「${type}」无法识别`);
  const tradeNo = field('tradeNo');
  if (!tradeNo) throw new StatementError(`${where}：缺少支付宝交易号`);
  const refund = type === '退款';
  const requestNo = field('requestNo');
  if (refund && !requestNo) throw new StatementError(`${where}：退款缺少退款批次号/请求号`);
  return {
    channelTradeNo: refund ? `${tradeNo}/${requestNo}` : tradeNo,
    traceNo: refund ? requestNo : field('outTradeNo'),
    kind: refund ? 'refund' : 'pay',
    amountFen: billFen(field('amount'), where),
    at: billTime(field('finishedAt'), where),
    state: 'success',
  };
}

/** Where the day's trade bill is: alipay.data.dataservice.bill.downloadurl.query, its answer verified by the SDK. */
export const BILL_URL_PATH = '/v3/alipay/data/dataservice/bill/downloadurl/query';

/**
 * An app's Alipay trade bill for a Beijing day: the download URL asked for
 * (a signed, verified answer), the ZIP fetched whole, its 业务明细 file read
 * through once to check it is complete, then read again giving its rows one
 * at a time (decompressed as read, both times).
 */
export async function* alipayStatement(
  api: { get(path: string, query: Record<string, string>): Promise<AlipayAnswer> },
  day: string,
  timeoutMs: number,
): AsyncGenerator<StatementRow> {
  const answer = await api.get(BILL_URL_PATH, { bill_type: 'trade', bill_date: day });
  if (!answer.ok) throw new StatementError(`${BILL}下载地址查询失败：${answer.code} ${answer.message}`);
  const url = answer.data['bill_download_url'];
  if (typeof url !== 'string' || !/^https?:\/\//.test(url))
    throw new StatementError(`${BILL}下载地址查询的应答缺少 bill_download_url`);
  let zip: Uint8Array;
  try {
    // The URL is short-lived and carries its own token: no signature on this request or its answer.
    const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(timeoutMs, 60_000)) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    zip = new Uint8Array(await res.arrayBuffer());
  } catch (error) {
    throw new StatementError(`${BILL}下载失败：${(error as Error).message}`);
  }
  for (const _row of alipayBillRows(alipayDetailLines(zip))) {
    // Read through once: a bill that fails anywhere gives no row at all.
  }
  yield* alipayBillRows(alipayDetailLines(zip));
}
