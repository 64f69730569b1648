import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, FONT_FAMILY, chartGrades, fontPath, renderChartSvg, renderCharts, resvgOptions } from '../../../src/features/reports/chart.ts';
import type { ReportFigures } from '../../../src/contracts/reports.ts';

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
    for (const word of ['2026年10月 投诉与回访统计', '重大', '重要', '轻微', '按时解决率', '满意', '一般', '不满意', '50%', '85.7%', '92.9%'])
      expect(svg).toContain(word);
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
});
