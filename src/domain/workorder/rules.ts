/**
 * The work order's rules (DOMAIN §1 Work order; seed 002 约定时间; seed 000 §6.4), as functions of
 * their inputs and `now`: which department handles a service, when the customer's evening-before
 * reminder goes out, when a start counts as late without notice, and reading a worker's typed delay
 * and actual fee.
 */
import { DateTime } from 'luxon';
import type { Company, Department, TimeSpan } from '../../contracts/company.ts';
import { isQuiet } from '../quiet.ts';
import { tz } from '../zone.ts';

/** The configurable parts; `DEFAULT_WORK_ORDER_POLICY` holds the defaults. */
export interface WorkOrderPolicy {
  /** Local time of day (HH:mm) of the evening-before reminder; moved earlier out of quiet hours. */
  reminderTime: string;
  /** Minutes the customer has to answer a late notice before the front desk is told. */
  reconfirmMinutes: number;
  /** A visit starting more than this many minutes late without notice is a lateness event (seed 002). */
  lateAfterMinutes: number;
}

export const DEFAULT_WORK_ORDER_POLICY: WorkOrderPolicy = { reminderTime: '19:00', reconfirmMinutes: 30, lateAfterMinutes: 30 };

/** The department that handles a service, if the company file names one. */
export function departmentOf(company: Pick<Company, 'departments'>, serviceCode: string): Department | undefined {
  return company.departments.find((d) => d.services.includes(serviceCode));
}

/** A department by its code or its name (Chinese or English, any case), as staff type it at `/join`. */
export function findDepartment(company: Pick<Company, 'departments'>, typed: string): Department | undefined {
  const t = typed.trim().toLowerCase();
  return company.departments.find((d) => d.code === t || d.name === typed.trim() || d.nameEn.toLowerCase() === t);
}

const STEP_MINUTES = 30;

/**
 * When the customer is reminded of a visit: `reminderTime` on the day before, moved earlier in
 * half hours while it falls in quiet hours (never into the day before that); undefined when that
 * whole evening is quiet.
 */
function reminderAt(opts: { start: Date; policy: WorkOrderPolicy; quietHours: readonly TimeSpan[]; zone: string }): Date | undefined {
  const { start, policy, quietHours, zone } = opts;
  const [h, m] = policy.reminderTime.split(':').map(Number);
  const dayBefore = DateTime.fromJSDate(start, { zone: tz(zone) }).minus({ days: 1 }).startOf('day');
  let at = dayBefore.set({ hour: h ?? 19, minute: m ?? 0 });
  while (isQuiet(at.toJSDate(), quietHours, zone) && at.minus({ minutes: STEP_MINUTES }) >= dayBefore) at = at.minus({ minutes: STEP_MINUTES });
  return isQuiet(at.toJSDate(), quietHours, zone) ? undefined : at.toJSDate();
}

/** A reminder is no use this close to the visit (the customer booked late, or the bot was down). */
const REMINDER_CUTOFF_MS = 2 * 60 * 60_000;

/** Whether the reminder of a visit starting at `start` is to be sent at `now` (outside quiet hours, DOMAIN §3 一个避免). */
export function reminderDue(opts: { start: Date; now: Date; policy: WorkOrderPolicy; quietHours: readonly TimeSpan[]; zone: string }): boolean {
  const at = reminderAt(opts);
  return at !== undefined && at <= opts.now && opts.now.getTime() < opts.start.getTime() - REMINDER_CUTOFF_MS && !isQuiet(opts.now, opts.quietHours, opts.zone);
}

/**
 * How early before the visit's start a worker may mark arrival (issue 15 F3: "arrived" and "done"
 * the evening before a 09:00 visit asked the customer to confirm a service that had not happened).
 * Two hours covers an early start agreed on the phone; earlier is a mistap or a report ahead of time.
 */
const ARRIVAL_WINDOW_MINUTES = 120;

/** The earliest moment arrival can be marked for a visit expected at `expected`. */
export function earliestArrival(expected: Date): Date {
  return new Date(expected.getTime() - ARRIVAL_WINDOW_MINUTES * 60_000);
}

/**
 * Minutes a visit started late without notice, or undefined when it did not: the expected time is
 * the announced new time when the worker gave notice, else the booked start; late means more than
 * `lateAfterMinutes` after it. `arrivedAt` undefined: not arrived by `now`.
 */
export function lateWithoutNotice(opts: { start: Date; lateUntil: Date | null; arrivedAt: Date | undefined; now: Date; policy: WorkOrderPolicy }): number | undefined {
  const expected = opts.lateUntil ?? opts.start;
  const at = opts.arrivedAt ?? opts.now;
  const minutes = Math.floor((at.getTime() - expected.getTime()) / 60_000);
  return minutes > opts.policy.lateAfterMinutes ? minutes : undefined;
}

/** A delay typed by a worker: "30", "40分钟", "1小时", "一个半小时" is not read (buttons cover it). */
export function parseDelayMinutes(text: string): number | undefined {
  const t = text.trim();
  const hours = /^(\d{1,2}(?:\.\d)?)\s*(?:个)?\s*(?:小时|h|hours?)$/i.exec(t);
  if (hours) return Math.round(Number(hours[1]) * 60) || undefined;
  const minutes = /^(\d{1,3})\s*(?:分钟|分|min|mins|minutes?)?$/i.exec(t);
  const n = minutes ? Number(minutes[1]) : NaN;
  return n > 0 && n <= 600 ? n : undefined;
}

/**
 * The actual work and fee a worker types when the site differed ("多擦了两扇窗，共380元"): the fee
 * is the last amount in yuan (digits, with 元 or ¥ or alone at the end); the work is the text.
 */
export function parseActualWork(text: string): { work: string; feeFen: number } | undefined {
  const t = text.trim();
  const amounts = [...t.matchAll(/[¥￥]?\s*(\d{1,6}(?:\.\d{1,2})?)\s*(元|块)?/g)].filter((m) => m[2] || /[¥￥]/.test(m[0]) || m.index! + m[0].length >= t.length);
  const last = amounts.at(-1);
  if (!last) return undefined;
  const fen = Math.round(Number(last[1]) * 100);
  if (!(fen > 0) || t.length < 4) return undefined;
  return { work: t, feeFen: fen };
}
