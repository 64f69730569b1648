/**
 * Choosing a visit time, shared by booking and rescheduling. Every choice is offered as buttons
 * (slots, then other days), and free text is understood; whatever the source, the start is
 * checked against lead time and service hours, and a rejected one gets the earliest allowed
 * slots offered instead of a bare refusal (DOMAIN §1).
 */
import { DateTime } from 'luxon';
import { checkStart, earliestDate, latestDate, slotsOnDay, suggestDays, suggestSlots } from '../../domain/booking/schedule.ts';
import type { Period, When } from '../../domain/nlu/index.ts';
import { formatDate, formatDateTime, formatDay } from '../../i18n/index.ts';
import type { Outbound } from '../../contracts/messages.ts';
import { fromSlotStamp, rows, serviceLabel, slotStamp, type Turn, type TurnInput } from '../turn.ts';
import { tz } from '../../domain/zone.ts';
import type { Service } from '../../contracts/company.ts';

const SLOT_BUTTONS = 6;
const DAY_BUTTONS = 7;

/** Either a start that passed every rule, or replies asking again. */
type TimeChoice = { kind: 'chosen'; start: Date } | { kind: 'ask'; replies: Outbound[] };

/** Hours (inclusive start, exclusive end) that a period of the day covers. */
const PERIOD_HOURS: Record<Period, [number, number]> = {
  morning: [0, 12],
  noon: [11, 14],
  afternoon: [12, 18],
  evening: [18, 24],
};

function slotButtons(turn: Turn, slots: Date[]) {
  const buttons = slots.map((at) => ({
    label: formatDateTime(turn.m, at, turn.company.timeZone, { now: turn.now }),
    action: `slot:${slotStamp(turn, at)}`,
  }));
  return [...rows(buttons, 2), [{ label: turn.m.otherDays, action: 'days' }]];
}

/** The earliest slots (from `near`'s day, if given) as buttons under `text`. */
function offerSlots(turn: Turn, service: Service, text: string, near?: Date): Outbound {
  const slots = suggestSlots({ company: turn.company, service, now: turn.now, near, count: SLOT_BUTTONS });
  return { text, buttons: slotButtons(turn, slots) };
}

/** The first question of the time step. */
export function askTime(turn: Turn, service: Service, text?: string): Outbound {
  return offerSlots(turn, service, text ?? turn.m.askTime({ service: serviceLabel(turn, service) }));
}

/** "可预约 11月24日 至 2027年5月22日..." for a service, from today's rules. */
function bookableRange(turn: Turn, service: Service): string {
  const { company, now } = turn;
  const day = (d: DateTime) => formatDay(turn.m, d.toISODate() ?? '', company.timeZone, { now });
  return turn.m.bookableRange({ from: day(earliestDate(company, service, now)), to: day(latestDate(company, now)) });
}

/** A date that cannot be booked, said back with the bookable range, and the earliest slots. */
function refuseDate(turn: Turn, service: Service, why: string): Outbound {
  return offerSlots(turn, service, `${why}${bookableRange(turn, service)}`);
}

/** Why a written date gives no day ("2月30日", "100000天后"), said back with the range. */
function refuseWritten(turn: Turn, service: Service, rejected: NonNullable<When['rejected']>): Outbound {
  const { m } = turn;
  const why = rejected.reason === 'impossible' ? m.dateImpossible({ written: rejected.written }) : m.dateBeyondHorizon({ written: rejected.written });
  return refuseDate(turn, service, why);
}

function offerDay(turn: Turn, service: Service, date: string, period?: Period): Outbound {
  const { m, company, now } = turn;
  const day = DateTime.fromISO(date, { zone: tz(company.timeZone) });
  if (!day.isValid) return refuseWritten(turn, service, { written: date, reason: 'impossible' });
  if (day.startOf('day') > latestDate(company, now)) {
    return refuseDate(turn, service, m.dateBeyondHorizon({ written: formatDay(m, date, company.timeZone, { now }) }));
  }
  const all = slotsOnDay({ company: turn.company, service, now: turn.now, date });
  const label = formatDate(turn.m, date, turn.company.timeZone, { now });
  if (all.length === 0) {
    const near = DateTime.fromISO(date, { zone: tz(turn.company.timeZone) }).toJSDate();
    return offerSlots(turn, service, turn.m.noSlotsOnDay({ day: label }), near);
  }
  let slots = all;
  if (period) {
    const [from, to] = PERIOD_HOURS[period];
    const inPeriod = all.filter((d) => {
      const h = DateTime.fromJSDate(d, { zone: tz(turn.company.timeZone) }).hour;
      return h >= from && h < to;
    });
    if (inPeriod.length > 0) slots = inPeriod;
  }
  return { text: turn.m.askTimeOnDay({ day: label }), buttons: slotButtons(turn, slots.slice(0, 12)) };
}

function offerDays(turn: Turn, service: Service): Outbound {
  const days = suggestDays({ company: turn.company, service, now: turn.now, count: DAY_BUTTONS });
  const buttons = days.map((d) => ({
    label: formatDate(turn.m, d, turn.company.timeZone, { now: turn.now }),
    action: `day:${d.replaceAll('-', '')}`,
  }));
  return { text: turn.m.askDay, buttons: rows(buttons, 2) };
}

/** Checks a concrete start; a rejection explains why and offers the earliest allowed slots. */
export function validateStart(turn: Turn, service: Service, start: Date): TimeChoice {
  const check = checkStart(turn.company, service, start, turn.now);
  if (check.ok) return { kind: 'chosen', start };
  const { m, company } = turn;
  if (check.reason === 'beyond_horizon') {
    const date = DateTime.fromJSDate(start, { zone: tz(company.timeZone) }).toISODate() ?? '';
    return { kind: 'ask', replies: [refuseDate(turn, service, m.dateBeyondHorizon({ written: formatDay(m, date, company.timeZone, { now: turn.now }) }))] };
  }
  const why =
    check.reason === 'past'
      ? m.timePast
      : check.reason === 'too_soon'
        ? m.timeTooSoon({ service: serviceLabel(turn, service), leadDays: service.leadDays })
        : m.timeOutsideHours({ open: company.serviceHours.start, close: company.serviceHours.end, hours: service.durationHours });
  const near = check.reason === 'outside_hours' ? start : undefined;
  return { kind: 'ask', replies: [offerSlots(turn, service, `${why}${m.earliestOffer}`, near)] };
}

/**
 * Handles one input at the time step. Returns `undefined` when the input is not about time
 * (the caller decides what else it could mean).
 */
export function chooseTime(turn: Turn, service: Service, input: TurnInput): TimeChoice | undefined {
  const { action, understanding } = input;
  if (action?.kind === 'slot') {
    const start = fromSlotStamp(turn, action.at);
    return start ? validateStart(turn, service, start) : { kind: 'ask', replies: [askTime(turn, service)] };
  }
  if (action?.kind === 'days') return { kind: 'ask', replies: [offerDays(turn, service)] };
  if (action?.kind === 'day') {
    const date = `${action.date.slice(0, 4)}-${action.date.slice(4, 6)}-${action.date.slice(6, 8)}`;
    return { kind: 'ask', replies: [offerDay(turn, service, date)] };
  }
  if (understanding?.when?.rejected) return { kind: 'ask', replies: [refuseWritten(turn, service, understanding.when.rejected)] };
  if (!understanding?.start || !understanding.when) return undefined;
  const start = new Date(understanding.start);
  if (understanding.precision === 'minute') return validateStart(turn, service, start);
  const date = understanding.when.date ?? DateTime.fromJSDate(start, { zone: tz(turn.company.timeZone) }).toISODate() ?? '';
  return { kind: 'ask', replies: [offerDay(turn, service, date, understanding.when.period)] };
}
