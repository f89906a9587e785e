import * as echarts from 'echarts';
import { valueLabel } from '../../platform/reports/labels.js';
import type { ReportRow } from '../../platform/reports/report.js';
import { esc } from '../shared/html.js';

/**
 * Fonts that carry Chinese on the hospital's Windows PCs and on a Debian
 * server alike. Single quotes: ECharts writes this into an SVG style
 * attribute unescaped, where a double quote would end the attribute.
 */
const FONT = "'Microsoft YaHei','Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif";
const WIDTH = 620;
const HEIGHT = 320;

/**
 * ECharts rendered on the server to SVG (its SSR mode): the page carries no
 * script (the console's CSP forbids any), and nothing is fetched from
 * outside. The SVG is embedded as a data: image, which the CSP allows and
 * which keeps ECharts' inline styles inside the image's own document.
 */
function svgImage(option: echarts.EChartsCoreOption, alt: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option });
    const svg = chart.renderToSVGString();
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    return `<figure class="chart"><img src="${src}" width="${WIDTH}" height="${HEIGHT}" alt="${esc(alt)}"></figure>`;
  } finally {
    chart.dispose();
  }
}

const yuan = (fen: number) => Math.round(fen) / 100;

/** Money taken per period, one stacked bar series per channel. */
export function channelBars(rows: readonly ReportRow[]): string {
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  const channels = [...new Set(rows.map((r) => r.keys.channel ?? ''))].sort();
  const series = channels.map((ch) => ({
    name: valueLabel('channel', ch),
    type: 'bar',
    stack: 'in',
    data: periods.map((p) =>
      yuan(
        rows.filter((r) => r.period === p && (r.keys.channel ?? '') === ch).reduce((s, r) => s + r.inFen, 0),
      ),
    ),
  }));
  return svgImage(
    {
      title: { text: '各渠道收款 (元)', left: 'center', textStyle: { fontSize: 15, fontFamily: FONT } },
      legend: { bottom: 0, textStyle: { fontFamily: FONT } },
      grid: { left: 70, right: 20, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: periods },
      yAxis: { type: 'value' },
      series,
    },
    '各渠道收款柱状图',
  );
}

/** Money taken by feeType, as shares of a pie. */
export function feeTypePie(rows: readonly ReportRow[]): string {
  const byFee = new Map<string, number>();
  for (const r of rows) byFee.set(r.keys.feeType ?? '', (byFee.get(r.keys.feeType ?? '') ?? 0) + r.inFen);
  return svgImage(
    {
      title: { text: '按费用类型收款 (元)', left: 'center', textStyle: { fontSize: 15, fontFamily: FONT } },
      legend: { bottom: 0, textStyle: { fontFamily: FONT } },
      series: [
        {
          type: 'pie',
          radius: ['30%', '60%'],
          center: ['50%', '50%'],
          label: { formatter: '{b}\n{c}', fontFamily: FONT },
          data: [...byFee].map(([fee, fen]) => ({ name: valueLabel('feeType', fee), value: yuan(fen) })),
        },
      ],
    },
    '按费用类型收款饼图',
  );
}
