/**
 * Natural-language understanding for customer messages: intent, service, date/time and locale,
 * all pure functions of the text and the context passed in.
 */
import { DateTime } from 'luxon';
import { parseWhen, resolveWhen, type When } from './datetime.ts';
import { detectIntent, detectLocale, detectService, type CatalogEntry, type Intent } from './intent.ts';
import type { Zone } from 'luxon';
import { tz } from '../zone.ts';

export * from './datetime.ts';
export * from './extract.ts';
export * from './intent.ts';

/** Everything understood from one message. */
export interface Understanding {
  intent: Intent;
  /** Code of the catalog service named, if any. */
  serviceCode?: string;
  when?: When;
  /** ISO 8601 with the zone's offset (2026-11-24T15:00:00.000+08:00), when a date or time was given. */
  start?: string;
  precision?: 'day' | 'period' | 'minute';
  locale: 'zh' | 'en';
}

/** Context for {@link understand}: the reference instant, the company zone and its catalog. */
interface UnderstandContext {
  now: Date;
  zone: string | Zone;
  catalog: readonly CatalogEntry[];
}

/**
 * Understands one customer message. A message that names a catalog service but matches no intent
 * keyword is a booking request ("空调清洗" -> book).
 */
export function understand(text: string, ctx: UnderstandContext): Understanding {
  const serviceCode = detectService(text, ctx.catalog);
  let intent = detectIntent(text);
  if (intent === 'unknown' && serviceCode !== undefined) intent = 'book';
  const result: Understanding = { intent, locale: detectLocale(text) };
  if (serviceCode !== undefined) result.serviceCode = serviceCode;
  const when = parseWhen(text, { now: ctx.now, zone: ctx.zone });
  if (when?.rejected) {
    // A date that cannot be meant is said back; a time written with it must not become tomorrow.
    result.when = when;
  } else if (when) {
    const { start, precision } = resolveWhen(when, { now: ctx.now, zone: ctx.zone });
    const iso = DateTime.fromJSDate(start, { zone: tz(ctx.zone) }).toISO();
    result.when = when;
    if (iso !== null) result.start = iso;
    result.precision = precision;
  }
  return result;
}
