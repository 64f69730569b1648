import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { callbackBy, claimBy, complaintDeadlines, deadlineSchedule, firstLevel, invalidAnswerBy, nextDeadline, nextLevel, overdueAction, type ComplaintTimes } from '../../../src/domain/complaints/deadlines.ts';
import type { Grade } from '../../../src/contracts/records.ts';

const sh = 'Asia/Shanghai';
const at = (iso: string, zone = sh) => DateTime.fromISO(iso, { zone }).toJSDate();
const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);
// Monday 2026-11-23 10:00 in Shanghai.
const received = at('2026-11-23T10:00');

describe('levels (DOMAIN §2 Escalation)', () => {
  it('forwards each grade to its first level', () => {
    expect(firstLevel('major')).toBe('general_manager');
    expect(firstLevel('important')).toBe('department_head');
    expect(firstLevel('minor')).toBe('contact');
  });

  it('climbs contact -> department head -> general manager', () => {
    expect(nextLevel('contact')).toBe('department_head');
    expect(nextLevel('department_head')).toBe('general_manager');
    expect(nextLevel('general_manager')).toBeUndefined();
  });
});

describe('complaintDeadlines (DOMAIN §2 Time limits)', () => {
  it('minor: forward in 15 min, resolve in 4 h, no coordination', () => {
    expect(complaintDeadlines('minor', received, sh)).toEqual({
      forwardBy: at('2026-11-23T10:15'),
      forwardLatest: at('2026-11-23T10:15'),
      claimBy: at('2026-11-23T10:15'),
      answerBy: at('2026-11-23T14:00'),
      resolveBy: at('2026-11-23T14:00'),
    });
  });

  it('important: forward in 1 h, heads coordinate in 12 h, resolve in 3 days', () => {
    expect(complaintDeadlines('important', received, sh)).toEqual({
      forwardBy: at('2026-11-23T11:00'),
      forwardLatest: at('2026-11-23T11:00'),
      claimBy: at('2026-11-23T11:00'),
      coordinateBy: at('2026-11-23T22:00'),
      answerBy: at('2026-11-26T10:00'),
      resolveBy: at('2026-11-26T10:00'),
    });
  });

  it('major: forward at once (same day at the latest), answer in 2 days, resolve in 10', () => {
    const d = complaintDeadlines('major', received, sh);
    expect(d).toEqual({
      forwardBy: received,
      forwardLatest: new Date('2026-11-23T23:59:59.999+08:00'),
      claimBy: new Date('2026-11-23T23:59:59.999+08:00'),
      coordinateBy: at('2026-11-23T22:00'),
      answerBy: at('2026-11-25T10:00'),
      resolveBy: at('2026-12-03T10:00'),
    });
  });

  it('"same day" is the company day, not the machine day', () => {
    // 00:30 in Shanghai is the previous day in UTC and New York.
    const d = complaintDeadlines('major', at('2026-11-23T00:30'), sh);
    expect(d.forwardLatest.toISOString()).toBe('2026-11-23T15:59:59.999Z');
  });

  it('day limits keep the wall-clock time across DST; hour limits are elapsed time', () => {
    const ny = 'America/New_York';
    const r = at('2026-03-06T10:00', ny); // EST; DST starts 2026-03-08
    const d = complaintDeadlines('important', r, ny);
    expect(d.resolveBy.toISOString()).toBe('2026-03-09T14:00:00.000Z'); // 10:00 EDT, 71 h later
    expect(d.coordinateBy?.toISOString()).toBe('2026-03-07T03:00:00.000Z'); // 10:00 EST + 12 h
    expect(complaintDeadlines('minor', at('2026-03-08T01:00', ny), ny).resolveBy.toISOString()).toBe('2026-03-08T10:00:00.000Z');
  });

  it('claim is due by the forward limit (major the same day, important 1 h, minor 15 min)', () => {
    expect(claimBy('major', received, sh)).toEqual(new Date('2026-11-23T23:59:59.999+08:00'));
    expect(claimBy('important', received, sh)).toEqual(at('2026-11-23T11:00'));
    expect(claimBy('minor', received, sh)).toEqual(at('2026-11-23T10:15'));
  });

  it('deadlineSchedule lists each deadline kind the card shows and the watcher escalates on, in time order', () => {
    const kinds = (g: Grade) => deadlineSchedule(g, received, sh).map(({ kind, at: t }) => [kind, t.toISOString()]);
    expect(kinds('minor')).toEqual([
      ['claim', at('2026-11-23T10:15').toISOString()],
      ['resolve', at('2026-11-23T14:00').toISOString()],
    ]);
    expect(kinds('important')).toEqual([
      ['claim', at('2026-11-23T11:00').toISOString()],
      ['coordinate', at('2026-11-23T22:00').toISOString()],
      ['resolve', at('2026-11-26T10:00').toISOString()],
    ]);
    expect(kinds('major')).toEqual([
      ['coordinate', at('2026-11-23T22:00').toISOString()],
      ['claim', '2026-11-23T15:59:59.999Z'],
      ['answer', at('2026-11-25T10:00').toISOString()],
      ['resolve', at('2026-12-03T10:00').toISOString()],
    ]);
  });

  it('callback within 24 h of resolution; invalid answered within 24 h of receipt', () => {
    expect(callbackBy(at('2026-11-23T14:00'))).toEqual(at('2026-11-24T14:00'));
    expect(invalidAnswerBy(received)).toEqual(at('2026-11-24T10:00'));
  });
});

const fresh = (grade: Grade, over: Partial<ComplaintTimes> = {}): ComplaintTimes => ({
  grade,
  receivedAt: received,
  forwardedAt: null,
  claimedAt: null,
  answeredAt: null,
  resolvedAt: null,
  callbackAt: null,
  status: 'open',
  ...over,
});
const forwarded = { forwardedAt: received };
const claimed = { forwardedAt: received, claimedAt: ms(received, 60_000), status: 'claimed' as const };

describe('overdueAction, just before and just after each deadline', () => {
  it.each<[string, ComplaintTimes, Date, string]>([
    ['minor forward', fresh('minor'), at('2026-11-23T10:15'), 'forward'],
    ['important forward', fresh('important'), at('2026-11-23T11:00'), 'forward'],
    ['major forward (end of day)', fresh('major', { claimedAt: ms(received, 1) }), new Date('2026-11-23T23:59:59.999+08:00'), 'forward'],
    ['minor claim', fresh('minor', forwarded), at('2026-11-23T10:15'), 'claim'],
    ['important claim', fresh('important', forwarded), at('2026-11-23T11:00'), 'claim'],
    ['major claim (end of day)', fresh('major', forwarded), new Date('2026-11-23T23:59:59.999+08:00'), 'claim'],
    ['important coordinate', fresh('important', forwarded), at('2026-11-23T22:00'), 'coordinate'],
    ['major coordinate', fresh('major', forwarded), at('2026-11-23T22:00'), 'coordinate'],
    ['major answer', fresh('major', claimed), at('2026-11-25T10:00'), 'answer'],
    ['major resolve', fresh('major', { ...claimed, answeredAt: at('2026-11-24T10:00') }), at('2026-12-03T10:00'), 'resolve'],
    ['important resolve (shares the answer deadline)', fresh('important', claimed), at('2026-11-26T10:00'), 'resolve'],
    ['minor resolve', fresh('minor', claimed), at('2026-11-23T14:00'), 'resolve'],
    [
      'callback',
      fresh('minor', { ...claimed, resolvedAt: at('2026-11-23T13:00'), status: 'resolved' }),
      at('2026-11-24T13:00'),
      'callback',
    ],
  ])('%s', (_, c, deadline, action) => {
    expect(overdueAction(c, ms(deadline, -1), sh)?.action).not.toBe(action);
    expect(overdueAction(c, deadline, sh)?.action).not.toBe(action); // due at, not yet overdue
    expect(overdueAction(c, ms(deadline, 1), sh)).toEqual({ action, dueAt: deadline });
  });

  it('nothing is overdue before the first deadline', () => {
    expect(overdueAction(fresh('minor'), at('2026-11-23T10:15'), sh)).toBeUndefined();
    expect(overdueAction(fresh('major'), at('2026-11-23T21:59'), sh)).toBeUndefined();
  });

  it('a major complaint may be claimed until the day ends, as the card says (not 1 h after receipt)', () => {
    expect(overdueAction(fresh('major', forwarded), at('2026-11-23T11:01'), sh)).toBeUndefined();
    expect(overdueAction(fresh('major', { ...forwarded, claimedAt: null }), at('2026-11-24T00:00'), sh)).toEqual({
      action: 'claim',
      dueAt: new Date('2026-11-23T23:59:59.999+08:00'),
    });
  });

  it('the latest missed deadline is reported, so each one escalates once', () => {
    const c = fresh('minor');
    expect(overdueAction(c, at('2026-11-23T10:20'), sh)?.action).toBe('forward');
    expect(overdueAction({ ...c, ...forwarded }, at('2026-11-23T10:20'), sh)?.action).toBe('claim');
    expect(overdueAction(c, at('2026-11-23T14:01'), sh)).toEqual({ action: 'resolve', dueAt: at('2026-11-23T14:00') });
  });

  it('claimed complaints owe no claim and no coordination', () => {
    const c = fresh('important', claimed);
    expect(overdueAction(c, at('2026-11-23T23:00'), sh)).toBeUndefined();
  });

  it('status claimed counts as claimed even without claimedAt', () => {
    const c = fresh('important', { forwardedAt: received, status: 'claimed' });
    expect(overdueAction(c, at('2026-11-23T23:00'), sh)).toBeUndefined();
  });

  it('resolved complaints owe only the callback, and nothing once called back', () => {
    const resolved = fresh('major', { resolvedAt: at('2026-11-24T09:00'), status: 'resolved' });
    expect(overdueAction(resolved, at('2026-11-24T12:00'), sh)).toBeUndefined();
    expect(overdueAction(resolved, at('2026-12-31T00:00'), sh)).toEqual({ action: 'callback', dueAt: at('2026-11-25T09:00') });
    expect(overdueAction({ ...resolved, callbackAt: at('2026-11-24T20:00') }, at('2026-12-31T00:00'), sh)).toBeUndefined();
  });

  it.each(['invalid', 'closed'] as const)('%s complaints owe nothing', (status) => {
    expect(overdueAction(fresh('major', { status }), at('2027-01-01T00:00'), sh)).toBeUndefined();
    expect(nextDeadline(fresh('major', { status }), sh)).toBeUndefined();
  });
});

describe('nextDeadline', () => {
  it('is the earliest pending deadline', () => {
    expect(nextDeadline(fresh('minor'), sh)).toEqual(at('2026-11-23T10:15'));
    expect(nextDeadline(fresh('minor', forwarded), sh)).toEqual(at('2026-11-23T10:15'));
    expect(nextDeadline(fresh('minor', claimed), sh)).toEqual(at('2026-11-23T14:00'));
    expect(nextDeadline(fresh('important', forwarded), sh)).toEqual(at('2026-11-23T11:00'));
    expect(nextDeadline(fresh('major', claimed), sh)).toEqual(at('2026-11-25T10:00'));
    expect(nextDeadline(fresh('major', { ...claimed, answeredAt: at('2026-11-24T10:00') }), sh)).toEqual(at('2026-12-03T10:00'));
  });

  it('a major complaint is first due for coordination (12 h), then its claim or forward (end of day)', () => {
    expect(nextDeadline(fresh('major'), sh)).toEqual(at('2026-11-23T22:00'));
    expect(nextDeadline(fresh('major'), sh, at('2026-11-23T22:00'))).toEqual(new Date('2026-11-23T23:59:59.999+08:00'));
  });

  it('with `after`, skips deadlines already passed', () => {
    const c = fresh('important', forwarded);
    expect(nextDeadline(c, sh, at('2026-11-23T11:00'))).toEqual(at('2026-11-23T22:00'));
    expect(nextDeadline(c, sh, at('2026-11-23T22:00'))).toEqual(at('2026-11-26T10:00'));
    expect(nextDeadline(c, sh, at('2026-11-26T10:00'))).toBeUndefined();
  });

  it('resolved: the callback deadline until the callback is made', () => {
    const resolved = fresh('minor', { ...claimed, resolvedAt: at('2026-11-23T13:00'), status: 'resolved' });
    expect(nextDeadline(resolved, sh)).toEqual(at('2026-11-24T13:00'));
    expect(nextDeadline({ ...resolved, callbackAt: at('2026-11-23T18:00') }, sh)).toBeUndefined();
  });
});
