import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isQuiet } from '../../../src/domain/quiet.ts';
import { DEFAULT_SURVEY_POLICY, firstSendAt, phoneTaskAt, reminderAt, surveyStart, withinWindow, type SurveyPolicy, type TimingOptions } from '../../../src/domain/survey/timing.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const quietHours = [
  { start: '12:00', end: '14:00' },
  { start: '20:00', end: '09:00' },
];
const SHANGHAI = 'Asia/Shanghai';
const NEW_YORK = 'America/New_York';
const opts = (zone = SHANGHAI, policy: SurveyPolicy = DEFAULT_SURVEY_POLICY): TimingOptions => ({ policy, quietHours, zone });
const at = (iso: string, zone = SHANGHAI) => DateTime.fromISO(iso, { zone }).toJSDate();
const local = (d: Date | undefined, zone = SHANGHAI) => (d ? DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm') : undefined);

/** Every minute from local midnight of `day` to the next local midnight (23 or 25 h on DST days). */
function everyMinute(day: string, zone: string): Date[] {
  const start = DateTime.fromISO(day, { zone }).startOf('day');
  const end = start.plus({ days: 1 });
  const out: Date[] = [];
  for (let t = start.toMillis(); t < end.toMillis(); t += MINUTE) out.push(new Date(t));
  return out;
}

describe('survey timing (DOMAIN §3 When)', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_SURVEY_POLICY).toEqual({ delayMs: 2 * HOUR, reminderAfterMs: 24 * HOUR, phoneAfterMs: 48 * HOUR, windowMs: 72 * HOUR });
  });

  it.each([
    ['2026-11-23T19:30', '2026-11-24 09:00'], // 21:30 is quiet
    ['2026-11-23T10:00', '2026-11-23 14:00'], // 12:00 is quiet
    ['2026-11-23T09:00', '2026-11-23 11:00'],
    ['2026-11-23T09:59', '2026-11-23 11:59'],
    ['2026-11-23T11:59', '2026-11-23 14:00'],
    ['2026-11-23T12:00', '2026-11-23 14:00'],
    ['2026-11-23T12:01', '2026-11-23 14:01'],
    ['2026-11-23T17:59', '2026-11-23 19:59'],
    ['2026-11-23T18:00', '2026-11-24 09:00'],
    ['2026-11-23T23:45', '2026-11-24 09:00'],
    ['2026-11-24T06:59', '2026-11-24 09:00'],
    ['2026-11-24T07:00', '2026-11-24 09:00'],
    ['2026-11-24T07:01', '2026-11-24 09:01'],
  ])('completed %s -> first message %s', (done, first) => {
    expect(local(firstSendAt(at(done), opts()))).toBe(first);
  });

  it('keeps the seconds of an open moment and drops them at the end of a quiet span', () => {
    expect(firstSendAt(at('2026-11-23T09:00:42'), opts()).toISOString()).toBe(at('2026-11-23T11:00:42').toISOString());
    expect(firstSendAt(at('2026-11-23T19:30:42'), opts()).toISOString()).toBe(at('2026-11-24T09:00:00').toISOString());
  });

  it('hands an unfinished survey to the front desk at completion + 48 h, never past the window, quiet hours or not', () => {
    expect(local(phoneTaskAt(at('2026-11-23T19:30'), DEFAULT_SURVEY_POLICY))).toBe('2026-11-25 19:30');
    expect(local(phoneTaskAt(at('2026-11-23T22:00'), DEFAULT_SURVEY_POLICY))).toBe('2026-11-25 22:00'); // staff, not quiet-bound
    const late = { ...DEFAULT_SURVEY_POLICY, phoneAfterMs: 100 * HOUR };
    expect(local(phoneTaskAt(at('2026-11-23T10:00'), late))).toBe('2026-11-26 10:00');
  });

  it('reminds once, a day after the first message, out of quiet hours', () => {
    const done = at('2026-11-23T19:30');
    const first = firstSendAt(done, opts());
    expect(local(reminderAt(first, done, opts()))).toBe('2026-11-25 09:00');
    const noon = at('2026-11-23T10:00');
    expect(local(reminderAt(firstSendAt(noon, opts()), noon, opts()))).toBe('2026-11-24 14:00');
    // Sent at 19:00: 24 h later is 19:00, open.
    expect(local(reminderAt(at('2026-11-23T19:00'), at('2026-11-23T17:00'), opts()))).toBe('2026-11-24 19:00');
    // Sent at 19:59 -> 19:59 next day, open; at 20:00 it would move to 09:00.
    expect(local(reminderAt(at('2026-11-23T20:00'), at('2026-11-23T17:00'), opts()))).toBe('2026-11-25 09:00');
  });

  it('drops the reminder when it would fall at or after the phone handoff', () => {
    const done = at('2026-11-23T10:00');
    // A first message sent late (the sweep was down): 24 h later reaches the 48 h handoff.
    expect(reminderAt(at('2026-11-24T10:00'), done, opts())).toBeUndefined(); // exactly at the handoff
    expect(local(reminderAt(at('2026-11-24T09:59'), done, opts()))).toBe('2026-11-25 09:59'); // a minute before
    expect(reminderAt(at('2026-11-24T11:00'), done, opts())).toBeUndefined();
    const evening = at('2026-11-23T19:00');
    expect(reminderAt(at('2026-11-24T19:30'), evening, opts())).toBeUndefined(); // 19:30 day 3 > 19:00 handoff
    const tight = { ...DEFAULT_SURVEY_POLICY, phoneAfterMs: 30 * HOUR };
    // Done 10:00, handoff 16:00 next day; sent 18:00 -> 18:00 next day is too late.
    expect(reminderAt(at('2026-11-23T18:00'), at('2026-11-23T10:00'), opts(SHANGHAI, tight))).toBeUndefined();
    // Done 15:00, handoff 21:00 next day; sent 17:00 -> 17:00 next day fits.
    expect(local(reminderAt(at('2026-11-23T17:00'), at('2026-11-23T15:00'), opts(SHANGHAI, tight)))).toBe('2026-11-24 17:00');
    // Done 13:00, handoff 19:00 next day; sent 19:00 -> exactly the handoff.
    expect(reminderAt(at('2026-11-23T19:00'), at('2026-11-23T13:00'), opts(SHANGHAI, tight))).toBeUndefined();
    // Quiet hours push it past the handoff: 19:30 + 25 h = 20:30 (quiet, before the 21:00 handoff) -> 09:00.
    const odd = { ...DEFAULT_SURVEY_POLICY, reminderAfterMs: 25 * HOUR, phoneAfterMs: 40 * HOUR };
    expect(reminderAt(at('2026-11-23T19:30'), at('2026-11-23T05:00'), opts(SHANGHAI, odd))).toBeUndefined();
    expect(local(reminderAt(at('2026-11-23T18:30'), at('2026-11-23T05:00'), opts(SHANGHAI, odd)))).toBe('2026-11-24 19:30');
  });

  it('counts finishing or handing off inside [completion, completion + 72 h] as within the window', () => {
    const done = at('2026-11-23T10:00');
    expect(withinWindow(done, done, DEFAULT_SURVEY_POLICY)).toBe(true);
    expect(withinWindow(done, phoneTaskAt(done, DEFAULT_SURVEY_POLICY), DEFAULT_SURVEY_POLICY)).toBe(true);
    expect(withinWindow(done, at('2026-11-26T10:00'), DEFAULT_SURVEY_POLICY)).toBe(true);
    expect(withinWindow(done, new Date(at('2026-11-26T10:00').getTime() + 1), DEFAULT_SURVEY_POLICY)).toBe(false);
    expect(withinWindow(done, new Date(done.getTime() - 1), DEFAULT_SURVEY_POLICY)).toBe(false);
  });

  describe.each([
    ['Asia/Shanghai, an ordinary day', SHANGHAI, '2026-11-23'],
    ['America/New_York, the March DST change (23 h day)', NEW_YORK, '2026-03-08'],
    ['America/New_York, the day before the March change', NEW_YORK, '2026-03-07'],
    ['America/New_York, the November DST change (25 h day)', NEW_YORK, '2026-11-01'],
  ])('for every completion minute (%s)', (_name, zone, day) => {
    const minutes = everyMinute(day, zone);
    const o = opts(zone);

    it('covers the whole day', () => {
      const hours = DateTime.fromISO(day, { zone }).startOf('day').plus({ days: 1 }).diff(DateTime.fromISO(day, { zone }).startOf('day'), 'hours').hours;
      expect(minutes.length).toBe(hours * 60);
    });

    it('sends the first message outside quiet hours, after the delay and before the phone handoff', () => {
      for (const done of minutes) {
        const first = firstSendAt(done, o);
        const phone = phoneTaskAt(done, DEFAULT_SURVEY_POLICY);
        if (isQuiet(first, quietHours, zone) || first.getTime() < done.getTime() + DEFAULT_SURVEY_POLICY.delayMs || first >= phone) {
          throw new Error(`completed ${local(done, zone)}: first message ${local(first, zone)}, handoff ${local(phone, zone)}`);
        }
        expect(withinWindow(done, phone, DEFAULT_SURVEY_POLICY)).toBe(true);
      }
    });

    it('reminds outside quiet hours, a day or more after the first message, before the handoff, or not at all', () => {
      let reminded = 0;
      for (const done of minutes) {
        const first = firstSendAt(done, o);
        const reminder = reminderAt(first, done, o);
        if (reminder === undefined) continue;
        reminded += 1;
        if (
          isQuiet(reminder, quietHours, zone) ||
          reminder.getTime() < first.getTime() + DEFAULT_SURVEY_POLICY.reminderAfterMs ||
          reminder >= phoneTaskAt(done, DEFAULT_SURVEY_POLICY)
        ) {
          throw new Error(`completed ${local(done, zone)}: first ${local(first, zone)}, reminder ${local(reminder, zone)}`);
        }
      }
      // With the defaults the reminder always fits: first <= completion + 15 h, reminder <= first + 24 h + 13 h.
      expect(reminded).toBe(minutes.length);
    });

    it('is monotonic: a later completion never gets an earlier first message', () => {
      let previous = 0;
      for (const done of minutes) {
        const first = firstSendAt(done, o).getTime();
        expect(first >= previous).toBe(true);
        previous = first;
      }
    });
  });

  it('crosses the New York spring-forward night to 09:00 EDT', () => {
    expect(local(firstSendAt(at('2026-03-07T19:30', NEW_YORK), opts(NEW_YORK)), NEW_YORK)).toBe('2026-03-08 09:00');
    expect(firstSendAt(at('2026-03-07T19:30', NEW_YORK), opts(NEW_YORK)).toISOString()).toBe('2026-03-08T13:00:00.000Z');
    expect(local(firstSendAt(at('2026-03-08T01:30', NEW_YORK), opts(NEW_YORK)), NEW_YORK)).toBe('2026-03-08 09:00');
    expect(local(firstSendAt(at('2026-03-08T10:00', NEW_YORK), opts(NEW_YORK)), NEW_YORK)).toBe('2026-03-08 14:00');
  });
});

describe('when the survey starts (DOMAIN §3: after the customer confirmed the visit)', () => {
  const start = (confirmWaitHours: number, unconfirmed: 'survey' | 'phone') => ({ ...opts(), start: { confirmWaitHours, unconfirmed } });
  const completedAt = at('2026-11-24T10:00');

  it('goes once the visit is confirmed', () => {
    expect(surveyStart({ completedAt, confirmedAt: at('2026-11-24T10:30') }, at('2026-11-24T12:00'), start(24, 'survey'))).toEqual({ go: 'send' });
  });

  it('waits for a confirmation until the end of the wait, moved out of quiet hours', () => {
    const decided = surveyStart({ completedAt, confirmedAt: null }, at('2026-11-24T14:00'), start(24, 'survey'));
    expect(decided.go).toBe('wait');
    expect(local((decided as { until: Date }).until)).toBe('2026-11-25 10:00');
    const intoRest = surveyStart({ completedAt: at('2026-11-24T12:30'), confirmedAt: null }, at('2026-11-24T14:00'), start(24, 'survey'));
    expect(local((intoRest as { until: Date }).until)).toBe('2026-11-25 14:00');
  });

  it('without a confirmation after the wait: sends or phones, as the company file says', () => {
    const later = at('2026-11-25T10:00');
    expect(surveyStart({ completedAt, confirmedAt: null }, later, start(24, 'survey'))).toEqual({ go: 'send' });
    expect(surveyStart({ completedAt, confirmedAt: null }, later, start(24, 'phone'))).toEqual({ go: 'phone' });
    expect(surveyStart({ completedAt, confirmedAt: null }, completedAt, start(0, 'survey'))).toEqual({ go: 'send' });
  });
});
