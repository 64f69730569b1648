/**
 * Message catalogs. Flows never hold user-facing strings; they ask the catalog of the
 * conversation's locale. Simplified Chinese is the default.
 */
import { DateTime } from 'luxon';
import { en } from './en.ts';
import { zh, type Messages } from './zh.ts';
import type { Zone } from 'luxon';
import { tz } from '../domain/zone.ts';

export type Locale = 'zh' | 'en';
export type { Messages };

const catalogs: Record<Locale, Messages> = { zh, en };

/** The catalog for a locale. */
export function messages(locale: Locale): Messages {
  return catalogs[locale];
}

/** Options of the date formats. */
interface DateFormatOptions {
  /** The reference instant: a date in another year than `now`'s (in the zone) shows its year. */
  now?: Date;
}

/** The year to show for `d`: only when `now` is given and its year (in d's zone) differs. */
function yearOf(d: DateTime, opts: DateFormatOptions): number | undefined {
  if (!opts.now) return undefined;
  return DateTime.fromJSDate(opts.now, { zone: d.zone }).year === d.year ? undefined : d.year;
}

/**
 * "11月24日（周二）14:00" / "Tue 11/24 14:00", in the given zone; with `now`, a date in another year
 * says it: "2027年1月5日（周二）10:00" / "Tue 1/5/2027 10:00".
 */
export function formatDateTime(m: Messages, at: Date, zone: string | Zone, opts: DateFormatOptions = {}): string {
  const d = DateTime.fromJSDate(at, { zone: tz(zone) });
  return m.dateTime({
    year: yearOf(d, opts),
    month: d.month,
    day: d.day,
    weekday: m.weekdays[d.weekday - 1] ?? '',
    time: d.toFormat('HH:mm'),
  });
}

/** "11月24日（周二）" / "Tue 11/24", for a YYYY-MM-DD date; with `now`, the year when it is another. */
export function formatDate(m: Messages, isoDate: string, zone: string | Zone, opts: DateFormatOptions = {}): string {
  const d = DateTime.fromISO(isoDate, { zone: tz(zone) });
  return m.dateOnly({ year: yearOf(d, opts), month: d.month, day: d.day, weekday: m.weekdays[d.weekday - 1] ?? '' });
}

/** "11月24日" / "2027年5月22日" ("11/24", "5/22/2027"), for a YYYY-MM-DD date: a range's ends. */
export function formatDay(m: Messages, isoDate: string, zone: string | Zone, opts: DateFormatOptions = {}): string {
  const d = DateTime.fromISO(isoDate, { zone: tz(zone) });
  return m.dayLabel({ year: yearOf(d, opts), month: d.month, day: d.day });
}

/** Yuan with at most two decimals and no trailing zeros: 50, 8, 12.5. */
export function formatPrice(yuan: number): string {
  return Number.isInteger(yuan) ? String(yuan) : yuan.toFixed(2).replace(/0+$/, '');
}

