import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { formatFen } from '../../protocol/money.js';

/** One line of the double's 业务明细: a payment taken or a refund paid, as Alipay lists them. */
export interface BillLine {
  readonly tradeNo: string;
  readonly outTradeNo: string;
  readonly type: '交易' | '退款';
  /** Positive fen; refunds are written negative, as Alipay writes them. */
  readonly fen: number;
  /** yyyy-MM-dd HH:mm:ss, Beijing time. */
  readonly finishedAt: string;
  readonly requestNo: string;
  readonly subject: string;
}

const HEADER =
  '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';

/** How a test spoils the next bill: cut short before its totals, or not a ZIP at all. */
export type BillDamage = 'truncated' | 'notZip';

function chinaDate(day: string): string {
  const [y, m, d] = day.split('-');
  return `${y}年${m}月${d}日`;
}

/**
 * The ZIP Alipay's bill URL serves for a trade bill (bill_type trade): a GBK
 * 业务明细 CSV (`#` lines, the column header, one line per trade or refund
 * with each field padded by a tab, the end of the list and its totals) and
 * its 业务明细(汇总) twin.
 */
export function alipayBillZip(
  sellerId: string,
  day: string,
  lines: readonly BillLine[],
  damage?: BillDamage,
): Uint8Array {
  if (damage === 'notZip') return new TextEncoder().encode('<html>系统繁忙</html>');
  const money = (l: BillLine) => (l.type === '退款' ? `-${formatFen(l.fen)}` : formatFen(l.fen));
  const rows = lines.map((l) =>
    [
      l.tradeNo,
      l.outTradeNo,
      l.type,
      l.subject,
      l.finishedAt,
      l.finishedAt,
      '',
      '',
      '',
      '',
      'pat***@example.com',
      money(l),
      money(l),
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '',
      '0.00',
      '0.00',
      l.requestNo,
      '0.00',
      '0.00',
      '',
    ]
      .map((f) => `${f}\t`)
      .join(','),
  );
  const pays = lines.filter((l) => l.type === '交易').length;
  const detail = [
    '#支付宝业务明细查询',
    `#账号：[${sellerId}0156]`,
    `#起始日期：[${chinaDate(day)} 00:00:00]   终止日期：[${chinaDate(day)} 23:59:59]`,
    '#-----------------------------------------业务明细列表----------------------------------------',
    HEADER,
    ...rows,
    ...(damage === 'truncated'
      ? []
      : [
          '#-----------------------------------------业务明细列表结束------------------------------------',
          `#交易合计：${pays}笔，退款合计：${lines.length - pays}笔`,
          `#导出时间：[${chinaDate(day)} 09:00:00]`,
        ]),
  ].join('\r\n');
  const summary = ['#支付宝业务汇总查询', `#交易笔数：${pays}`].join('\r\n');
  const stamp = day.replaceAll('-', '');
  return zipSync({
    [`${sellerId}0156_${stamp}_业务明细.csv`]: iconv.encode(`${detail}\r\n`, 'gbk'),
    [`${sellerId}0156_${stamp}_业务明细(汇总).csv`]: iconv.encode(`${summary}\r\n`, 'gbk'),
  });
}
