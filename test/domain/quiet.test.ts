import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isQuiet, nextOpenMoment } from '../../src/domain/quiet.ts';

const quiet = [
  { start: '12:00', end: '14:00' },
  { start: '20:00', end: '09:00' },
];
const zone = 'Asia/Shanghai';
const at = (iso: string) => DateTime.fromISO(iso, { zone }).toJSDate();
const local = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm');

describe('quiet hours (DOMAIN §3)', () => {
  it('knows the rest times, including spans past midnight', () => {
    expect(isQuiet(at('2026-11-23T12:30'), quiet, zone)).toBe(true);
    expect(isQuiet(at('2026-11-23T14:00'), quiet, zone)).toBe(false);
    expect(isQuiet(at('2026-11-23T19:59'), quiet, zone)).toBe(false);
    expect(isQuiet(at('2026-11-23T20:00'), quiet, zone)).toBe(true);
    expect(isQuiet(at('2026-11-24T03:00'), quiet, zone)).toBe(true);
    expect(isQuiet(at('2026-11-24T08:59'), quiet, zone)).toBe(true);
    expect(isQuiet(at('2026-11-24T09:00'), quiet, zone)).toBe(false);
  });

  it('moves a moment inside the quiet hours to their end', () => {
    expect(local(nextOpenMoment(at('2026-11-23T19:30'), quiet, zone))).toBe('2026-11-23 19:30');
    expect(local(nextOpenMoment(at('2026-11-23T21:30'), quiet, zone))).toBe('2026-11-24 09:00');
    expect(local(nextOpenMoment(at('2026-11-24T02:00'), quiet, zone))).toBe('2026-11-24 09:00');
    expect(local(nextOpenMoment(at('2026-11-23T12:10'), quiet, zone))).toBe('2026-11-23 14:00');
  });

  it('crosses touching spans and survives "always quiet"', () => {
    const touching = [
      { start: '20:00', end: '09:00' },
      { start: '09:00', end: '10:00' },
    ];
    expect(local(nextOpenMoment(at('2026-11-23T22:00'), touching, zone))).toBe('2026-11-24 10:00');
    const always = [{ start: '00:00', end: '00:00' }];
    expect(isQuiet(at('2026-11-23T22:00'), [{ start: '10:00', end: '10:00' }], zone)).toBe(false);
    expect(local(nextOpenMoment(at('2026-11-23T22:00'), always, zone))).toBe('2026-11-23 22:00');
  });
});
