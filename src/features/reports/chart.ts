/**
 * The report's picture (DOMAIN §4, "a chart where a picture reads faster than a table"): one PNG
 * with complaints by grade and their on-time rate (named as in the text report) on the left, and
 * the callback satisfaction breakdown on the right.
 *
 * ECharts renders SVG server-side (no DOM, no canvas); resvg turns it into a PNG with the bundled
 * Noto Sans SC only, so the Chinese is legible on machines with no CJK font (ARCHITECTURE.md,
 * "Charts with Chinese labels").
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { ReportFigures } from '../../contracts/reports.ts';
import type { Grade } from '../../contracts/records.ts';
import { DeskError, ErrorCode } from '../../lib/errors.ts';
import { zh } from '../../i18n/zh.ts';

echarts.use([BarChart, LineChart, PieChart, GraphicComponent, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 700;
/** The family name inside NotoSansSC_400Regular.ttf. */
export const FONT_FAMILY = 'Noto Sans SC';
const FONT_MODULE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

let fontFile: string | undefined;

/**
 * The bundled TTF's path, resolved (and checked) once per process. resvg-js for Node takes font
 * *paths* only (no buffers), so the native side opens this one file for each render; nothing else
 * (no system font) is ever loaded.
 */
export function fontPath(): string {
  if (fontFile === undefined) {
    const path = createRequire(import.meta.url).resolve(FONT_MODULE);
    if (!existsSync(path)) throw new DeskError(ErrorCode.AssetMissing, `chart font missing: ${path} (is @expo-google-fonts/noto-sans-sc installed?)`);
    fontFile = path;
  }
  return fontFile;
}

/** resvg options: the bundled font only, on a white background. */
export function resvgOptions(fontFiles: string[] = [fontPath()]): ResvgRenderOptions {
  return {
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    background: '#ffffff',
    fitTo: { mode: 'original' },
    logLevel: 'off',
  };
}

const GRADES: { grade: Grade; label: string }[] = (['major', 'important', 'minor'] as const).map((grade) => ({ grade, label: zh.gradeLabel[grade] }));
/** The text report's name for the share of complaints resolved on time (summary.ts), here too. */
const ON_TIME_RATE = zh.reportOnTimeRate;

/*
 * Layout of the 1000×700 canvas (each text's box is checked in chart.test.ts: inside the canvas, no
 * two overlapping, for typical, empty, long, huge and crowded figures):
 *  - title and subtitle across the top (cut with an ellipsis rather than past the edges);
 *  - left half (x 0–500): section title, the legend under it, then two grids sharing the grades:
 *    the on-time rate line in a short band on top, the complaint bars below it, so the line's
 *    labels never meet the bars' labels; axis names run along the axes, clear of the legend;
 *  - right half: section title and the satisfaction ring, its labels short enough to fit beside it;
 *  - two footers of two lines each, one per half.
 */
const LEFT = 84;
const RIGHT = 560;
const RATE_TOP = 190;
const RATE_HEIGHT = 80;
const BARS_TOP = 310;
const BARS_BOTTOM = 120;
const AXIS_NAME_GAP = 58;
/** Axis ticks in the chart's locale, short for large counts (1,250,000 → 125万). */
const compact = new Intl.NumberFormat('zh-CN', { notation: 'compact', maximumFractionDigits: 1 });

const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${Math.round(v * 1000) / 10}%`);
const num = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : String(Math.round(v * 10) / 10));
const count = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/** Each grade's count and on-time rate in % as charted (exported for tests). */
export function chartGrades(f: ReportFigures) {
  return GRADES.map(({ grade, label }) => {
    const g = f.complaints.byGrade.find((x) => x.grade === grade);
    const n = count(g?.count);
    // The figures' on-time rate over decided cases in %, or null (no bar) when none is decided.
    const r = g?.onTimeRate;
    const rate = typeof r === 'number' && Number.isFinite(r) ? Math.round(r * 1000) / 10 : null;
    return { label, count: n, rate };
  });
}

/** The ECharts option for the figures (exported for tests). */
function chartOption(f: ReportFigures): echarts.EChartsCoreOption {
  const grades = chartGrades(f);
  const prev = f.previous ? chartGrades(f.previous) : undefined;
  const cb = f.callbacks;
  const satisfaction = [
    { name: '满意', value: count(cb.overall.satisfied), itemStyle: { color: '#3ba272' } },
    { name: '一般', value: count(cb.overall.average), itemStyle: { color: '#f2a93b' } },
    { name: '不满意', value: count(cb.overall.dissatisfied), itemStyle: { color: '#e05a5a' } },
  ];
  const answered = satisfaction.reduce((s, x) => s + x.value, 0);
  const total = count(f.complaints.total);

  const subtitle = [
    `投诉 ${total} 件${f.previous ? `（上期 ${count(f.previous.complaints.total)} 件）` : ''}`,
    `3日内回访率 ${pct(cb.rate)}（${count(cb.doneWithin3Days)}/${count(cb.due)}）`,
    `满意率 ${pct(cb.satisfactionRate)}`,
    `服务完成率 ${pct(f.bookings.completionRate)}`,
  ].join('　·　');
  const leftFoot = [
    `响应时间中位数 ${num(f.complaints.responseMinutes.median)} 分钟（P90 ${num(f.complaints.responseMinutes.p90)}）`,
    `解决用时中位数 ${num(f.complaints.resolutionHours.median)} 小时（P90 ${num(f.complaints.resolutionHours.p90)}）`,
  ].join('\n');
  const q = cb.quality;
  const t = cb.timeliness;
  const rightFoot = [
    `服务质量：满意 ${count(q.satisfied)}　基本满意 ${count(q.basic)}　不满意 ${count(q.dissatisfied)}`,
    `服务是否及时：及时 ${count(t.timely)}　一般 ${count(t.average)}　不及时 ${count(t.late)}`,
  ].join('\n');

  const tallest = Math.max(...grades.map((g) => g.count), ...(prev ?? []).map((g) => g.count));
  const step = Math.max(1, Math.ceil((tallest * 1.25) / 4));
  const textStyle = { fontFamily: FONT_FAMILY, color: '#333' };
  const bars = [
    {
      name: '本期投诉件数',
      type: 'bar',
      xAxisIndex: 1,
      yAxisIndex: 0,
      barMaxWidth: 48,
      itemStyle: { color: '#5470c6' },
      label: { show: true, position: 'top', fontFamily: FONT_FAMILY, fontSize: 14 },
      data: grades.map((g) => g.count),
    },
    ...(prev
      ? [
          {
            name: '上期投诉件数',
            type: 'bar',
            xAxisIndex: 1,
            yAxisIndex: 0,
            barMaxWidth: 48,
            itemStyle: { color: '#b8c0cc' },
            label: { show: true, position: 'top', fontFamily: FONT_FAMILY, fontSize: 12, color: '#888' },
            data: prev.map((g) => g.count),
          },
        ]
      : []),
  ];

  const axisName = { nameLocation: 'middle', nameRotate: 90, nameGap: AXIS_NAME_GAP, nameTextStyle: { fontFamily: FONT_FAMILY, fontSize: 13, color: '#333' } };
  const grid = { left: LEFT, right: RIGHT };
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle,
    title: [
      {
        text: `${f.period.label} 投诉与回访统计`,
        subtext: subtitle,
        left: 'center',
        top: 16,
        textStyle: { fontFamily: FONT_FAMILY, fontSize: 24, fontWeight: 'normal', color: '#222', width: CHART_WIDTH - 60, overflow: 'truncate', ellipsis: '…' },
        subtextStyle: { fontFamily: FONT_FAMILY, fontSize: 14, color: '#555', width: CHART_WIDTH - 40, overflow: 'truncate', ellipsis: '…' },
      },
      { text: `投诉分级与${ON_TIME_RATE}`, left: '26%', top: 100, textAlign: 'center', textStyle: { fontFamily: FONT_FAMILY, fontSize: 17, fontWeight: 'normal' } },
      { text: '回访满意度', left: '76%', top: 100, textAlign: 'center', textStyle: { fontFamily: FONT_FAMILY, fontSize: 17, fontWeight: 'normal' } },
    ],
    // Under the left section's title, within the left half (about 330 px wide with three items).
    legend: {
      left: LEFT - 20,
      top: 136,
      itemGap: 16,
      textStyle: { fontFamily: FONT_FAMILY, fontSize: 13 },
      data: [...bars.map((b) => b.name), ON_TIME_RATE],
    },
    grid: [
      { ...grid, top: RATE_TOP, height: RATE_HEIGHT },
      { ...grid, top: BARS_TOP, bottom: BARS_BOTTOM },
    ],
    xAxis: [
      { type: 'category', gridIndex: 0, data: grades.map((g) => g.label), axisLabel: { show: false }, axisTick: { show: false } },
      {
        type: 'category',
        gridIndex: 1,
        data: grades.map((g) => g.label),
        axisLabel: { fontFamily: FONT_FAMILY, fontSize: 16, color: '#222' },
        axisTick: { alignWithLabel: true },
      },
    ],
    yAxis: [
      {
        type: 'value',
        gridIndex: 1,
        name: '件数',
        ...axisName,
        // Four whole-number steps with headroom above the tallest bar for its label.
        min: 0,
        max: step * 4,
        interval: step,
        axisLabel: { fontFamily: FONT_FAMILY, formatter: (v: number) => compact.format(v) },
      },
      {
        type: 'value',
        gridIndex: 0,
        name: ON_TIME_RATE,
        ...axisName,
        min: 0,
        max: 100,
        interval: 50,
        axisLabel: { fontFamily: FONT_FAMILY, formatter: '{value}%' },
      },
    ],
    series: [
      ...bars,
      {
        name: ON_TIME_RATE,
        type: 'line',
        xAxisIndex: 0,
        yAxisIndex: 1,
        symbol: 'circle',
        symbolSize: 9,
        connectNulls: false,
        itemStyle: { color: '#e05a5a' },
        lineStyle: { width: 2 },
        label: {
          show: true,
          position: 'top',
          fontFamily: FONT_FAMILY,
          fontSize: 13,
          color: '#c03838',
          formatter: (p: { value: number | null }) => (p.value === null || p.value === undefined ? '' : `${p.value}%`),
        },
        data: grades.map((g) => g.rate),
      },
      {
        name: '回访满意度',
        type: 'pie',
        center: ['76%', '50%'],
        radius: ['20%', '34%'],
        stillShowZeroSum: false,
        avoidLabelOverlap: true,
        percentPrecision: 1,
        // Two short lines beside the ring (a long one would be cut at the canvas's right edge).
        label: { fontFamily: FONT_FAMILY, fontSize: 14, lineHeight: 18, formatter: '{b} {d}%\n{c} 人', color: '#333' },
        labelLine: { length: 14, length2: 12 },
        // No answers: an empty grey ring (ECharts would otherwise stack three zero labels).
        data: answered > 0 ? satisfaction : [{ name: '', value: 1, itemStyle: { color: '#eeeeee' }, label: { show: false }, labelLine: { show: false } }],
        silent: answered === 0,
      },
    ],
    graphic: [
      ...(total === 0
        ? [{ type: 'text', left: (LEFT + CHART_WIDTH - RIGHT) / 2 - 40, top: 440, style: { text: '本期无投诉', fontFamily: FONT_FAMILY, fontSize: 16, fill: '#999' } }]
        : []),
      ...(answered === 0
        ? [{ type: 'text', left: 760 - 48, top: 340, style: { text: '本期暂无回访', fontFamily: FONT_FAMILY, fontSize: 16, fill: '#999' } }]
        : []),
      { type: 'text', left: LEFT - 20, bottom: 20, style: { text: leftFoot, fontFamily: FONT_FAMILY, fontSize: 13, fill: '#555', lineHeight: 22 } },
      { type: 'text', left: 560, bottom: 20, style: { text: rightFoot, fontFamily: FONT_FAMILY, fontSize: 13, fill: '#555', lineHeight: 22 } },
    ],
  };
}

/** The chart as an SVG string; the ECharts instance is always disposed. */
export function renderChartSvg(figures: ReportFigures): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption(chartOption(figures));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function fileSafe(label: string): string {
  return label.replace(/[^\p{L}\p{N}-]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'report';
}

/** The report chart as one PNG (1000×700). */
export async function renderCharts(figures: ReportFigures): Promise<{ name: string; mime: 'image/png'; data: Uint8Array }> {
  const svg = renderChartSvg(figures);
  const image = await renderAsync(svg, resvgOptions());
  const png = image.asPng();
  return {
    name: `统计图-${fileSafe(figures.period.label)}.png`,
    mime: 'image/png',
    data: new Uint8Array(png.buffer, png.byteOffset, png.byteLength),
  };
}
