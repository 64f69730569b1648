/**
 * Choosing a visit time, shared by booking and rescheduling. Every choice is offered as buttons
 * (slots, then other days), and free text is understood; whatever the source, the start is
 * checked against lead time, service hours and the company's holidays, and a rejected one gets
 * the earliest allowed slots offered instead of a bare refusal (DOMAIN §1).
 *
 * What was last discussed (the day, the slots offered) travels with the flow's state as an
 * `Offer`: a time alone ("10点吧") keeps the day, and 晚一点的 / 早一点 / 换一天 move through the
 * offered slots.
 */
import { DateTime } from 'luxon';
import { checkStart, earliestDate, holidayOf, latestDate, nearestWorkingDay, slotsOnDay, suggestDays, suggestSlots } from '../../domain/booking/schedule.ts';
import type { Period, When } from '../../domain/nlu/index.ts';
import { listReference, slotShift, type SlotShift } from '../../domain/nlu/steering.ts';
import { formatDate, formatDateTime, formatDay } from '../../i18n/index.ts';
import type { Outbound } from '../../contracts/messages.ts';
import type { Offer } from '../../contracts/state.ts';
import { fromSlotStamp, mentionsTime, rows, serviceLabel, slotStamp, type Turn, type TurnInput } from '../turn.ts';
import { tz } from '../../domain/zone.ts';
import type { Service } from '../../contracts/company.ts';

const SLOT_BUTTONS = 6;
const DAY_BUTTONS = 7;

/** Either a start that passed every rule, or replies asking again with what was offered. */
type TimeChoice = { kind: 'chosen'; start: Date } | { kind: 'ask'; replies: Outbound[]; offer?: Offer };

/** A question with slot buttons, and what it offered. */
interface Offered {
  out: Outbound;
  offer?: Offer;
}

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

function dayOf(turn: Turn, at: Date): string {
  return DateTime.fromJSDate(at, { zone: tz(turn.company.timeZone) }).toISODate() ?? '';
}

/** The offer a list of slots makes: their day (the first slot's, unless `day` is named) and range. */
function offerOf(turn: Turn, slots: Date[], day?: string): Offer | undefined {
  const first = slots[0];
  const last = slots[slots.length - 1];
  if (!first || !last) return day ? { day } : undefined;
  return { day: day ?? dayOf(turn, first), first: first.toISOString(), last: last.toISOString() };
}

/** Slots as buttons under `text`, with the offer they make. */
function slotQuestion(turn: Turn, text: string, slots: Date[], day?: string): Offered {
  return { out: { text, buttons: slotButtons(turn, slots) }, offer: offerOf(turn, slots, day) };
}

/** The earliest slots (from `near`'s day, if given) as buttons under `text`. */
function offerSlots(turn: Turn, service: Service, text: string, near?: Date): Offered {
  return slotQuestion(turn, text, suggestSlots({ company: turn.company, service, now: turn.now, near, count: SLOT_BUTTONS }));
}

/** The first question of the time step. */
export function askTime(turn: Turn, service: Service, text?: string): Outbound {
  return offerSlots(turn, service, text ?? turn.m.askTime({ service: serviceLabel(turn, service) })).out;
}

/** The first question of the time step, with what it offered (for the flow's state). */
export function askTimeOffer(turn: Turn, service: Service, text?: string): { replies: Outbound[]; offer?: Offer } {
  const asked = offerSlots(turn, service, text ?? turn.m.askTime({ service: serviceLabel(turn, service) }));
  return { replies: [asked.out], offer: asked.offer };
}

/** "可预约 11月24日 至 2027年5月22日..." for a service, from today's rules. */
function bookableRange(turn: Turn, service: Service): string {
  const { company, now } = turn;
  const day = (d: DateTime) => formatDay(turn.m, d.toISODate() ?? '', company.timeZone, { now });
  return turn.m.bookableRange({ from: day(earliestDate(company, service, now)), to: day(latestDate(company, now)) });
}

/** A date that cannot be booked, said back with the bookable range, and the earliest slots. */
function refuseDate(turn: Turn, service: Service, why: string): Offered {
  return offerSlots(turn, service, `${why}${bookableRange(turn, service)}`);
}

/** A company holiday (DOMAIN §1 service hours; the company file's holidays): said, and the nearest working day's slots offered. */
function refuseHoliday(turn: Turn, service: Service, date: string, name: string): Offered {
  const { m, company, now } = turn;
  const day = formatDate(m, date, company.timeZone, { now });
  const nearest = nearestWorkingDay(company, service, now, date);
  if (!nearest) return offerSlots(turn, service, `${m.holidayClosed({ day, name })}${m.earliestOffer}`);
  const slots = slotsOnDay({ company, service, now, date: nearest });
  const text = `${m.holidayClosed({ day, name })}${m.nearestWorkingDay({ day: formatDate(m, nearest, company.timeZone, { now }) })}`;
  return slotQuestion(turn, text, slots.slice(0, 12), nearest);
}

/** Why a written date gives no day ("2月30日", "100000天后"), said back with the range. */
function refuseWritten(turn: Turn, service: Service, rejected: NonNullable<When['rejected']>): Offered {
  const { m } = turn;
  const why = rejected.reason === 'impossible' ? m.dateImpossible({ written: rejected.written }) : m.dateBeyondHorizon({ written: rejected.written });
  return refuseDate(turn, service, why);
}

function offerDay(turn: Turn, service: Service, date: string, period?: Period): Offered {
  const { m, company, now } = turn;
  const day = DateTime.fromISO(date, { zone: tz(company.timeZone) });
  if (!day.isValid) return refuseWritten(turn, service, { written: date, reason: 'impossible' });
  if (day.startOf('day') > latestDate(company, now)) {
    return refuseDate(turn, service, m.dateBeyondHorizon({ written: formatDay(m, date, company.timeZone, { now }) }));
  }
  const holiday = holidayOf(company, day);
  if (holiday) return refuseHoliday(turn, service, date, holiday);
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
  return slotQuestion(turn, turn.m.askTimeOnDay({ day: label }), slots.slice(0, 12), date);
}

function offerDays(turn: Turn, service: Service, text?: string, except?: string): Outbound {
  const days = suggestDays({ company: turn.company, service, now: turn.now, count: DAY_BUTTONS + 1 })
    .filter((d) => d !== except)
    .slice(0, DAY_BUTTONS);
  const buttons = days.map((d) => ({
    label: formatDate(turn.m, d, turn.company.timeZone, { now: turn.now }),
    action: `day:${d.replaceAll('-', '')}`,
  }));
  return { text: text ?? turn.m.askDay, buttons: rows(buttons, 2) };
}

/** Checks a concrete start; a rejection explains why and offers the earliest allowed slots. */
export function validateStart(turn: Turn, service: Service, start: Date): TimeChoice {
  const check = checkStart(turn.company, service, start, turn.now);
  if (check.ok) return { kind: 'chosen', start };
  const { m, company } = turn;
  const date = dayOf(turn, start);
  if (check.reason === 'beyond_horizon') {
    return asked(refuseDate(turn, service, m.dateBeyondHorizon({ written: formatDay(m, date, company.timeZone, { now: turn.now }) })));
  }
  if (check.reason === 'holiday') return asked(refuseHoliday(turn, service, date, holidayOf(company, DateTime.fromISO(date, { zone: tz(company.timeZone) })) ?? ''));
  const why =
    check.reason === 'past'
      ? m.timePast
      : check.reason === 'too_soon'
        ? m.timeTooSoon({ service: serviceLabel(turn, service), leadDays: service.leadDays })
        : m.timeOutsideHours({ open: company.serviceHours.start, close: company.serviceHours.end, hours: service.durationHours });
  const near = check.reason === 'outside_hours' ? start : undefined;
  return asked(offerSlots(turn, service, `${why}${m.earliestOffer}`, near));
}

function asked(offered: Offered, lead: Outbound[] = []): TimeChoice {
  return { kind: 'ask', replies: [...lead, offered.out], offer: offered.offer };
}

/** The start of a day at a clock time (HH:mm), in the company zone. */
function atTime(turn: Turn, day: string, hhmm: string): Date | undefined {
  const d = DateTime.fromISO(`${day}T${hhmm}`, { zone: tz(turn.company.timeZone) });
  return d.isValid ? d.toJSDate() : undefined;
}

/** The first upcoming holiday of the company file named in the text (公司年会放假那天). */
function holidayNamed(turn: Turn, text: string | undefined): string | undefined {
  if (!text) return undefined;
  const today = dayOf(turn, turn.now);
  return turn.company.holidays.filter((h) => h.date >= today && h.name && text.includes(h.name)).sort((a, b) => a.date.localeCompare(b.date))[0]?.date;
}

/** The offered slot a text points at (第一个, 第3个, 最后那个), rebuilt from the offer's range. */
function offeredSlot(turn: Turn, service: Service, text: string, offer: Offer | undefined): Date | undefined {
  const reference = listReference(text);
  if (!reference || reference.kind === 'words' || !offer?.first || !offer.last) return undefined;
  const first = new Date(offer.first);
  const last = new Date(offer.last);
  const slots = suggestSlots({ company: turn.company, service, now: turn.now, near: first, count: 60 }).filter((d) => d >= first && d <= last);
  return reference.kind === 'last' ? slots[slots.length - 1] : slots[reference.index];
}

/** Whether the text speaks of a date or time, or names a holiday of the company file. */
export function namesTime(turn: Turn, input: TurnInput): boolean {
  return mentionsTime(input) || holidayNamed(turn, input.text) !== undefined;
}

/** 晚一点的 / 早一点 / 换一天: the next slots from what was offered (or from the chosen start). */
function shift(turn: Turn, service: Service, how: SlotShift, offer: Offer | undefined): TimeChoice {
  const { m, company, now } = turn;
  const first = offer?.first ? new Date(offer.first) : undefined;
  const last = offer?.last ? new Date(offer.last) : undefined;
  if (how === 'otherDay' || !first || !last) {
    return { kind: 'ask', replies: [offerDays(turn, service, m.askOtherDay, offer?.day)], offer: offer?.day ? { day: offer.day } : undefined };
  }
  const day = offer?.day ?? dayOf(turn, first);
  if (how === 'later') {
    const later = suggestSlots({ company, service, now, near: last, count: SLOT_BUTTONS + 24 }).filter((d) => d > last).slice(0, SLOT_BUTTONS);
    if (later.length === 0) return asked(offerSlots(turn, service, m.noLaterSlots));
    const sameDay = dayOf(turn, later[0] ?? last) === day;
    return asked(slotQuestion(turn, sameDay ? m.laterSlots : m.laterSlotsNextDay, later));
  }
  const earlier = slotsOnDay({ company, service, now, date: day }).filter((d) => d < first);
  if (earlier.length === 0) return asked(slotQuestion(turn, m.noEarlierSlots, slotsOnDay({ company, service, now, date: day }).slice(0, SLOT_BUTTONS), day));
  return asked(slotQuestion(turn, m.earlierSlots, earlier.slice(-SLOT_BUTTONS), day));
}

/**
 * Handles one input at the time step. `offer` is what was discussed before (the day, the slots
 * offered, or the start already chosen): a time alone keeps its day ("10点吧" after 下周三上午),
 * a day alone keeps a chosen start's clock time (换成周四), and 晚一点的 / 早一点 / 换一天 move
 * from the offered slots. Returns `undefined` when the input is not about time (the caller
 * decides what else it could mean).
 */
export function chooseTime(turn: Turn, service: Service, input: TurnInput, offer?: Offer): TimeChoice | undefined {
  const { action, understanding, text } = input;
  if (action?.kind === 'slot') {
    const start = fromSlotStamp(turn, action.at);
    return start ? validateStart(turn, service, start) : asked(offerSlots(turn, service, turn.m.askTime({ service: serviceLabel(turn, service) })));
  }
  if (action?.kind === 'days') return { kind: 'ask', replies: [offerDays(turn, service)], offer };
  if (action?.kind === 'day') {
    const date = `${action.date.slice(0, 4)}-${action.date.slice(4, 6)}-${action.date.slice(6, 8)}`;
    return asked(offerDay(turn, service, date));
  }
  if (understanding?.when?.rejected) return asked(refuseWritten(turn, service, understanding.when.rejected));
  const when = understanding?.when;
  if (!understanding?.start || !when) {
    // 第一个 / 最后那个: a slot of those just offered.
    const picked = text ? offeredSlot(turn, service, text, offer) : undefined;
    if (picked) return validateStart(turn, service, picked);
    const how = text ? slotShift(text) : undefined;
    if (how) return shift(turn, service, how, offer);
    const holiday = holidayNamed(turn, text);
    return holiday ? asked(offerDay(turn, service, holiday)) : undefined;
  }
  // A time or a part of the day without a date: the day under discussion, if there is one.
  const day = when.date ?? offer?.day;
  if (when.time && day) {
    const start = atTime(turn, day, when.time);
    if (start) return validateStart(turn, service, start);
  }
  // A day without a time, once a start was chosen: the same clock time on that day.
  if (when.date && !when.time && !when.period && offer?.first && offer.first === offer.last) {
    const clock = DateTime.fromISO(offer.first, { zone: tz(turn.company.timeZone) }).toFormat('HH:mm');
    const start = atTime(turn, when.date, clock);
    const check = start ? validateStart(turn, service, start) : undefined;
    if (check?.kind === 'chosen') return check;
  }
  const start = new Date(understanding.start);
  if (understanding.precision === 'minute') return validateStart(turn, service, start);
  const date = day ?? dayOf(turn, start);
  return asked(offerDay(turn, service, date, when.period));
}
