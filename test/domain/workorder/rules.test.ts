import { describe, expect, it } from 'vitest';
import { DEFAULT_WORK_ORDER_POLICY as policy, lateWithoutNotice, parseActualWork, parseDelayMinutes, reminderDue } from '../../../src/domain/workorder/rules.ts';

const zone = 'Asia/Shanghai';
const quietHours = [
  { start: '12:00', end: '14:00' },
  { start: '20:00', end: '09:00' },
];
const at = (s: string) => new Date(`${s}+08:00`);

describe('the evening-before reminder', () => {
  const start = at('2026-11-25T09:00:00');
  it('is due from 19:00 the day before, not before, and never in quiet hours', () => {
    expect(reminderDue({ start, now: at('2026-11-24T18:59:00'), policy, quietHours, zone })).toBe(false);
    expect(reminderDue({ start, now: at('2026-11-24T19:00:00'), policy, quietHours, zone })).toBe(true);
    // The bot was down all evening: not at 21:00 (rest time), nor in the morning just before the visit.
    expect(reminderDue({ start, now: at('2026-11-24T21:00:00'), policy, quietHours, zone })).toBe(false);
    expect(reminderDue({ start, now: at('2026-11-25T08:30:00'), policy, quietHours, zone })).toBe(false);
  });

  it('a reminder time inside quiet hours moves earlier, out of them', () => {
    const late = { ...policy, reminderTime: '21:30' };
    expect(reminderDue({ start, now: at('2026-11-24T19:29:00'), policy: late, quietHours, zone })).toBe(false);
    expect(reminderDue({ start, now: at('2026-11-24T19:30:00'), policy: late, quietHours, zone })).toBe(true);
  });
});

describe('lateness without notice (seed 002 约定时间)', () => {
  const start = at('2026-11-25T09:00:00');
  it('counts minutes past the booked time, or past the announced new time', () => {
    expect(lateWithoutNotice({ start, lateUntil: null, arrivedAt: at('2026-11-25T09:30:00'), now: start, policy })).toBeUndefined();
    expect(lateWithoutNotice({ start, lateUntil: null, arrivedAt: at('2026-11-25T09:31:00'), now: start, policy })).toBe(31);
    expect(lateWithoutNotice({ start, lateUntil: at('2026-11-25T10:00:00'), arrivedAt: at('2026-11-25T10:20:00'), now: start, policy })).toBeUndefined();
    expect(lateWithoutNotice({ start, lateUntil: null, arrivedAt: undefined, now: at('2026-11-25T09:40:00'), policy })).toBe(40);
  });
});

describe('what workers type', () => {
  it('reads a delay in minutes or hours', () => {
    expect(parseDelayMinutes('40')).toBe(40);
    expect(parseDelayMinutes('40分钟')).toBe(40);
    expect(parseDelayMinutes('1.5小时')).toBe(90);
    expect(parseDelayMinutes('马上到')).toBeUndefined();
  });

  it('reads the actual fee as the last amount in yuan', () => {
    expect(parseActualWork('多擦了两扇窗，共380元')).toEqual({ work: '多擦了两扇窗，共380元', feeFen: 38000 });
    expect(parseActualWork('3个房间加油烟机 ¥420.5')).toMatchObject({ feeFen: 42050 });
    expect(parseActualWork('面积大了一点')).toBeUndefined();
  });
});
