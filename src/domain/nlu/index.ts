/**
 * Natural-language understanding for customer messages: intent (with the classifier's confidence
 * and, for a complaint, its category), service, date/time and locale, all pure functions of the
 * text and the context passed in.
 */
import { DateTime } from 'luxon';
import { parseWhen, resolveWhen, type When } from './datetime.ts';
import {
  classifyIntent,
  detectLocale,
  detectService,
  isBareService,
  type CatalogEntry,
  type ComplaintKind,
  type Intent,
  type IntentGuess,
} from './intent.ts';
import { splitMove } from './reschedule.ts';
import type { Zone } from 'luxon';
import { tz } from '../zone.ts';

export * from './datetime.ts';
export * from './extract.ts';
export * from './intent.ts';

/** Everything understood from one message. */
export interface Understanding {
  intent: Intent;
  /**
   * How sure the classifier is of `intent`, 0-1; below the clarifying threshold the bot asks.
   * Absent when the understanding was built by a flow rather than read from text (certain).
   */
  confidence?: number;
  /** For a complaint: what it is about. */
  category?: ComplaintKind;
  /** Code of the catalog service named, if any. */
  serviceCode?: string;
  when?: When;
  /** ISO 8601 with the zone's offset (2026-11-24T15:00:00.000+08:00), when a date or time was given. */
  start?: string;
  precision?: 'day' | 'period' | 'minute';
  /**
   * A reschedule naming the old day too ("明天的改到后天下午三点"): the day of the booking to move
   * (YYYY-MM-DD); `start` is then the new time.
   */
  moveFrom?: string;
  locale: 'zh' | 'en';
}

/** Context for {@link understand}: the reference instant, the company zone and its catalog. */
interface UnderstandContext {
  now: Date;
  zone: string | Zone;
  catalog: readonly CatalogEntry[];
}

/** The old day of a move, when the words before the marker name one and the words after a time. */
function moveDays(text: string, opts: { now: Date; zone: string | Zone }): { from: string; to: string } | undefined {
  const parts = splitMove(text);
  if (!parts) return undefined;
  const from = parseWhen(parts.from, opts);
  const to = parseWhen(parts.to, opts);
  if (!from?.date || from.rejected || !to || to.rejected) return undefined;
  return { from: from.date, to: parts.to };
}

/** Understands one customer message. */
export function understand(text: string, ctx: UnderstandContext): Understanding {
  const serviceCode = detectService(text, ctx.catalog);
  const guess: IntentGuess = serviceCode !== undefined && isBareService(text, ctx.catalog) ? { intent: 'book', confidence: 1 } : classifyIntent(text);
  const result: Understanding = { intent: guess.intent, confidence: guess.confidence, locale: detectLocale(text) };
  if (guess.category !== undefined) result.category = guess.category;
  if (serviceCode !== undefined) result.serviceCode = serviceCode;
  const opts = { now: ctx.now, zone: ctx.zone };
  const move = guess.intent === 'reschedule' ? moveDays(text, opts) : undefined;
  if (move) result.moveFrom = move.from;
  const when = parseWhen(move ? move.to : text, opts);
  if (when?.rejected) {
    // A date that cannot be meant is said back; a time written with it must not become tomorrow.
    result.when = when;
  } else if (when) {
    const { start, precision } = resolveWhen(when, opts);
    const iso = DateTime.fromJSDate(start, { zone: tz(ctx.zone) }).toISO();
    result.when = when;
    if (iso !== null) result.start = iso;
    result.precision = precision;
  }
  return result;
}
