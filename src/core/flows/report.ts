/**
 * Managers' report commands (DOMAIN §4, §5): department heads and the general manager ask for a
 * period by command or in Chinese and get a short text, a chart and a spreadsheet. Anyone else
 * gets a polite refusal that says nothing about the figures.
 */
import { parseReportPeriod, previousPeriod } from '../../domain/reports/period.ts';
import type { ReportPeriod } from '../../contracts/reports.ts';
import { reportSummary } from '../../features/reports/summary.ts';
import type { Messages } from '../../i18n/index.ts';
import type { Outbound } from '../../contracts/messages.ts';
import type { StepResult, Turn } from '../turn.ts';
import type { Company } from '../../contracts/company.ts';
import type { CoreStore } from '../ports.ts';

const MANAGERS = new Set(['department_head', 'general_manager']);

/** The report of a period: summary, chart and spreadsheet, as three messages. */
export async function buildReport(opts: {
  store: Pick<CoreStore, 'reportFigures' | 'complaintRows' | 'callbackRows'>;
  company: Company;
  m: Messages;
  period: ReportPeriod;
}): Promise<Outbound[]> {
  const { store, company, m, period } = opts;
  // ECharts, resvg and exceljs are heavy: loaded on the first report, not at every start.
  const [{ renderCharts }, { buildWorkbook }] = await Promise.all([import('../../features/reports/chart.ts'), import('../../features/reports/workbook.ts')]);
  const figures = await store.reportFigures(period, previousPeriod(period, company.timeZone));
  const [chart, workbook] = await Promise.all([
    renderCharts(figures),
    Promise.all([store.complaintRows(period), store.callbackRows(period)]).then(([complaints, callbacks]) =>
      buildWorkbook({ period, complaints, callbacks, zone: company.timeZone }),
    ),
  ]);
  return [
    { text: reportSummary(m, figures) },
    { text: m.reportChart, file: chart },
    { text: m.reportSheet, file: workbook },
  ];
}

/** `/report ...` or 本月报表 / 上月统计 / 最近7天投诉情况. */
export async function reportRequest(turn: Turn, text: string): Promise<StepResult> {
  const idle = { flow: 'idle' } as const;
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!staff || !MANAGERS.has(staff.role)) return { state: idle, replies: [{ text: turn.m.reportRefused }] };
  const period = parseReportPeriod(text, turn.now, turn.company.timeZone);
  if (!period) return { state: idle, replies: [{ text: turn.m.reportUsage }] };
  return { state: idle, replies: await buildReport({ store: turn.store, company: turn.company, m: turn.m, period }) };
}
