import { formatFen } from '../../protocol/money.js';
import { beijingDisplay } from '../../protocol/time.js';
import { DIMENSION_LABEL, ROUTE_KIND_LABEL, valueLabel } from './labels.js';
import type { Dimension } from './movements.js';
import { type ReportRow, reportTotal } from './report.js';
import type { ClosedShift, ShiftKey, ShiftTotals } from './shift.js';

/** A cell: text, a count, or money (integer fen, shown as yuan). */
export type Cell = string | { readonly count: number } | { readonly fen: number };

/** One table of an export: what CSV and Excel both write, so the two never disagree. */
export interface Sheet {
  readonly title: string;
  /** Lines above the table (who, when, which range). */
  readonly heading: readonly string[];
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

export function cellText(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  return 'fen' in cell ? formatFen(cell.fen) : String(cell.count);
}

export function reportSheet(
  rows: readonly ReportRow[],
  by: readonly Dimension[],
  heading: readonly string[],
): Sheet {
  const total = reportTotal(rows);
  const line = (r: Omit<ReportRow, 'period' | 'keys'>): Cell[] => [
    { count: r.inCount },
    { fen: r.inFen },
    { count: r.outCount },
    { fen: r.outFen },
    { fen: r.inFen - r.outFen },
  ];
  return {
    title: '收付款报表',
    heading,
    columns: [
      '期间',
      ...by.map((d) => DIMENSION_LABEL[d]),
      '收款笔数',
      '收款金额',
      '退付笔数',
      '退付金额',
      '净额',
    ],
    rows: [
      ...rows.map((r) => [r.period, ...by.map((d) => valueLabel(d, r.keys[d] ?? '')), ...line(r)]),
      ['合计', ...by.map(() => ''), ...line(total)],
    ],
  };
}

export function shiftSheet(key: ShiftKey, totals: ShiftTotals, heading: readonly string[]): Sheet {
  const rows: Cell[][] = totals.byChannelFee.map((r) => [
    '收付',
    valueLabel('channel', r.channel),
    valueLabel('feeType', r.feeType),
    { count: r.inCount },
    { fen: r.inFen },
    { count: r.outCount },
    { fen: r.outFen },
  ]);
  for (const r of totals.refundsByRoute)
    rows.push([
      `${ROUTE_KIND_LABEL[r.kind] ?? r.kind}原路`,
      valueLabel('channel', r.channel),
      '',
      '',
      '',
      { count: r.count },
      { fen: r.fen },
    ]);
  rows.push(['现金', '现金收入', '', '', { fen: totals.cashInFen }, '', '']);
  rows.push(['现金', '现金退付', '', '', '', '', { fen: totals.cashOutFen }]);
  rows.push(['现金', '应交现金', '', '', { fen: totals.cashFen }, '', '']);
  return {
    title: `日结 ${key.operatorId} ${key.termNo}`,
    heading,
    columns: ['类别', '支付渠道', '费用类型', '收款笔数', '收款金额', '退付笔数', '退付金额'],
    rows,
  };
}

export function closedShiftHeading(shift: ClosedShift): string[] {
  return [
    `日结单号 ${shift.id}`,
    `操作员 ${shift.operator_id}  终端 ${shift.term_no || '(未填)'}`,
    `交易时间 ${beijingDisplay(shift.from_at)} 至 ${beijingDisplay(shift.to_at)}  共 ${shift.order_count} 笔`,
    `日结人 ${shift.closed_by}  日结时间 ${beijingDisplay(shift.closed_at)}`,
  ];
}
