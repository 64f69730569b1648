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

/** "11月24日（周二）14:00" / "Tue 11/24 14:00", in the given zone. */
export function formatDateTime(m: Messages, at: Date, zone: string | Zone): string {
  const d = DateTime.fromJSDate(at, { zone: tz(zone) });
  return m.dateTime({
    month: d.month,
    day: d.day,
    weekday: m.weekdays[d.weekday - 1] ?? '',
    time: d.toFormat('HH:mm'),
  });
}

/** "11月24日（周二）" / "Tue 11/24", for a YYYY-MM-DD date. */
export function formatDate(m: Messages, isoDate: string, zone: string | Zone): string {
  const d = DateTime.fromISO(isoDate, { zone: tz(zone) });
  return m.dateOnly({ month: d.month, day: d.day, weekday: m.weekdays[d.weekday - 1] ?? '' });
}

/** Yuan with at most two decimals and no trailing zeros: 50, 8, 12.5. */
export function formatPrice(yuan: number): string {
  return Number.isInteger(yuan) ? String(yuan) : yuan.toFixed(2).replace(/0+$/, '');
}

/** 138****8000: phone numbers are masked wherever more than the customer may see them (DOMAIN §5). */
export { maskPhone } from '../domain/privacy.ts';
