/**
 * The report of a period (DOMAIN §4): a short text, a chart and a spreadsheet, as three messages.
 * Used by the managers' report command and by the monthly report job.
 */
import { previousPeriod } from '../../domain/reports/period.ts';
import type { CallbackRow, ComplaintRecordRow, ReportFigures, ReportPeriod } from '../../contracts/reports.ts';
import type { Messages } from '../../i18n/index.ts';
import type { Outbound } from '../../contracts/messages.ts';
import type { Company } from '../../contracts/company.ts';
import { reportSummary } from './summary.ts';

/** What a report reads, declared here and implemented by the store. */
export interface ReportSource {
  /** Report figures of a period as of `now` (deadlines not yet passed are pending), computed in the database (DOMAIN §4). */
  reportFigures(period: ReportPeriod, previous: ReportPeriod | undefined, now: Date): Promise<ReportFigures>;
  complaintRows(period: ReportPeriod): Promise<ComplaintRecordRow[]>;
  callbackRows(period: ReportPeriod): Promise<CallbackRow[]>;
}

/** The report of a period: summary, chart and spreadsheet, as three messages. */
export async function buildReport(opts: { store: ReportSource; company: Company; m: Messages; period: ReportPeriod; now: Date }): Promise<Outbound[]> {
  const { store, company, m, period, now } = opts;
  // ECharts, resvg and exceljs are heavy: loaded on the first report, not at every start.
  const [{ renderCharts }, { buildWorkbook }] = await Promise.all([import('./chart.ts'), import('./workbook.ts')]);
  const figures = await store.reportFigures(period, previousPeriod(period, company.timeZone), now);
  const [chart, workbook] = await Promise.all([
    renderCharts(figures),
    Promise.all([store.complaintRows(period), store.callbackRows(period)]).then(([complaints, callbacks]) =>
      buildWorkbook({ period, complaints, callbacks, figures, zone: company.timeZone }),
    ),
  ]);
  return [
    { text: reportSummary(m, figures) },
    { text: m.reportChart, file: chart },
    { text: m.reportSheet, file: workbook },
  ];
}
