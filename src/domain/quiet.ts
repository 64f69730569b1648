/**
 * Quiet hours: the customer's rest time, when nothing unprompted is sent (DOMAIN §3 "一个避免";
 * default 12:00–14:00 and 20:00–09:00, from the company file).
 */
import { DateTime } from 'luxon';
import { tz } from './zone.ts';
import type { TimeSpan } from '../contracts/company.ts';

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Whether a local minute-of-day falls inside a span; spans whose end is earlier run past midnight. */
function inside(span: TimeSpan, minute: number): boolean {
  const start = minutes(span.start);
  const end = minutes(span.end);
  return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** Whether `at` is inside the quiet hours, in the company zone. */
export function isQuiet(at: Date, quietHours: readonly TimeSpan[], zone: string): boolean {
  const local = DateTime.fromJSDate(at, { zone: tz(zone) });
  const minute = local.hour * 60 + local.minute;
  return quietHours.some((span) => inside(span, minute));
}

/**
 * The first moment at or after `at` outside the quiet hours. Spans that touch (20:00–09:00 then
 * 09:00–...) are crossed in one go; with every minute quiet it gives up after a day and returns `at`.
 */
export function nextOpenMoment(at: Date, quietHours: readonly TimeSpan[], zone: string): Date {
  let t = DateTime.fromJSDate(at, { zone: tz(zone) });
  for (let guard = 0; guard < 48 && isQuiet(t.toJSDate(), quietHours, zone); guard += 1) {
    const minute = t.hour * 60 + t.minute;
    const span = quietHours.find((s) => inside(s, minute));
    if (!span) break;
    const [h, m] = span.end.split(':').map(Number);
    let end = t.set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 });
    if (end <= t) end = end.plus({ days: 1 });
    t = end;
  }
  return isQuiet(t.toJSDate(), quietHours, zone) ? at : t.toJSDate();
}
