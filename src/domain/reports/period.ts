/**
 * Which period a manager asks about (DOMAIN §4): `/report` (this month), `/report 2026-10`,
 * `/report 2026-10-01 2026-10-15`, `/report week`, and the Chinese phrasings managers type
 * (本月报表, 上月统计, 最近7天投诉情况, 本周报表 ...). Periods are [from, to) in the company zone.
 */
import { DateTime } from 'luxon';
import type { ReportPeriod } from '../../contracts/reports.ts';
import { parseChineseNumeral } from '../nlu/numerals.ts';
import { tz } from '../zone.ts';


const REPORT_WORDS = /^\/report\b|报表|统计|报告|投诉情况|回访情况/i;

/** Whether a message asks for a report at all (to route it; the period may still be unclear). */
export function asksForReport(text: string): boolean {
  return REPORT_WORDS.test(text.trim().slice(0, 200));
}

function month(d: DateTime): ReportPeriod {
  const from = d.startOf('month');
  return { from: from.toJSDate(), to: from.plus({ months: 1 }).toJSDate(), label: `${from.year}年${from.month}月` };
}

function days(from: DateTime, toInclusive: DateTime): ReportPeriod {
  return {
    from: from.startOf('day').toJSDate(),
    to: toInclusive.startOf('day').plus({ days: 1 }).toJSDate(),
    label: `${from.toISODate()} 至 ${toInclusive.toISODate()}`,
  };
}

/** The period a report request names; undefined when it names none we understand. */
export function parseReportPeriod(text: string, now: Date, zone: string): ReportPeriod | undefined {
  const s = text.trim().slice(0, 200).replace(/^\/report\s*/i, '');
  const today = DateTime.fromJSDate(now, { zone: tz(zone) });
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) {
    const a = DateTime.fromObject({ year: +m[1]!, month: +m[2]!, day: +m[3]! }, { zone: tz(zone) });
    const b = DateTime.fromObject({ year: +m[4]!, month: +m[5]!, day: +m[6]! }, { zone: tz(zone) });
    return a.isValid && b.isValid && a <= b && b.diff(a, 'days').days <= 366 ? days(a, b) : undefined;
  }
  m = /^(\d{4})-(\d{1,2})$/.exec(s) ?? /^(\d{4})年(\d{1,2})月/.exec(s);
  if (m) {
    const d = DateTime.fromObject({ year: +m[1]!, month: +m[2]! }, { zone: tz(zone) });
    return d.isValid ? month(d) : undefined;
  }
  if (s === '' || /本月|这个月|当月|this month/i.test(s)) return month(today);
  if (/上个?月|last month/i.test(s)) return month(today.minus({ months: 1 }));
  if (/^week$|本周|这周|this week/i.test(s)) return days(today.startOf('week'), today);
  if (/上周|last week/i.test(s)) return days(today.startOf('week').minus({ weeks: 1 }), today.startOf('week').minus({ days: 1 }));
  m = /(?:最近|近|过去|last)\s*(\d{1,3}|[一二三四五六七八九十两]+)\s*(?:天|日|days?)/i.exec(s);
  if (m) {
    const n = parseChineseNumeral(m[1]!) ?? 0;
    return n >= 1 && n <= 366 ? days(today.minus({ days: n - 1 }), today) : undefined;
  }
  if (/今天|today/i.test(s)) return days(today, today);
  return undefined;
}

/** The period before, of the same length (the same span of the previous month for months). */
export function previousPeriod(p: ReportPeriod, zone: string): ReportPeriod {
  const from = DateTime.fromJSDate(p.from, { zone: tz(zone) });
  const to = DateTime.fromJSDate(p.to, { zone: tz(zone) });
  if (from.day === 1 && to.equals(from.plus({ months: 1 }))) return month(from.minus({ months: 1 }));
  const span = to.diff(from);
  return days(from.minus(span), from.minus({ days: 1 }));
}
