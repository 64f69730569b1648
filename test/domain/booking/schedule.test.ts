import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { checkStart, earliestDate, latestDate, nearestWorkingDay, slotsOnDay, suggestDays, suggestSlots, withinServiceHours } from '../../../src/domain/booking/schedule.ts';
import { formatDate, formatDateTime, formatDay, messages } from '../../../src/i18n/index.ts';

const zh = messages('zh');
const en = messages('en');

const company = { timeZone: 'Asia/Shanghai', serviceHours: { start: '08:00', end: '20:00' }, slotMinutes: 60 };
const cleaning = { leadDays: 1, durationHours: 3 };
const pest = { leadDays: 3, durationHours: 2 };
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Shanghai' }).toJSDate();
const local = (d: Date) => DateTime.fromJSDate(d, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm');
// Monday 2026-11-23 10:00 in Shanghai.
const now = at('2026-11-23T10:00');

describe('lead time (DOMAIN §1)', () => {
  it('cleaning may be booked for tomorrow, not today', () => {
    expect(checkStart(company, cleaning, at('2026-11-24T09:00'), now)).toEqual({ ok: true });
    const today = checkStart(company, cleaning, at('2026-11-23T15:00'), now);
    expect(today).toMatchObject({ ok: false, reason: 'too_soon' });
    expect(local((today as { earliest: Date }).earliest)).toBe('2026-11-24 08:00');
  });

  it('counts calendar days in the company zone, even late at night', () => {
    const lateNight = at('2026-11-23T23:30');
    expect(checkStart(company, cleaning, at('2026-11-24T08:00'), lateNight)).toEqual({ ok: true });
    expect(earliestDate(company, cleaning, lateNight).toISODate()).toBe('2026-11-24');
  });

  it('pest control and plants need three days', () => {
    expect(checkStart(company, pest, at('2026-11-25T09:00'), now)).toMatchObject({ ok: false, reason: 'too_soon' });
    expect(checkStart(company, pest, at('2026-11-26T09:00'), now)).toEqual({ ok: true });
  });

  it('rejects the past', () => {
    expect(checkStart(company, cleaning, at('2026-11-20T09:00'), now)).toMatchObject({ ok: false, reason: 'past' });
  });
});

describe('service hours 08:00-20:00 (DOMAIN §1)', () => {
  it('the visit must start at or after opening and end by closing', () => {
    expect(withinServiceHours(company, cleaning, at('2026-11-24T08:00'))).toBe(true);
    expect(withinServiceHours(company, cleaning, at('2026-11-24T07:59'))).toBe(false);
    expect(withinServiceHours(company, cleaning, at('2026-11-24T17:00'))).toBe(true);
    expect(withinServiceHours(company, cleaning, at('2026-11-24T17:30'))).toBe(false);
    expect(withinServiceHours(company, pest, at('2026-11-26T18:00'))).toBe(true);
  });

  it('a time outside hours is answered with that day\'s earliest slot', () => {
    const result = checkStart(company, cleaning, at('2026-11-25T21:00'), now);
    expect(result).toMatchObject({ ok: false, reason: 'outside_hours' });
  });
});

describe('suggested slots', () => {
  it('start from the earliest allowed day and stay within hours', () => {
    const slots = suggestSlots({ company, service: cleaning, now, count: 12 }).map(local);
    expect(slots.slice(0, 3)).toEqual(['2026-11-24 08:00', '2026-11-24 09:00', '2026-11-24 10:00']);
    expect(slots).toContain('2026-11-24 17:00');
    expect(slots).not.toContain('2026-11-24 18:00');
    expect(slots[10]).toBe('2026-11-25 08:00');
  });

  it('near a later day, start on that day', () => {
    const slots = suggestSlots({ company, service: cleaning, now, near: at('2026-11-28T21:00'), count: 2 }).map(local);
    expect(slots).toEqual(['2026-11-28 08:00', '2026-11-28 09:00']);
  });

  it('lists the slots of one day and none before the lead time', () => {
    expect(slotsOnDay({ company, service: pest, now, date: '2026-11-24' })).toEqual([]);
    const day = slotsOnDay({ company, service: pest, now, date: '2026-11-26' }).map(local);
    expect(day[0]).toBe('2026-11-26 08:00');
    expect(day.at(-1)).toBe('2026-11-26 18:00');
  });

  it('offers the next days from the earliest allowed one', () => {
    expect(suggestDays({ company, service: pest, now, count: 2 })).toEqual(['2026-11-26', '2026-11-27']);
  });

  it('is independent of the machine time zone', () => {
    const original = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      expect(suggestSlots({ company, service: cleaning, now, count: 1 }).map(local)).toEqual(['2026-11-24 08:00']);
    } finally {
      process.env.TZ = original;
    }
  });
});

describe('the booking horizon (default 180 days, from the company file)', () => {
  it('accepts the last day and refuses the next, far years included', () => {
    // 2026-11-23 + 180 days = 2027-05-22.
    expect(latestDate(company, now).toISODate()).toBe('2027-05-22');
    expect(checkStart(company, cleaning, at('2027-05-22T10:00'), now)).toEqual({ ok: true });
    expect(checkStart(company, cleaning, at('2027-05-23T10:00'), now)).toMatchObject({ ok: false, reason: 'beyond_horizon' });
    expect(checkStart(company, cleaning, at('9999-12-31T10:00'), now)).toMatchObject({ ok: false, reason: 'beyond_horizon' });
    expect(checkStart({ ...company, bookingHorizonDays: 30 }, cleaning, at('2027-01-05T10:00'), now)).toMatchObject({ reason: 'beyond_horizon' });
  });

  it('never offers a slot or a day beyond it', () => {
    expect(slotsOnDay({ company, service: cleaning, now, date: '2027-05-23' })).toEqual([]);
    expect(slotsOnDay({ company, service: cleaning, now, date: '2027-05-22' }).length).toBeGreaterThan(0);
    const far = suggestSlots({ company, service: cleaning, now, near: at('9999-12-31T10:00'), count: 1 });
    expect(local(far[0]!)).toBe('2026-11-24 08:00');
    const short = { ...company, bookingHorizonDays: 3 };
    expect(suggestDays({ company: short, service: cleaning, now, count: 7 })).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
    expect(suggestSlots({ company: short, service: cleaning, now, count: 100 }).every((d) => local(d) < '2026-11-27')).toBe(true);
  });
});

describe('dates in summaries', () => {
  const zone = 'Asia/Shanghai';
  it('show the year when it is not the current one, with the right weekday', () => {
    const opts = { now };
    expect(formatDateTime(zh, at('2026-11-26T14:00'), zone, opts)).toBe('11月26日（周四）14:00');
    expect(formatDateTime(zh, at('2027-05-22T10:00'), zone, opts)).toBe('2027年5月22日（周六）10:00');
    expect(formatDateTime(zh, at('9999-12-31T10:00'), zone, opts)).toBe('9999年12月31日（周五）10:00');
    expect(formatDateTime(en, at('2027-01-05T10:00'), zone, opts)).toBe('Tue 1/5/2027 10:00');
    expect(formatDate(zh, '2028-02-29', zone, opts)).toBe('2028年2月29日（周二）');
    expect(formatDay(zh, '2027-05-22', zone, opts)).toBe('2027年5月22日');
    // In the company zone: 2026-12-31 17:00 UTC is already 2027 in Shanghai.
    expect(formatDateTime(zh, new Date('2026-12-31T17:00:00Z'), zone, opts)).toBe('2027年1月1日（周五）01:00');
  });
});

describe('company holidays (company file)', () => {
  const withHolidays = { ...company, holidays: [{ date: '2026-11-25', name: '公司年会' }, { date: '2026-11-26', name: '公司年会' }] };

  it('a start on a holiday is refused as one, and no slot or day falls on it', () => {
    expect(checkStart(withHolidays, cleaning, at('2026-11-25T09:00'), now)).toMatchObject({ ok: false, reason: 'holiday' });
    expect(slotsOnDay({ company: withHolidays, service: cleaning, now, date: '2026-11-25' })).toEqual([]);
    expect(suggestDays({ company: withHolidays, service: cleaning, now, count: 3 })).toEqual(['2026-11-24', '2026-11-27', '2026-11-28']);
    const slots = suggestSlots({ company: withHolidays, service: cleaning, now, near: at('2026-11-25T09:00'), count: 1 });
    expect(local(slots[0]!)).toBe('2026-11-27 08:00');
  });

  it('the nearest working day: the closer side, the day after on a tie, never before the lead time', () => {
    expect(nearestWorkingDay(withHolidays, cleaning, now, '2026-11-25')).toBe('2026-11-24');
    expect(nearestWorkingDay(withHolidays, cleaning, now, '2026-11-26')).toBe('2026-11-27');
    const single = { ...company, holidays: [{ date: '2026-12-10', name: '公司年会' }] };
    expect(nearestWorkingDay(single, cleaning, now, '2026-12-10')).toBe('2026-12-11');
    expect(nearestWorkingDay(withHolidays, pest, now, '2026-11-25')).toBe('2026-11-27');
  });
});
