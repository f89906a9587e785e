/**
 * The three channels' statement files read as their formats say, from files
 * the gateway doubles write: each kind of line, and each way a file is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { alipayBillZip, type BillLine } from '../../../gateway-doubles/alipay/bill.js';
import { type ZmLine, zmFileContent } from '../../../gateway-doubles/unionpay/bill.js';
import { wechatTradeBill } from '../../../gateway-doubles/wechat/bill.js';
import { alipayBillRows, alipayDetailLines } from '../alipay/statement.js';
import { unionpayZmLines, unionpayZmRows } from '../unionpay/statement.js';
import { wechatBillRows } from '../wechat/statement.js';

const at = (text: string) => Date.parse(`${text.replace(' ', 'T')}+08:00`);

async function* linesOf(text: string): AsyncGenerator<string> {
  yield* text.split(/\r?\n/);
}
async function all<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('Alipay trade bill (业务明细)', () => {
  const line = (over: Partial<BillLine>): BillLine => ({
    tradeNo: '2026120422001400001',
    outTradeNo: 'T1',
    type: '交易',
    fen: 1000,
    finishedAt: '2026-12-04 10:00:00',
    requestNo: '',
    subject: '医院缴费',
    ...over,
  });
  const bill = [
    line({}),
    line({ type: '退款', fen: 300, requestNo: 'R1', finishedAt: '2026-12-04 11:00:00' }),
    line({ type: '退款', fen: 200, requestNo: 'R2', finishedAt: '2026-12-04 12:00:00' }),
  ];

  it('gives payments and refunds, each partial refund its own number, amounts positive', () => {
    const rows = [
      ...alipayBillRows(alipayDetailLines(alipayBillZip('2088000000000001', '2026-12-04', bill))),
    ];
    assert.deepEqual(rows, [
      {
        channelTradeNo: '2026120422001400001',
        traceNo: 'T1',
        kind: 'pay',
        amountFen: 1000,
        at: at('2026-12-04 10:00:00'),
        state: 'success',
      },
      {
        channelTradeNo: '2026120422001400001/R1',
        traceNo: 'R1',
        kind: 'refund',
        amountFen: 300,
        at: at('2026-12-04 11:00:00'),
        state: 'success',
      },
      {
        channelTradeNo: '2026120422001400001/R2',
        traceNo: 'R2',
        kind: 'refund',
        amountFen: 200,
        at: at('2026-12-04 12:00:00'),
        state: 'success',
      },
    ]);
  });

  const detail = (text: string) =>
    zipSync({ '2088000000000001_20261204_业务明细.csv': iconv.encode(text, 'gbk') });
  /** The detail file's text, each line decoded before the next is read (lines are views). */
  const header = (zip: Uint8Array) => {
    const gbk = new TextDecoder('gbk');
    const lines: string[] = [];
    for (const line of alipayDetailLines(zip)) lines.push(gbk.decode(line));
    return lines.join('\r\n');
  };

  it('refuses a file cut short, padded, miscounted, or without its columns', () => {
    const good = header(alipayBillZip('2088000000000001', '2026-12-04', bill));
    const read = (text: string) => () => [...alipayBillRows(alipayDetailLines(detail(text)))];
    assert.throws(read(good.replace(/#[^\n]*结束[\s\S]*$/, '')), /支付宝账单不完整/);
    assert.throws(read(good.replace('退款合计：2笔', '退款合计：3笔')), /合计.*不符/);
    assert.throws(read(good.replace('\t,T1\t', '\t,T1\t,多出一列\t')), /应有 25 列，实有 26 列/);
    assert.throws(read(good.replace('支付宝交易号', '交易号')), /缺少「支付宝交易号」列/);
    assert.throws(read(good.replace('\t,交易\t', '\t,冻结\t')), /业务类型「冻结」无法识别/);
    assert.throws(read(good.replace('10.00', '10.0x')), /金额「10.0x」无法识别/);
    const lines = (zip: Uint8Array) => () => [...alipayDetailLines(zip)];
    assert.throws(lines(new TextEncoder().encode('<html>')), /没有业务明细文件：文件不完整或不是 ZIP/);
    assert.throws(lines(zipSync({ 'a.csv': new Uint8Array(1) })), /没有业务明细文件/);
    const zip = alipayBillZip('2088000000000001', '2026-12-04', bill);
    assert.throws(lines(zip.subarray(0, 200)), /支付宝账单(不完整|无法解压|中没有)/);
  });

  it('finds the detail file by a GBK name written without the UTF-8 flag', () => {
    const zip = alipayBillZip('2088000000000001', '2026-12-04', bill);
    // Alipay writes GBK names without the UTF-8 flag: a reader sees their bytes as Latin-1, as this name is.
    const gbkName = iconv.encode('2088000000000001_20261204_业务明细.csv', 'gbk').toString('latin1');
    const unflagged = zipSync({ [gbkName]: iconv.encode(header(zip), 'gbk') });
    assert.equal([...alipayBillRows(alipayDetailLines(unflagged))].length, 3);
  });
});

describe('WeChat Pay trade bill (ALL)', () => {
  const base = {
    appid: 'wx1',
    mchid: '1900000001',
    subMchid: '',
    outTradeNo: 'T1',
    tradeType: 'MICROPAY',
    totalFen: 1000,
  };
  const { text } = wechatTradeBill([
    { ...base, time: '2026-12-04 10:00:00', transactionId: '4200001', state: 'SUCCESS' },
    { ...base, time: '2026-12-04 10:05:00', transactionId: '4200002', outTradeNo: 'T2', state: 'REVOKED' },
    {
      ...base,
      time: '2026-12-04 10:00:00',
      transactionId: '4200001',
      state: 'REFUND',
      refund: { refundId: '5030001', outRefundNo: 'R1', fen: 400 },
    },
  ]);

  it('gives payments, reversed payments and refunds by their own numbers', async () => {
    const rows = await all(wechatBillRows(linesOf(text)));
    assert.deepEqual(
      rows.map((r) => [r.kind, r.channelTradeNo, r.traceNo, r.amountFen, r.state]),
      [
        ['pay', '4200001', 'T1', 1000, 'success'],
        ['pay', '4200002', 'T2', 1000, 'revoked'],
        ['refund', '5030001', 'R1', 400, 'success'],
      ],
    );
    assert.equal(rows[0]?.at, at('2026-12-04 10:00:00'));
  });

  it('keeps a product name with a comma whole; skips a refund still under way', async () => {
    const withComma = text.replace('`医院缴费', '`门诊,缴费');
    assert.equal((await all(wechatBillRows(linesOf(withComma)))).length, 3);
    const processing = text.replace('`ORIGINAL,`SUCCESS', '`ORIGINAL,`PROCESSING');
    assert.deepEqual(
      (await all(wechatBillRows(linesOf(processing)))).map((r) => r.kind),
      ['pay', 'pay'],
    );
  });

  it('refuses a file without its summary, its columns, or with a state it does not know', async () => {
    await assert.rejects(all(wechatBillRows(linesOf(text.replace(/总交易单数[\s\S]*$/, '')))), /缺少汇总/);
    await assert.rejects(
      all(wechatBillRows(linesOf(text.replace('微信订单号', '订单号')))),
      /缺少「微信订单号」列/,
    );
    await assert.rejects(all(wechatBillRows(linesOf(text.replace('`REVOKED', '`PAYERROR')))), /PAYERROR/);
  });
});

describe('UnionPay ZM file (一般交易流水)', () => {
  const line = (over: Partial<ZmLine>): ZmLine => ({
    txnType: '01',
    txnSubType: '06',
    orderId: 'T1',
    queryId: '512412041000000000001',
    origQryId: '',
    fen: 1000,
    txnTime: '1204100000',
    merId: '777000000000001',
    ...over,
  });
  const file = (lines: ZmLine[], day = '2026-12-04') => {
    const content = zmFileContent('777000000000001', day, lines);
    return () => unionpayZmLines(content);
  };

  it('gives consumptions and returns; a 消费撤销 marks its consumption revoked and is no row', () => {
    const rows = [
      ...unionpayZmRows(
        file([
          line({}),
          line({ orderId: 'T2', queryId: '512412041000000000002' }),
          line({
            txnType: '31',
            txnSubType: '00',
            orderId: 'T2CX',
            queryId: '5124120410000000003',
            origQryId: '512412041000000000002',
          }),
          line({
            txnType: '04',
            txnSubType: '00',
            orderId: 'R1',
            queryId: '512412041000000000004',
            origQryId: '512412041000000000001',
            fen: 250,
          }),
        ]),
        '2026-12-04',
      ),
    ];
    assert.deepEqual(
      rows.map((r) => [r.kind, r.channelTradeNo, r.traceNo, r.amountFen, r.state]),
      [
        ['pay', '512412041000000000001', 'T1', 1000, 'success'],
        ['pay', '512412041000000000002', 'T2', 1000, 'revoked'],
        ['refund', '512412041000000000004', 'R1', 250, 'success'],
      ],
    );
    assert.equal(rows[0]?.at, at('2026-12-04 10:00:00'));
  });

  it('reads a December line in a January file as last year', () => {
    const [row] = [...unionpayZmRows(file([line({ txnTime: '1231235959' })], '2027-01-01'), '2027-01-01')];
    assert.equal(row?.at, at('2026-12-31 23:59:59'));
  });

  it('refuses a short line, a transaction type it does not know, or content that is no deflated ZIP', () => {
    const short = new TextEncoder().encode('S22 000');
    assert.throws(() => [...unionpayZmRows(() => [short], '2026-12-04')], /长度 7 不足/);
    const odd = file([line({ txnType: '02' as ZmLine['txnType'] })]);
    assert.throws(() => [...unionpayZmRows(odd, '2026-12-04')], /交易类型「02」无法识别/);
    assert.throws(() => [...unionpayZmLines('bm90IGRlZmxhdGVk')], /银联对账文件无法解压/);
    const content = zmFileContent('777000000000001', '2026-12-04', [line({})]);
    assert.throws(
      () => [...unionpayZmLines(content.slice(0, content.length / 2))],
      /银联对账文件(无法解压|不完整|中没有)/,
    );
  });
});
