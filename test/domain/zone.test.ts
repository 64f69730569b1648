import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { tz } from '../../src/domain/zone.ts';

const MINUTE = 60_000;
const QUARTER_HOUR = 15 * MINUTE;
const DAY = 86_400_000;

/** The instants (ms) where `zone`'s offset changes in [from, to), found to the minute. */
function transitions(zone: IANAZone, from: number, to: number): number[] {
  const found: number[] = [];
  for (let ts = from; ts + QUARTER_HOUR <= to; ts += QUARTER_HOUR) {
    if (zone.offset(ts) === zone.offset(ts + QUARTER_HOUR)) continue;
    let at = ts + MINUTE;
    while (zone.offset(at) === zone.offset(ts)) at += MINUTE;
    found.push(at);
  }
  return found;
}

describe('memoized zones', () => {
  it('give the same offsets as luxon across DST changes: every minute near each change, every 7 minutes elsewhere', () => {
    // 2026: New York changes on 8 March and 1 November, Lord Howe (by 30 minutes) on 4 October.
    const windows = [Date.UTC(2026, 2, 7), Date.UTC(2026, 9, 3), Date.UTC(2026, 10, 0)];
    const expected: Record<string, number> = { 'America/New_York': 2, 'Asia/Shanghai': 0, 'Australia/Lord_Howe': 1, 'Asia/Kathmandu': 0 };
    for (const [name, changes] of Object.entries(expected)) {
      const memo = tz(name);
      const plain = IANAZone.create(name);
      const mismatches: string[] = [];
      const check = (ts: number) => {
        if (memo.offset(ts) !== plain.offset(ts)) mismatches.push(new Date(ts).toISOString());
      };
      let found = 0;
      for (const start of windows) {
        const end = start + 3 * DAY;
        const near = transitions(plain, start, end);
        found += near.length;
        // Twice: the first pass fills the cache, the second reads it. Going backwards through each
        // quarter hour on the second pass reads entries filled from their other end.
        for (let pass = 0; pass < 2; pass += 1) {
          for (const at of near) {
            for (let m = -90; m <= 90; m += 1) check(at + (pass === 0 ? m : -m) * MINUTE);
          }
          for (let ts = start; ts < end; ts += 7 * MINUTE) check(ts);
        }
      }
      expect(found, `${name}: offset changes found`).toBe(changes);
      expect(mismatches, name).toEqual([]);
    }
  });

  it('returns one instance per zone name', () => {
    expect(tz('Asia/Shanghai')).toBe(tz('Asia/Shanghai'));
    expect(tz('Asia/Shanghai').name).toBe('Asia/Shanghai');
  });
});
