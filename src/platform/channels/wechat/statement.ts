import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { billFen, billTime, columnsOf, StatementError } from '../statements/bill-text.js';
import type { StatementRow } from '../types.js';
import type { WechatApi } from './api.js';

/** The columns of the trade bill (bill_type ALL) the platform reads, found by name. */
export const WECHAT_BILL_COLUMNS = {
  time: '交易时间',
  transactionId: '微信订单号',
  outTradeNo: '商户订单号',
  state: '交易状态',
  total: '订单金额',
  refundId: '微信退款单号',
  outRefundNo: '商户退款单号',
  refundAmount: '申请退款金额',
  refundState: '退款状态',
} as const;

const BILL = '微信支付账单';
/** The line that opens the bill's summary block (总交易单数,应结订单总金额,…). */
const SUMMARY = /^总交易单数/;

/** A bill line's fields: each written with a leading backtick (so spreadsheets keep long numbers whole). */
function fieldsOf(line: string): string[] {
  return line.startsWith('`') ? line.slice(1).split(',`') : line.split(',');
}

/**
 * The rows of a trade bill's text, line by line: the column header, one line
 * per trade (SUCCESS, REVOKED) or refund (REFUND), then the summary block. A
 * refund still under way moved no money yet: it is on a later day's bill.
 */
export async function* wechatBillRows(lines: AsyncIterable<string>): AsyncGenerator<StatementRow> {
  let columns: Record<keyof typeof WECHAT_BILL_COLUMNS, number> | undefined;
  let summary = false;
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line === '' || summary) continue;
    if (SUMMARY.test(line)) {
      summary = true;
      continue;
    }
    const fields = fieldsOf(line).map((f) => f.trim());
    if (!columns) {
      columns = columnsOf(fields, WECHAT_BILL_COLUMNS, BILL);
      continue;
    }
    const where = `${BILL}第 ${n} 行`;
    const field = (k: keyof typeof WECHAT_BILL_COLUMNS) => fields[columns![k]] ?? '';
    const row = wechatRow(field, where);
    if (row) yield row;
  }
  if (!columns) throw new StatementError(`${BILL}没有列标题行，格式无法识别`);
  if (!summary) throw new StatementError(`${BILL}不完整：缺少汇总`);
}

function wechatRow(
  field: (k: keyof typeof WECHAT_BILL_COLUMNS) => string,
  where: string,
): StatementRow | undefined {
  const state = field('state');
  const at = billTime(field('time'), where);
  if (state === 'REFUND') {
    if (field('refundState') !== 'SUCCESS') return undefined;
    if (!field('refundId') || !field('outRefundNo')) throw new StatementError(`${where}：退款缺少退款单号`);
    return {
      channelTradeNo: field('refundId'),
      traceNo: field('outRefundNo'),
      kind: 'refund',
      amountFen: billFen(field('refundAmount'), where),
      at,
      state: 'success',
    };
  }
  if (state !== 'SUCCESS' && state !== 'REVOKED')
    throw new StatementError(`${where}：交易状态「${state}」无法识别`);
  if (!field('transactionId')) throw new StatementError(`${where}：缺少微信订单号`);
  return {
    channelTradeNo: field('transactionId'),
    traceNo: field('outTradeNo'),
    kind: 'pay',
    amountFen: billFen(field('total'), where),
    at,
    state: state === 'REVOKED' ? 'revoked' : 'success',
  };
}

/**
 * An app's WeChat Pay trade bill for a Beijing day: GET /v3/bill/tradebill
 * (signed answer: download_url and the file's SHA1), the file downloaded to a
 * temporary file while hashed, refused unless the hash agrees, then read line
 * by line: a day of any size is never in memory, and no row is given before
 * the whole file is known to be the one WeChat Pay signed for.
 */
export async function* wechatStatement(
  api: WechatApi,
  day: string,
  merchant: Record<string, string>,
): AsyncGenerator<StatementRow> {
  const answer = await api.call('GET', 'v3/bill/tradebill', undefined, {
    bill_date: day,
    bill_type: 'ALL',
    ...merchant,
  });
  if (!answer.ok) throw new StatementError(`${BILL}申请失败：${answer.code} ${answer.message}`);
  const { download_url: url, hash_type: hashType, hash_value: hashValue } = answer.data;
  if (typeof url !== 'string' || typeof hashValue !== 'string' || String(hashType).toUpperCase() !== 'SHA1')
    throw new StatementError(`${BILL}申请的应答缺少下载地址或 SHA1 摘要`);
  const dir = await mkdtemp(join(tmpdir(), 'wechat-bill-'));
  const file = join(dir, 'bill.csv');
  try {
    const hash = createHash('sha1');
    try {
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(await api.download(url), hashing, createWriteStream(file));
    } catch (error) {
      throw new StatementError(`${BILL}下载失败：${(error as Error).message}`);
    }
    if (hash.digest('hex') !== hashValue.toLowerCase())
      throw new StatementError(`${BILL}摘要不符：下载的文件不是微信支付签发的账单，未使用`);
    yield* wechatBillRows(createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
