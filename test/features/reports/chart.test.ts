import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, FONT_FAMILY, chartGrades, fontPath, renderChartSvg, renderCharts, resvgOptions } from '../../../src/features/reports/chart.ts';
import type { GradeFigures, ReportFigures } from '../../../src/contracts/reports.ts';
import { overlap, textBoxes, type TextBox } from '../../support/svg-text.ts';

/** A grade's figures when every case is decided: those not resolved on time were late. */
function resolvedGrade(grade: GradeFigures['grade'], count: number, forwardedOnTime: number, resolvedOnTime: number, resolved: number): GradeFigures {
  const late = resolved - resolvedOnTime;
  return { grade, count, forwardedOnTime, resolvedOnTime, resolved, late, pending: 0, onTimeRate: resolved === 0 ? null : resolvedOnTime / resolved };
}

const period = { from: new Date('2026-09-30T16:00:00Z'), to: new Date('2026-10-31T16:00:00Z'), label: '2026年10月' };

function empty(label = period.label): ReportFigures {
  return {
    period: { ...period, label },
    complaints: {
      total: 0,
      byGrade: [],
      byStatus: {},
      byCategory: {},
      byDepartment: {},
      byService: {},
      responseMinutes: { median: null, p90: null },
      resolutionHours: { median: null, p90: null },
    },
    bookings: { total: 0, completed: 0, completionRate: null },
    workOrders: [],
    handovers: { total: 0, claimed: 0, byReason: {}, claimMinutes: { median: null, p90: null }, durationMinutes: { median: null, p90: null } },
    callbacks: {
      due: 0,
      doneWithin3Days: 0,
      rate: null,
      overall: { satisfied: 0, average: 0, dissatisfied: 0 },
      quality: { satisfied: 0, basic: 0, dissatisfied: 0 },
      timeliness: { timely: 0, average: 0, late: 0 },
      satisfactionRate: null,
    },
  };
}

function sample(): ReportFigures {
  const f = empty();
  f.complaints = {
    ...f.complaints,
    total: 23,
    byGrade: [
      { grade: 'major', count: 2, forwardedOnTime: 2, resolvedOnTime: 1, resolved: 2, late: 1, pending: 0, onTimeRate: 1 / 2 },
      { grade: 'important', count: 7, forwardedOnTime: 6, resolvedOnTime: 6, resolved: 7, late: 1, pending: 0, onTimeRate: 6 / 7 },
      { grade: 'minor', count: 14, forwardedOnTime: 14, resolvedOnTime: 13, resolved: 14, late: 1, pending: 0, onTimeRate: 13 / 14 },
    ],
    byStatus: { resolved: 23 },
    responseMinutes: { median: 6.5, p90: 22 },
    resolutionHours: { median: 3.2, p90: 40 },
  };
  f.bookings = { total: 120, completed: 112, completionRate: 112 / 120 };
  f.callbacks = {
    due: 112,
    doneWithin3Days: 110,
    rate: 110 / 112,
    overall: { satisfied: 97, average: 8, dissatisfied: 3 },
    quality: { satisfied: 90, basic: 15, dissatisfied: 3 },
    timeliness: { timely: 95, average: 10, late: 3 },
    satisfactionRate: 97 / 108,
  };
  f.previous = { ...empty('2026年9月'), complaints: { ...f.complaints, total: 19 } };
  return f;
}

/** The largest figures a period could plausibly show: six-digit counts, long medians, 100 % rates. */
function largest(): ReportFigures {
  const f = sample();
  const n = 999_999;
  f.complaints = {
    ...f.complaints,
    total: 3 * n,
    byGrade: [
      resolvedGrade('major', n, n, n, n),
      resolvedGrade('important', n, n, n, n),
      resolvedGrade('minor', n, n, n, n),
    ],
    responseMinutes: { median: 99_999.9, p90: 99_999.9 },
    resolutionHours: { median: 99_999.9, p90: 99_999.9 },
  };
  f.bookings = { total: n, completed: n, completionRate: 1 };
  f.callbacks = {
    due: n,
    doneWithin3Days: n,
    rate: 1,
    overall: { satisfied: 333_333, average: 333_333, dissatisfied: 333_333 },
    quality: { satisfied: n, basic: n, dissatisfied: n },
    timeliness: { timely: n, average: n, late: n },
    satisfactionRate: 1 / 3,
  };
  f.previous = { ...empty('2026年9月'), complaints: { ...f.complaints, total: 3 * n } };
  return f;
}

/** A long period label (a custom range), and every category present with tiny slices and gaps. */
function longNames(): ReportFigures {
  const f = sample();
  f.period = { ...f.period, label: '2026年10月1日（周四）至 2026年12月31日（周四）第四季度全部门投诉与回访汇总' };
  f.previous = { ...f.previous!, period: { ...f.previous!.period, label: '2026年7月1日 至 2026年9月30日' } };
  return f;
}

/** Many categories at once: a previous period, tall and tiny bars, rates of 0 and 100 %, thin pie slices. */
function manyCategories(): ReportFigures {
  const f = sample();
  f.complaints = {
    ...f.complaints,
    total: 1201,
    byGrade: [
      resolvedGrade('major', 1, 1, 0, 1),
      resolvedGrade('important', 1000, 1000, 1000, 1000),
      resolvedGrade('minor', 200, 200, 100, 200),
    ],
  };
  f.callbacks = { ...f.callbacks, overall: { satisfied: 9_998, average: 1, dissatisfied: 1 }, satisfactionRate: 0.9998 };
  f.previous = {
    ...empty('2026年9月'),
    complaints: {
      ...f.complaints,
      total: 1100,
      byGrade: [
        resolvedGrade('major', 999, 999, 999, 999),
        resolvedGrade('important', 100, 100, 100, 100),
        resolvedGrade('minor', 1, 1, 1, 1),
      ],
    },
  };
  return f;
}

/** A bar as tall as its grade's rate point: the bar's label and the line's label at one height. */
function level(): ReportFigures {
  const f = sample();
  f.complaints = {
    ...f.complaints,
    total: 1200,
    byGrade: (['major', 'important', 'minor'] as const).map((grade) => resolvedGrade(grade, 400, 400, 320, 400)),
  };
  f.previous = undefined;
  return f;
}

const layouts: [string, () => ReportFigures][] = [
  ['typical figures', sample],
  ['all zeros', () => empty('2026-10-01 至 2026-10-15')],
  ['long names', longNames],
  ['the largest numbers', largest],
  ['many categories', manyCategories],
  ['bars as high as the rate line', level],
];

const describeBox = (b: TextBox) => `${JSON.stringify(b.text)} [${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}×${Math.round(b.height)}]`;

/** PNG signature, then the IHDR chunk's width and height. */
function pngSize(data: Uint8Array): { width: number; height: number } {
  expect([...data.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(Buffer.from(data.subarray(12, 16)).toString('latin1')).toBe('IHDR');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** RGBA pixels of a small SVG drawn with the given font files only. */
function draw(text: string, fontFiles: string[]): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><text x="10" y="44" font-size="40" font-family="${FONT_FAMILY}">${text}</text></svg>`;
  return new Resvg(svg, resvgOptions(fontFiles)).render().pixels;
}
const inked = (rgba: Buffer) => {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i]! < 160 || rgba[i + 1]! < 160 || rgba[i + 2]! < 160) n++;
  return n;
};

describe('report chart', () => {
  it('renders one 1000×700 PNG for sample figures', async () => {
    const out = await renderCharts(sample());
    expect(out.mime).toBe('image/png');
    expect(out.name).toBe('统计图-2026年10月.png');
    expect(out.data).toBeInstanceOf(Uint8Array);
    expect(pngSize(out.data)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(out.data.byteLength).toBeGreaterThan(20_000);
  });

  it('renders with zero data (all counts 0, no previous period)', async () => {
    const out = await renderCharts(empty('2026-10-01 至 2026-10-15'));
    expect(pngSize(out.data)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(out.data.byteLength).toBeGreaterThan(10_000);
    expect(out.name).toBe('统计图-2026-10-01_至_2026-10-15.png');
    const svg = renderChartSvg(empty());
    expect(svg).toContain('本期无投诉');
    expect(svg).toContain('本期暂无回访');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it("plots the figures' on-time rate over decided cases: no bar where none is decided, not 0 %", () => {
    const f = sample();
    f.complaints.byGrade = [
      // 11-25: the 重大 and 重要 complaints are open and not yet due; one 轻微 on time, one late, one pending.
      { grade: 'major', count: 1, forwardedOnTime: 1, resolvedOnTime: 0, resolved: 0, late: 0, pending: 1, onTimeRate: null },
      { grade: 'important', count: 2, forwardedOnTime: 2, resolvedOnTime: 0, resolved: 0, late: 0, pending: 2, onTimeRate: null },
      { grade: 'minor', count: 3, forwardedOnTime: 3, resolvedOnTime: 1, resolved: 2, late: 1, pending: 1, onTimeRate: 1 / 2 },
    ];
    expect(chartGrades(f).map((g) => [g.count, g.rate])).toEqual([[1, null], [2, null], [3, 50]]);
    expect(renderChartSvg(f)).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('labels the chart in Chinese, in the bundled family only', () => {
    const svg = renderChartSvg(sample());
    for (const word of ['2026年10月 投诉与回访统计', '重大', '重要', '轻微', '投诉分级与按时处理率', '满意', '一般', '不满意', '50%', '85.7%', '92.9%'])
      expect(svg).toContain(word);
    // The text report's wording (summary.ts, from the catalog), for the legend and the axis too.
    expect(svg.match(/>按时处理率</g)).toHaveLength(2);
    expect(svg).not.toContain('解决率');
    const families = new Set([...svg.matchAll(/font-family:([^;"]+)/g)].map((m) => m[1]!.trim()));
    expect([...families]).toEqual([FONT_FAMILY]);
  });

  it('draws Chinese with the bundled TTF: real, distinct glyphs, not tofu, and nothing without it', () => {
    expect(fontPath()).toMatch(/NotoSansSC_400Regular\.ttf$/);
    const major = draw('重大', [fontPath()]);
    const minor = draw('轻微', [fontPath()]);
    const missing = draw('\uE000\uE001', [fontPath()]); // private-use code points: no glyph in the font
    // Glyphs were drawn ...
    expect(inked(major)).toBeGreaterThan(300);
    expect(inked(minor)).toBeGreaterThan(300);
    // ... and they are the characters' own shapes: tofu (.notdef) boxes would look alike.
    expect(major.equals(minor)).toBe(false);
    expect(major.equals(missing)).toBe(false);
    // Without the font file nothing is drawn: no system font stands in (loadSystemFonts: false).
    expect(inked(draw('重大', []))).toBe(0);
  });

  // The texts' boxes are their ink as resvg draws it with the bundled font, each <text> of the SVG
  // measured alone (test/support/svg-text.ts), before the PNG is made.
  it.each(layouts)('lays out %s with every text inside the canvas and no two texts overlapping', (_, figures) => {
    const boxes = textBoxes(renderChartSvg(figures()), resvgOptions());
    expect(boxes.length).toBeGreaterThan(10);
    const outside = boxes.filter((b) => b.x < 0 || b.y < 0 || b.x + b.width > CHART_WIDTH || b.y + b.height > CHART_HEIGHT).map(describeBox);
    expect(outside).toEqual([]);
    const overlapping: string[] = [];
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) if (overlap(a, b, 1)) overlapping.push(`${describeBox(a)} × ${describeBox(b)}`);
    expect(overlapping).toEqual([]);
  });

  it('shows numbers in full: only a long period label may be cut (with an ellipsis)', () => {
    const big = textBoxes(renderChartSvg(largest()), resvgOptions()).map((b) => b.text);
    expect(big.filter((t) => /\.\.\.|…/.test(t))).toEqual([]);
    expect(big).toEqual(expect.arrayContaining(['333333 人', '一般 33.3%', '不满意 33.3%']));
    const long = textBoxes(renderChartSvg(longNames()), resvgOptions()).map((b) => b.text);
    expect(long.filter((t) => /\.\.\.|…/.test(t))).toEqual([expect.stringMatching(/^2026年10月1日（周四）至 .*…$/)]);
  });
});
