/**
 * When a visit may start: lead time and service hours (DOMAIN §1, [000 §6.2], [000 rules §一]),
 * never on a holiday of the company file.
 * Pure functions of the company, the service and `now`; all calendar arithmetic in the company
 * time zone whatever the machine's zone.
 */
import { DateTime } from 'luxon';
import { tz } from '../zone.ts';
import type { Company, Service } from '../../contracts/company.ts';

/** The company settings the schedule rules need (the horizon defaults to 180 days). */
type ScheduleCompany = Pick<Company, 'timeZone' | 'serviceHours' | 'slotMinutes'> & Partial<Pick<Company, 'bookingHorizonDays' | 'holidays'>>;

/** How far ahead a visit may be booked when the company file does not say. */
const DEFAULT_BOOKING_HORIZON_DAYS = 180;
/** The service settings the schedule rules need. */
type ScheduleService = Pick<Service, 'leadDays' | 'durationHours'>;

/** Why a start time cannot be booked. An expected outcome, rendered by the flow, not an error. */
type StartRejection = 'past' | 'too_soon' | 'beyond_horizon' | 'holiday' | 'outside_hours';

type StartCheck = { ok: true } | { ok: false; reason: StartRejection; earliest: Date };

/** The company holiday (its name) that a day falls on, if any. */
export function holidayOf(company: ScheduleCompany, day: DateTime): string | undefined {
  const iso = day.setZone(tz(company.timeZone)).toISODate();
  return company.holidays?.find((h) => h.date === iso)?.name;
}

/**
 * The bookable day nearest to a holiday (YYYY-MM-DD): the closest day on either side that is not a
 * holiday and lies within lead time and horizon; on a tie, the day after. Undefined when none is.
 */
export function nearestWorkingDay(company: ScheduleCompany, service: ScheduleService, now: Date, date: string): string | undefined {
  const day = DateTime.fromISO(date, { zone: tz(company.timeZone) }).startOf('day');
  const first = earliestDate(company, service, now);
  const last = latestDate(company, now);
  const bookable = (d: DateTime) => d >= first && d <= last && !holidayOf(company, d);
  for (let i = 1; i <= 60; i += 1) {
    const after = day.plus({ days: i });
    if (bookable(after)) return after.toISODate() ?? undefined;
    const before = day.minus({ days: i });
    if (bookable(before)) return before.toISODate() ?? undefined;
  }
  return undefined;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * The first calendar day a service may be visited: today + lead days in the company zone.
 * "At least 1 day ahead" means a booking made on Monday, at any hour, can be for Tuesday.
 */
export function earliestDate(company: ScheduleCompany, service: ScheduleService, now: Date): DateTime {
  return DateTime.fromJSDate(now, { zone: tz(company.timeZone) }).startOf('day').plus({ days: service.leadDays });
}

/** The last calendar day a visit may be booked for: today + the booking horizon, in the company zone. */
export function latestDate(company: ScheduleCompany, now: Date): DateTime {
  return DateTime.fromJSDate(now, { zone: tz(company.timeZone) })
    .startOf('day')
    .plus({ days: company.bookingHorizonDays ?? DEFAULT_BOOKING_HORIZON_DAYS });
}

/** Whether a visit starting at `start` begins and ends inside the service hours of its day. */
export function withinServiceHours(company: ScheduleCompany, service: ScheduleService, start: Date): boolean {
  const local = DateTime.fromJSDate(start, { zone: tz(company.timeZone) });
  const startMin = local.hour * 60 + local.minute;
  const endMin = startMin + service.durationHours * 60;
  return (
    local.second === 0 &&
    startMin >= minutesOf(company.serviceHours.start) &&
    endMin <= minutesOf(company.serviceHours.end)
  );
}

/**
 * Checks a requested start against lead time and service hours.
 * A rejection carries the earliest start that would be accepted, so the flow can offer it.
 */
export function checkStart(
  company: ScheduleCompany,
  service: ScheduleService,
  start: Date,
  now: Date,
): StartCheck {
  const reject = (reason: StartRejection): StartCheck => ({
    ok: false,
    reason,
    earliest: suggestSlots({ company, service, now, count: 1 })[0] ?? start,
  });
  if (start.getTime() <= now.getTime()) return reject('past');
  const day = DateTime.fromJSDate(start, { zone: tz(company.timeZone) }).startOf('day');
  if (day < earliestDate(company, service, now)) return reject('too_soon');
  if (day > latestDate(company, now)) return reject('beyond_horizon');
  if (holidayOf(company, day)) return reject('holiday');
  if (!withinServiceHours(company, service, start)) return reject('outside_hours');
  return { ok: true };
}

/**
 * Bookable starts in time order, the earliest allowed first.
 * With `near`, starts from that day (or the earliest allowed day, if later), so a customer who
 * asked for 21:00 on Saturday is offered Saturday's slots, not next week's.
 */
export function suggestSlots(opts: {
  company: ScheduleCompany;
  service: ScheduleService;
  now: Date;
  near?: Date;
  count: number;
}): Date[] {
  const { company, service, now, count } = opts;
  const open = minutesOf(company.serviceHours.start);
  const lastStart = minutesOf(company.serviceHours.end) - service.durationHours * 60;
  const step = company.slotMinutes;
  let day = earliestDate(company, service, now);
  const last = latestDate(company, now);
  if (opts.near) {
    const nearDay = DateTime.fromJSDate(opts.near, { zone: tz(company.timeZone) }).startOf('day');
    if (nearDay > day && nearDay <= last) day = nearDay;
  }
  const slots: Date[] = [];
  if (lastStart < open) return slots; // the service never fits in a day
  for (let guard = 0; slots.length < count && guard < 366 && day <= last; guard += 1, day = day.plus({ days: 1 })) {
    if (holidayOf(company, day)) continue;
    for (let m = open; m <= lastStart && slots.length < count; m += step) {
      const start = day.set({ hour: Math.floor(m / 60), minute: m % 60 });
      if (start.toMillis() > now.getTime()) slots.push(start.toJSDate());
    }
  }
  return slots;
}

/** The next `count` days on which the service can be booked, as YYYY-MM-DD in the company zone. */
export function suggestDays(opts: {
  company: ScheduleCompany;
  service: ScheduleService;
  now: Date;
  count: number;
}): string[] {
  const first = earliestDate(opts.company, opts.service, opts.now);
  const last = latestDate(opts.company, opts.now);
  const days: string[] = [];
  for (let d = first; d <= last && days.length < opts.count; d = d.plus({ days: 1 })) {
    if (!holidayOf(opts.company, d)) days.push(d.toISODate() ?? '');
  }
  return days;
}

/** Starts offered for one day (YYYY-MM-DD), within service hours and after the lead time. */
export function slotsOnDay(opts: {
  company: ScheduleCompany;
  service: ScheduleService;
  now: Date;
  date: string;
}): Date[] {
  const day = DateTime.fromISO(opts.date, { zone: tz(opts.company.timeZone) }).startOf('day');
  if (!day.isValid || day < earliestDate(opts.company, opts.service, opts.now) || day > latestDate(opts.company, opts.now)) return [];
  if (holidayOf(opts.company, day)) return [];
  const all = suggestSlots({ ...opts, near: day.toJSDate(), count: 24 * 4 });
  return all.filter((d) => DateTime.fromJSDate(d, { zone: tz(opts.company.timeZone) }).hasSame(day, 'day'));
}
