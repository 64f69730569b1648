import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { asksForReport, parseReportPeriod, previousPeriod } from '../../../src/domain/reports/period.ts';

const zone = 'Asia/Shanghai';
const now = DateTime.fromISO('2026-11-23T10:00', { zone }).toJSDate();
const span = (text: string) => {
  const p = parseReportPeriod(text, now, zone);
  return p && [DateTime.fromJSDate(p.from, { zone }).toISO(), DateTime.fromJSDate(p.to, { zone }).toISO(), p.label];
};

describe('report periods (DOMAIN §4)', () => {
  it('reads the commands and the Chinese phrasings', () => {
    expect(span('/report')).toEqual(['2026-11-01T00:00:00.000+08:00', '2026-12-01T00:00:00.000+08:00', '2026年11月']);
    expect(span('/report 2026-10')).toEqual(['2026-10-01T00:00:00.000+08:00', '2026-11-01T00:00:00.000+08:00', '2026年10月']);
    expect(span('/report 2026-10-01 2026-10-15')).toEqual(['2026-10-01T00:00:00.000+08:00', '2026-10-16T00:00:00.000+08:00', '2026-10-01 至 2026-10-15']);
    expect(span('/report week')?.slice(0, 2)).toEqual(['2026-11-23T00:00:00.000+08:00', '2026-11-24T00:00:00.000+08:00']);
    expect(span('本月报表')?.[2]).toBe('2026年11月');
    expect(span('上月统计')?.[2]).toBe('2026年10月');
    expect(span('最近7天投诉情况')?.slice(0, 2)).toEqual(['2026-11-17T00:00:00.000+08:00', '2026-11-24T00:00:00.000+08:00']);
    expect(span('最近七天投诉情况')?.[0]).toBe('2026-11-17T00:00:00.000+08:00');
    expect(span('2026年9月报表')?.[2]).toBe('2026年9月');
  });

  it('refuses what it does not understand', () => {
    expect(span('/report 2026-13')).toBeUndefined();
    expect(span('/report 2026-10-15 2026-10-01')).toBeUndefined();
    expect(span('/report sometime')).toBeUndefined();
    expect(asksForReport('本月报表')).toBe(true);
    expect(asksForReport('我要预约保洁')).toBe(false);
  });

  it('compares with the previous period', () => {
    const oct = parseReportPeriod('/report 2026-10', now, zone)!;
    expect(previousPeriod(oct, zone).label).toBe('2026年9月');
    const week = parseReportPeriod('/report 2026-10-08 2026-10-14', now, zone)!;
    expect(previousPeriod(week, zone).label).toBe('2026-10-01 至 2026-10-07');
  });
});
