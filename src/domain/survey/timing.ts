/**
 * When the callback survey goes out (DOMAIN §3 When): within three days of the completed
 * service, never in the customer's rest hours, one reminder, then a phone task for the front desk.
 */
import type { TimeSpan } from '../../config/company.ts';
import { nextOpenMoment } from '../quiet.ts';

const HOUR = 3_600_000;

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

export const DEFAULT_SURVEY_POLICY: SurveyPolicy = { delayMs: 2 * HOUR, reminderAfterMs: 24 * HOUR, phoneAfterMs: 48 * HOUR, windowMs: 72 * HOUR };

export interface TimingOptions {
  policy: SurveyPolicy;
  quietHours: readonly TimeSpan[];
  zone: string;
}

/** When an unfinished survey becomes a phone task: completion + phoneAfter, never past the window. */
export function phoneTaskAt(completedAt: Date, policy: SurveyPolicy): Date {
  return new Date(completedAt.getTime() + Math.min(policy.phoneAfterMs, policy.windowMs));
}

/** When the first survey message goes out: completion + delay, moved out of quiet hours. */
export function firstSendAt(completedAt: Date, opts: TimingOptions): Date {
  return nextOpenMoment(new Date(completedAt.getTime() + opts.policy.delayMs), opts.quietHours, opts.zone);
}

/** When the one reminder goes out: sent + reminderAfter, out of quiet hours; undefined if that reaches the phone handoff. */
export function reminderAt(sentAt: Date, completedAt: Date, opts: TimingOptions): Date | undefined {
  const at = nextOpenMoment(new Date(sentAt.getTime() + opts.policy.reminderAfterMs), opts.quietHours, opts.zone);
  return at.getTime() < phoneTaskAt(completedAt, opts.policy).getTime() ? at : undefined;
}

/** Whether something done at `at` counts as within the survey window of a completion. */
export function withinWindow(completedAt: Date, at: Date, policy: SurveyPolicy): boolean {
  return at.getTime() - completedAt.getTime() <= policy.windowMs;
}
