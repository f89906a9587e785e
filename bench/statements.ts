/**
 * How fast, and in how much memory, each channel's statement file is read:
 * a day of N trades (default 1,000,000) written as the gateway double writes
 * it, then read row by row by the platform's parser. The WeChat Pay bill is
 * read from a file on disk (as the adapter reads it after checking its hash);
 * Alipay's ZIP and UnionPay's file come whole (the gateway sends them whole)
 * but their rows are given one at a time. Memory is V8's heap plus buffers
 * (RSS keeps what building the input took), sampled while reading.
 * Run: node --expose-gc --import tsx bench/statements.ts [N]
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { deflateSync } from 'node:zlib';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { alipayBillZip } from '../src/gateway-doubles/alipay/bill.js';
import { zmFileContent } from '../src/gateway-doubles/unionpay/bill.js';
import { wechatTradeBill } from '../src/gateway-doubles/wechat/bill.js';
import { alipayBillRows, alipayDetailLines } from '../src/platform/channels/alipay/statement.js';
import type { StatementRow } from '../src/platform/channels/types.js';
import { unionpayZmLines, unionpayZmRows } from '../src/platform/channels/unionpay/statement.js';
import { wechatBillRows } from '../src/platform/channels/wechat/statement.js';

const N = Number(process.argv[2] ?? 1_000_000);
const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

async function measure(name: string, rows: () => AsyncIterable<StatementRow> | Iterable<StatementRow>) {
  global.gc?.();
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = used();
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, used());
  }, 20);
  const started = performance.now();
  let count = 0;
  let fen = 0;
  for await (const row of rows()) {
    count++;
    fen += row.amountFen;
    if (count % 50_000 === 0) {
      peak = Math.max(peak, used());
      await new Promise((r) => setImmediate(r));
    }
  }
  clearInterval(sampler);
  const s = (performance.now() - started) / 1000;
  console.log(
    `${name}: ${count} rows in ${s.toFixed(1)} s (${Math.round(count / s)} rows/s), heap+buffers before ${mb(base)}, peak while reading ${mb(peak)}, sum ${fen}`,
  );
}

/** Writes the input of `format` for N rows to `path` (run in a child process, so its memory is not the reader's). */
async function build(format: string, path: string): Promise<void> {
  if (format === 'wechat') {
    const out = createWriteStream(path);
    const sample = wechatTradeBill([
      {
        time: '2026-12-04 10:00:00',
        appid: 'wx0000000000000001',
        mchid: '1900000001',
        subMchid: '',
        transactionId: '4200000000000000000000000001',
        outTradeNo: '20261204100000000000000001',
        tradeType: 'MICROPAY',
        state: 'SUCCESS',
        totalFen: 1234,
      },
    ]).text.split('\r\n');
    out.write(`${sample[0]}\r\n`);
    for (let i = 0; i < N; i++) {
      const line = (sample[1] ?? '').replace('0000000001', String(i).padStart(10, '0'));
      if (!out.write(`${line}\r\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    out.end(`${sample[2]}\r\n${sample[3]}\r\n`);
    await new Promise<void>((r) => out.once('finish', () => r()));
  } else if (format === 'alipay') {
    const one = alipayBillZip('2088000000000001', '2026-12-04', [
      {
        tradeNo: '2026120422001400000000000001',
        outTradeNo: '20261204100000000000000001',
        type: '交易',
        fen: 1234,
        finishedAt: '2026-12-04 10:00:00',
        requestNo: '',
        subject: '医院缴费',
      },
    ]);
    const gbk = new TextDecoder('gbk');
    const head: string[] = [];
    for (const line of alipayDetailLines(one)) head.push(gbk.decode(line));
    const row = head[5] ?? '';
    const parts: Buffer[] = [iconv.encode(`${head.slice(0, 5).join('\r\n')}\r\n`, 'gbk')];
    for (let i = 0; i < N; i++)
      parts.push(iconv.encode(`${row.replaceAll('0000000001', String(i).padStart(10, '0'))}\r\n`, 'gbk'));
    parts.push(iconv.encode(`${head[6]}\r\n#交易合计：${N}笔，退款合计：0笔\r\n`, 'gbk'));
    await writeFile(
      path,
      zipSync({ '2088000000000001_20261204_业务明细.csv': new Uint8Array(Buffer.concat(parts)) }),
    );
  } else {
    const zm = zmFileContent('777000000000001', '2026-12-04', [
      {
        txnType: '01',
        txnSubType: '06',
        orderId: '20261204100000000000000001',
        queryId: '512412041000000000001',
        origQryId: '',
        fen: 1234,
        txnTime: '1204100000',
        merId: '777000000000001',
      },
    ]);
    let line = '';
    for (const view of unionpayZmLines(zm)) line ||= Buffer.from(view).toString('latin1');
    const parts: Buffer[] = [];
    for (let i = 0; i < N; i++)
      parts.push(Buffer.from(`${line.replaceAll('0000000001', String(i).padStart(10, '0'))}\r\n`, 'latin1'));
    const file = new Uint8Array(Buffer.concat(parts));
    await writeFile(path, deflateSync(zipSync({ INN26120488ZM_777000000000001: file })).toString('base64'));
  }
}

if (process.argv[3] === '--build') {
  await build(process.argv[4] ?? '', process.argv[5] ?? '');
} else {
  const dir = await mkdtemp(join(tmpdir(), 'statements-bench-'));
  const input = (format: string) => {
    const path = join(dir, format);
    execFileSync(
      process.execPath,
      [...process.execArgv, process.argv[1] ?? '', String(N), '--build', format, path],
      {
        stdio: 'inherit',
      },
    );
    return path;
  };
  try {
    const wechat = input('wechat');
    await measure('WeChat Pay bill (file on disk)', () =>
      wechatBillRows(createInterface({ input: createReadStream(wechat, 'utf8'), crlfDelay: Infinity })),
    );
    const zip = new Uint8Array(await readFile(input('alipay')));
    console.log(`Alipay ZIP: ${mb(zip.length)}`);
    await measure(
      'Alipay bill (ZIP whole, its CSV decompressed as read, twice: checked, then rows one by one)',
      async function* () {
        for (const _ of alipayBillRows(alipayDetailLines(zip))) {
          // the adapter's checking pass
        }
        yield* alipayBillRows(alipayDetailLines(zip));
      },
    );
    const content = await readFile(input('unionpay'), 'utf8');
    console.log(`UnionPay fileContent: ${mb(content.length)}`);
    await measure('UnionPay ZM file (answer whole, its file decompressed as read, twice)', () =>
      unionpayZmRows(() => unionpayZmLines(content), '2026-12-04'),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
