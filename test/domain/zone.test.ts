import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { tz } from '../../src/domain/zone.ts';

describe('memoized zones', () => {
  it('give the same offsets as luxon across DST changes, minute by minute', () => {
    for (const name of ['America/New_York', 'Asia/Shanghai', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      const memo = tz(name);
      const plain = IANAZone.create(name);
      // Around the 2026 March and November transitions, every minute, twice (cold and cached).
      for (const start of [Date.UTC(2026, 2, 7), Date.UTC(2026, 9, 3), Date.UTC(2026, 10, 0)]) {
        for (let pass = 0; pass < 2; pass += 1) {
          for (let ts = start; ts < start + 3 * 86_400_000; ts += 60_000) {
            expect(memo.offset(ts)).toBe(plain.offset(ts));
          }
        }
      }
    }
  });

  it('returns one instance per zone name', () => {
    expect(tz('Asia/Shanghai')).toBe(tz('Asia/Shanghai'));
    expect(tz('Asia/Shanghai').name).toBe('Asia/Shanghai');
  });
});
