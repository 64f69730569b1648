/**
 * When the callback survey goes out (DOMAIN §3 When): within three days of the completed
 * service, never in the customer's rest hours, one reminder, then a phone task for the front desk.
 */
import { nextOpenMoment } from '../quiet.ts';
import type { TimeSpan } from '../../contracts/company.ts';

const HOUR = 3_600_000;

/** How long each step of the survey waits; the defaults come from DOMAIN §3, the rest is configuration. */
export interface SurveyPolicy {
  /** After completion, before the first message (default 2 h). */
  delayMs: number;
  /** After the first message, before the one reminder (default 24 h). */
  reminderAfterMs: number;
  /** After completion, an unfinished survey becomes a phone task (default 48 h, so the call fits in the window). */
  phoneAfterMs: number;
  /** Every completed service is called back within this window (3 days). */
  windowMs: number;
}

/** Every completed service is called back within 3 days: the default window, and the report's "3天内回访" figure. */
export const CALLBACK_WINDOW_MS = 72 * HOUR;

/** 2 h, 24 h, 48 h, 72 h: a first message, one reminder, then a phone call with a day to spare. */
export const DEFAULT_SURVEY_POLICY: SurveyPolicy = { delayMs: 2 * HOUR, reminderAfterMs: 24 * HOUR, phoneAfterMs: 48 * HOUR, windowMs: CALLBACK_WINDOW_MS };

/** The policy and the company's quiet hours and zone (company file). */
export interface TimingOptions {
  policy: SurveyPolicy;
  quietHours: readonly TimeSpan[];
  zone: string;
}

/**
 * When an unfinished survey becomes a phone task for the front desk: completion + phoneAfter,
 * never later than completion + window. Phone tasks go to staff, so quiet hours don't apply.
 */
export function phoneTaskAt(completedAt: Date, policy: SurveyPolicy): Date {
  return new Date(completedAt.getTime() + Math.min(policy.phoneAfterMs, policy.windowMs));
}

/**
 * When the first survey message goes out: completion + delay, moved to the end of the quiet hours
 * it falls in (19:30 + 2 h = 21:30 -> 09:00 the next morning; 10:00 + 2 h = 12:00 -> 14:00).
 */
export function firstSendAt(completedAt: Date, opts: TimingOptions): Date {
  return nextOpenMoment(new Date(completedAt.getTime() + opts.policy.delayMs), opts.quietHours, opts.zone);
}

/**
 * When the one reminder goes out if the survey is unanswered: sentAt + reminderAfter, moved out of
 * quiet hours; undefined when that falls at or after the phone handoff (the call replaces it).
 */
export function reminderAt(sentAt: Date, completedAt: Date, opts: TimingOptions): Date | undefined {
  const at = nextOpenMoment(new Date(sentAt.getTime() + opts.policy.reminderAfterMs), opts.quietHours, opts.zone);
  return at.getTime() < phoneTaskAt(completedAt, opts.policy).getTime() ? at : undefined;
}

/**
 * Whether a finished survey or a phone handoff at `at` counts as within the window: from the
 * completion to completion + window, both ends included (a moment before the completion is not).
 */
export function withinWindow(completedAt: Date, at: Date, policy: SurveyPolicy): boolean {
  const elapsed = at.getTime() - completedAt.getTime();
  return elapsed >= 0 && elapsed <= policy.windowMs;
}

/**
 * When the survey starts (DOMAIN §3: a completed service, as the customer confirmed it): the company
 * file's `surveyStart`. Without a confirmation within `confirmWaitHours` of the completion the survey
 * goes out anyway (`unconfirmed: 'survey'`) or the front desk phones (`'phone'`).
 */
interface SurveyStartPolicy {
  confirmWaitHours: number;
  unconfirmed: 'survey' | 'phone';
}

/**
 * What a survey due at `now` does: `send` once the visit is confirmed (or the wait is over and the
 * company sends anyway), `phone` when the wait is over and the company phones instead, or `wait`
 * until the end of the wait, moved out of quiet hours.
 */
export function surveyStart(
  s: { completedAt: Date; confirmedAt: Date | null },
  now: Date,
  opts: TimingOptions & { start: SurveyStartPolicy },
): { go: 'send' } | { go: 'phone' } | { go: 'wait'; until: Date } {
  if (s.confirmedAt !== null) return { go: 'send' };
  const waitEnd = new Date(s.completedAt.getTime() + opts.start.confirmWaitHours * HOUR);
  if (now.getTime() < waitEnd.getTime()) return { go: 'wait', until: nextOpenMoment(waitEnd, opts.quietHours, opts.zone) };
  return opts.start.unconfirmed === 'phone' ? { go: 'phone' } : { go: 'send' };
}
