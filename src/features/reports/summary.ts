/**
 * The report's short text, written to read well on a phone (DOMAIN §4).
 */
import type { Messages } from '../../i18n/index.ts';
import type { ReportFigures } from '../../contracts/reports.ts';

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
const num = (v: number | null) => (v === null ? '—' : String(Math.round(v * 10) / 10));

/** The text summary of a period's figures, with the previous period for comparison. */
export function reportSummary(m: Messages, f: ReportFigures): string {
  const g = Object.fromEntries(f.complaints.byGrade.map((x) => [x.grade, x]));
  // Over decided cases only: "—" when none is decided, and the not-yet-due ones named, never as 0 %.
  const onTime = f.complaints.byGrade
    .map((x) => `${m.gradeLabel[x.grade]} ${pct(x.onTimeRate)}${x.pending ? m.onTimePending({ count: x.pending }) : ''}`)
    .join(' · ');
  const prev = f.previous?.complaints.total;
  const delta = prev === undefined ? '' : m.previousCompare({ count: prev, delta: `${f.complaints.total - prev >= 0 ? '+' : ''}${f.complaints.total - prev}` });
  const c = f.callbacks;
  const label = (map: Record<string, string>, counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([k, v]) => `${map[k] ?? k} ${v}`)
      .join(' / ');
  const hv = f.handovers;
  const handovers = m.handoverReportLine({
    total: hv.total,
    claimed: hv.claimed,
    claim: hv.claimMinutes.median === null ? m.noData : m.minutesMedian({ median: num(hv.claimMinutes.median), p90: num(hv.claimMinutes.p90) }),
    duration: hv.durationMinutes.median === null ? m.noData : m.minutesMedian({ median: num(hv.durationMinutes.median), p90: num(hv.durationMinutes.p90) }),
  });
  const summary = m.reportSummary({
    label: f.period.label,
    total: f.complaints.total,
    major: g.major?.count ?? 0,
    important: g.important?.count ?? 0,
    minor: g.minor?.count ?? 0,
    previous: delta,
    onTime,
    response: f.complaints.responseMinutes.median === null ? m.noData : m.minutesMedian({ median: num(f.complaints.responseMinutes.median), p90: num(f.complaints.responseMinutes.p90) }),
    resolution: f.complaints.resolutionHours.median === null ? m.noData : m.hoursMedian({ median: num(f.complaints.resolutionHours.median), p90: num(f.complaints.resolutionHours.p90) }),
    completion: `${pct(f.bookings.completionRate)}（${f.bookings.completed}/${f.bookings.total}）`,
    callbacks: `${pct(c.rate)}（${c.doneWithin3Days}/${c.due}）`,
    satisfaction: `${pct(c.satisfactionRate)}（${label(m.overallLabel, c.overall)}）`,
    quality: label(m.qualityLabel, c.quality),
    timeliness: label(m.timelinessLabel, c.timeliness),
  });
  return [summary, ...workOrderLines(m, f), handovers].join('\n');
}

/** Work orders by department (seed 002's 派工单), or one line saying there were none. */
function workOrderLines(m: Messages, f: ReportFigures): string[] {
  if (f.workOrders.length === 0) return [m.workOrderReportNone];
  return [
    m.workOrderReportTitle,
    ...f.workOrders.map((w) =>
      m.workOrderReportLine({ ...w, accept: w.acceptMinutes === null ? m.noData : m.minutesMean({ minutes: num(w.acceptMinutes) }), calledBack: w.calledBackIn24h }),
    ),
  ];
}
