import { describe, it, expect, afterEach } from 'vitest';
import { parseWhen, resolveWhen, type When } from '../../../src/domain/nlu/datetime.ts';

/** Reference instant: Monday 2026-11-23 10:00 in Shanghai. */
const NOW = new Date('2026-11-23T10:00:00+08:00');
const ZONE = 'Asia/Shanghai';
const ctx = { now: NOW, zone: ZONE };
const atShanghai = (iso: string) => ({ now: new Date(`${iso}+08:00`), zone: ZONE });

type Row = [text: string, expected: When | undefined];
const check = (rows: Row[], opts = ctx) =>
  it.each(rows)('%s', (text, expected) => {
    expect(parseWhen(text, opts)).toStrictEqual(expected);
  });

describe('parseWhen: required combined phrases', () => {
  check([
    ['明天下午三点', { date: '2026-11-24', time: '15:00' }],
    ['下周二上午10点', { date: '2026-12-01', time: '10:00' }],
    ['11月25日14:00', { date: '2026-11-25', time: '14:00' }],
    ['后天9点', { date: '2026-11-25', time: '09:00' }],
    ['周六下午', { date: '2026-11-28', period: 'afternoon' }],
    ['下个月1号上午九点半', { date: '2026-12-01', time: '09:30' }],
    ['12月1日 9:30', { date: '2026-12-01', time: '09:30' }],
    ['明天3点', { date: '2026-11-24', time: '15:00' }],
    ['我想约明天下午三点来打扫', { date: '2026-11-24', time: '15:00' }],
    ['下周二 上午 10点', { date: '2026-12-01', time: '10:00' }],
    ['周三三点', { date: '2026-11-25', time: '15:00' }],
    ['周二十点', { date: '2026-11-24', time: '10:00' }],
    ['今晚8点', { date: '2026-11-23', time: '20:00' }],
    ['明天一点', { date: '2026-11-24', time: '13:00' }],
    ['周六一点', { date: '2026-11-28', time: '13:00' }],
    ['明天一点一刻', { date: '2026-11-24', time: '13:15' }],
    ['明天晚上12点', { date: '2026-11-25', time: '00:00' }],
    ['2026-12-01 14:00', { date: '2026-12-01', time: '14:00' }],
    ['上午不行，下午三点吧', { time: '15:00' }],
  ]);
});

describe('parseWhen: relative days', () => {
  check([
    ['今天', { date: '2026-11-23' }],
    ['今日', { date: '2026-11-23' }],
    ['明天', { date: '2026-11-24' }],
    ['明日', { date: '2026-11-24' }],
    ['明儿', { date: '2026-11-24' }],
    ['后天', { date: '2026-11-25' }],
    ['大后天', { date: '2026-11-26' }],
    ['3天后', { date: '2026-11-26' }],
    ['3天以后', { date: '2026-11-26' }],
    ['三天后', { date: '2026-11-26' }],
    ['两天之后', { date: '2026-11-25' }],
    ['十天后', { date: '2026-12-03' }],
    ['一周后', { date: '2026-11-30' }],
    ['今晚', { date: '2026-11-23', period: 'evening' }],
    ['明早', { date: '2026-11-24', period: 'morning' }],
  ]);
});

describe('parseWhen: weekdays (today is Monday 2026-11-23)', () => {
  check([
    ['周六', { date: '2026-11-28' }],
    ['星期六', { date: '2026-11-28' }],
    ['礼拜六', { date: '2026-11-28' }],
    ['周日', { date: '2026-11-29' }],
    ['周天', { date: '2026-11-29' }],
    ['星期日', { date: '2026-11-29' }],
    ['星期天', { date: '2026-11-29' }],
    ['礼拜天', { date: '2026-11-29' }],
    ['周一', { date: '2026-11-23' }], // a bare weekday that is today means today
    ['周二', { date: '2026-11-24' }],
    ['这周三', { date: '2026-11-25' }],
    ['本周三', { date: '2026-11-25' }],
    ['这周一', { date: '2026-11-23' }],
    ['这周日', { date: '2026-11-29' }],
    ['下周二', { date: '2026-12-01' }],
    ['下星期二', { date: '2026-12-01' }],
    ['下个礼拜二', { date: '2026-12-01' }],
    ['下周一', { date: '2026-11-30' }],
    ['下周日', { date: '2026-12-06' }],
    ['下下周一', { date: '2026-12-07' }],
    ['周末', { date: '2026-11-28' }],
  ]);

  it('下周X is the following Mon-Sun week also late in the week (now Saturday)', () => {
    const saturday = atShanghai('2026-11-28T10:00:00');
    expect(parseWhen('下周二', saturday)).toStrictEqual({ date: '2026-12-01' });
    expect(parseWhen('周二', saturday)).toStrictEqual({ date: '2026-12-01' });
    expect(parseWhen('周六', saturday)).toStrictEqual({ date: '2026-11-28' });
    expect(parseWhen('这周三', saturday)).toStrictEqual({ date: '2026-11-25' }); // this week's, even if past
  });
});

describe('parseWhen: absolute dates', () => {
  check([
    ['11月25日', { date: '2026-11-25' }],
    ['11月25号', { date: '2026-11-25' }],
    ['十一月二十五日', { date: '2026-11-25' }],
    ['11.25', { date: '2026-11-25' }],
    ['11/25', { date: '2026-11-25' }],
    ['2026年12月1日', { date: '2026-12-01' }],
    ['2026-12-01', { date: '2026-12-01' }],
    ['2026/12/01', { date: '2026-12-01' }],
    ['12月1日', { date: '2026-12-01' }],
    ['11月23日', { date: '2026-11-23' }], // today has not passed
    ['11月22日', { date: '2027-11-22' }], // passed this year -> next year
    ['3月5日', { date: '2027-03-05' }],
    ['25号', { date: '2026-11-25' }],
    ['25日', { date: '2026-11-25' }],
    ['二十五号', { date: '2026-11-25' }],
    ['二十三号', { date: '2026-11-23' }],
    ['二十号', { date: '2026-12-20' }], // passed this month -> next month
    ['20号', { date: '2026-12-20' }],
    ['三十一号', { date: '2026-12-31' }],
    ['下个月1号', { date: '2026-12-01' }],
    ['下月3号', { date: '2026-12-03' }],
    ['下个月底', { date: '2026-12-31' }],
    ['本月25号', { date: '2026-11-25' }],
    ['月底', { date: '2026-11-30' }],
    ['25/11', { date: '2026-11-25' }], // 25 cannot be a month: read day first
    ['１１月２５日', { date: '2026-11-25' }], // full-width digits
  ]);
});

describe('parseWhen: times', () => {
  check([
    ['三点', { time: '15:00' }],
    ['3点', { time: '15:00' }],
    ['下午三点', { time: '15:00' }],
    ['上午10点', { time: '10:00' }],
    ['早上8点', { time: '08:00' }],
    ['早上7点', { time: '07:00' }],
    ['晚上7点', { time: '19:00' }],
    ['晚7点', { time: '19:00' }],
    ['傍晚6点', { time: '18:00' }],
    ['中午12点', { time: '12:00' }],
    ['中午1点', { time: '13:00' }],
    ['凌晨3点', { time: '03:00' }],
    ['9点半', { time: '09:30' }],
    ['九点半', { time: '09:30' }],
    ['三点一刻', { time: '15:15' }],
    ['三点三刻', { time: '15:45' }],
    ['3点15', { time: '15:15' }],
    ['3点15分', { time: '15:15' }],
    ['三点零五', { time: '15:05' }],
    ['3点钟', { time: '15:00' }],
    ['14:00', { time: '14:00' }],
    ['14：00', { time: '14:00' }],
    ['１４：００', { time: '14:00' }],
    ['14点', { time: '14:00' }],
    ['十四点', { time: '14:00' }],
    ['14时30分', { time: '14:30' }],
    ['两点', { time: '14:00' }],
    ['十点', { time: '10:00' }],
    ['十一点', { time: '11:00' }],
    ['十二点', { time: '12:00' }],
    ['零点', { time: '00:00' }],
    ['7点', { time: '19:00' }], // bare 1-7 -> afternoon/evening
    ['8点', { time: '08:00' }], // bare 8-12 as is
    ['12点', { time: '12:00' }],
    ['7:30', { time: '19:30' }],
    ['07:30', { time: '07:30' }], // written 24-hour style
    ['下午3:30', { time: '15:30' }],
    ['下午一点', { time: '13:00' }],
    ['一点半', { time: '13:30' }],
  ]);
});

describe('parseWhen: periods', () => {
  check([
    ['上午', { period: 'morning' }],
    ['早上', { period: 'morning' }],
    ['早晨', { period: 'morning' }],
    ['凌晨', { period: 'morning' }],
    ['中午', { period: 'noon' }],
    ['下午', { period: 'afternoon' }],
    ['傍晚', { period: 'evening' }],
    ['晚上', { period: 'evening' }],
    ['明天上午', { date: '2026-11-24', period: 'morning' }],
    ['下周三晚上', { date: '2026-12-02', period: 'evening' }],
  ]);
});

describe('parseWhen: English', () => {
  check([
    ['tomorrow', { date: '2026-11-24' }],
    ['Tomorrow', { date: '2026-11-24' }],
    ['today', { date: '2026-11-23' }],
    ['the day after tomorrow', { date: '2026-11-25' }],
    ['next Tuesday', { date: '2026-12-01' }],
    ['on Saturday', { date: '2026-11-28' }],
    ['this Friday', { date: '2026-11-27' }],
    ['Saturday afternoon', { date: '2026-11-28', period: 'afternoon' }],
    ['Nov 25', { date: '2026-11-25' }],
    ['25 Nov', { date: '2026-11-25' }],
    ['November 25th', { date: '2026-11-25' }],
    ['25th of November', { date: '2026-11-25' }],
    ['Dec 1, 2026', { date: '2026-12-01' }],
    ['Jan 2', { date: '2027-01-02' }],
    ['2026-12-01', { date: '2026-12-01' }],
    ['at 3pm', { time: '15:00' }],
    ['3 pm', { time: '15:00' }],
    ['3 p.m.', { time: '15:00' }],
    ['10am', { time: '10:00' }],
    ['12pm', { time: '12:00' }],
    ['12am', { time: '00:00' }],
    ['10:30', { time: '10:30' }],
    ['15:00', { time: '15:00' }],
    ['3:30pm', { time: '15:30' }],
    ['at 3', { time: '15:00' }],
    ['at 10', { time: '10:00' }],
    ['morning', { period: 'morning' }],
    ['afternoon', { period: 'afternoon' }],
    ['evening', { period: 'evening' }],
    ['noon', { period: 'noon' }],
    ['tonight', { date: '2026-11-23', period: 'evening' }],
    ['in 3 days', { date: '2026-11-26' }],
    ['in a week', { date: '2026-11-30' }],
    ['tomorrow at 3pm', { date: '2026-11-24', time: '15:00' }],
    ['tomorrow morning at 7', { date: '2026-11-24', time: '07:00' }],
    ['Can you come next Tuesday at 10:30am?', { date: '2026-12-01', time: '10:30' }],
  ]);
});

describe('parseWhen: nothing or invalid', () => {
  check([
    ['', undefined],
    ['   ', undefined],
    ['你好', undefined],
    ['我要预约保洁', undefined],
    ['hello', undefined],
    ['good morning', undefined],
    ['早上好', undefined],
    ['能便宜一点吗', undefined], // 一点 = "a little"
    ['晚一点', undefined],
    ['5号楼302', undefined], // building number, not a date
    ['一日三餐', undefined],
    ['3.5小时', undefined],
    ['价格是11.25元', undefined],
    ['13800138000', undefined],
    ['I have 3 bedrooms', undefined],
    ['at 3 bedrooms', undefined],
    ['25点', undefined], // no such hour
    ['3点75分', undefined],
    ['32号', { rejected: { written: '32号', reason: 'impossible' } }],
    ['13pm', undefined],
  ]);
  it('keeps the valid part when another is invalid', () => {
    expect(parseWhen('明天25点', ctx)).toStrictEqual({ date: '2026-11-24' });
    expect(parseWhen('明天25点下午', ctx)).toStrictEqual({ date: '2026-11-24', period: 'afternoon' });
  });
});

describe('parseWhen: dates that cannot be meant are reported, never dropped', () => {
  check([
    ['2月30日', { rejected: { written: '2月30日', reason: 'impossible' } }],
    ['13月1日', { rejected: { written: '13月1日', reason: 'impossible' } }],
    ['2026-02-30', { rejected: { written: '2026-02-30', reason: 'impossible' } }],
    ['2026年2月29日', { rejected: { written: '2026年2月29日', reason: 'impossible' } }],
    ['Feb 30', { rejected: { written: 'feb 30', reason: 'impossible' } }],
    ['100000天后', { rejected: { written: '100000天后', reason: 'out_of_range' } }],
    ['in 99 weeks', { date: '2028-10-16' }],
    ['9999年12月31日', { date: '9999-12-31' }], // a real day: the booking horizon refuses it
    ['1000天后', { date: '2029-08-19' }],
  ]);
  it('keeps the time written with an impossible date, but the date stays rejected', () => {
    expect(parseWhen('2月30日下午3点', ctx)).toStrictEqual({ time: '15:00', rejected: { written: '2月30日', reason: 'impossible' } });
  });
  it('resolveWhen refuses a rejected date rather than inventing a day', () => {
    expect(() => resolveWhen({ time: '15:00', rejected: { written: '2月30日', reason: 'impossible' } }, ctx)).toThrow(/2月30日/);
  });
});

describe('parseWhen: year and month boundaries', () => {
  const dec30 = atShanghai('2026-12-30T10:00:00'); // Wednesday
  check(
    [
      ['1月2日', { date: '2027-01-02' }],
      ['12月31日', { date: '2026-12-31' }],
      ['明天', { date: '2026-12-31' }],
      ['后天', { date: '2027-01-01' }],
      ['下个月1号', { date: '2027-01-01' }],
      ['下周二', { date: '2027-01-05' }],
      ['5号', { date: '2027-01-05' }],
      ['1/2', { date: '2027-01-02' }],
      ['Jan 2nd', { date: '2027-01-02' }],
    ],
    dec30,
  );

  // Documented choice: a day of the month alone that the coming month lacks rolls on to the next
  // month that has it; with an explicit month (下个月31号) a missing day gives undefined.
  it('31号 in a 30-day month means the next month that has a 31st', () => {
    expect(parseWhen('31号', atShanghai('2026-11-05T10:00:00'))).toStrictEqual({ date: '2026-12-31' });
    expect(parseWhen('31号', ctx)).toStrictEqual({ date: '2026-12-31' });
    expect(parseWhen('30号', atShanghai('2027-01-31T10:00:00'))).toStrictEqual({ date: '2027-03-30' });
    expect(parseWhen('31号', atShanghai('2026-12-31T10:00:00'))).toStrictEqual({ date: '2026-12-31' });
  });
  it('an explicit month without that day gives no date, and says so', () => {
    expect(parseWhen('下个月31号', atShanghai('2026-10-10T10:00:00'))).toStrictEqual({ rejected: { written: '下个月31号', reason: 'impossible' } });
    expect(parseWhen('下个月31号', ctx)).toStrictEqual({ date: '2026-12-31' });
    expect(parseWhen('11月31日', ctx)).toStrictEqual({ rejected: { written: '11月31日', reason: 'impossible' } });
  });
  it('February 29 only in leap years', () => {
    expect(parseWhen('2月29日', ctx)).toStrictEqual({ rejected: { written: '2月29日', reason: 'impossible' } }); // 2027 is not a leap year
    expect(parseWhen('2月29日', atShanghai('2027-12-01T10:00:00'))).toStrictEqual({ date: '2028-02-29' });
  });
  it('月底 in February', () => {
    expect(parseWhen('月底', atShanghai('2028-02-10T10:00:00'))).toStrictEqual({ date: '2028-02-29' });
  });
});

describe('parseWhen: time zones', () => {
  // 2026-11-23T02:00Z is Monday 10:00 in Shanghai but Sunday 21:00 in New York.
  const instant = new Date('2026-11-23T02:00:00Z');
  it('computes "today" in the company zone, not the machine zone', () => {
    expect(parseWhen('明天', { now: instant, zone: 'Asia/Shanghai' })).toStrictEqual({ date: '2026-11-24' });
    expect(parseWhen('明天', { now: instant, zone: 'America/New_York' })).toStrictEqual({ date: '2026-11-23' });
    expect(parseWhen('周六', { now: instant, zone: 'America/New_York' })).toStrictEqual({ date: '2026-11-28' });
  });

  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });
  it.each(['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Kiritimati'])(
    'gives the same answers with the process in %s',
    (tz) => {
      process.env.TZ = tz;
      expect(parseWhen('明天下午三点', ctx)).toStrictEqual({ date: '2026-11-24', time: '15:00' });
      expect(parseWhen('下周二上午10点', ctx)).toStrictEqual({ date: '2026-12-01', time: '10:00' });
      expect(resolveWhen({ date: '2026-11-24', time: '15:00' }, ctx).start.toISOString()).toBe('2026-11-24T07:00:00.000Z');
      expect(resolveWhen({ time: '09:00' }, ctx).start.toISOString()).toBe('2026-11-24T01:00:00.000Z');
    },
  );

  it('returns undefined for an invalid zone or now instead of throwing', () => {
    expect(parseWhen('明天', { now: NOW, zone: 'Mars/Olympus' })).toBeUndefined();
    expect(parseWhen('明天', { now: new Date(NaN), zone: ZONE })).toBeUndefined();
  });
});

describe('resolveWhen', () => {
  const iso = (when: When, opts = ctx) => {
    const { start, precision } = resolveWhen(when, opts);
    return [start.toISOString(), precision];
  };
  it.each<[When, string, string]>([
    [{ date: '2026-11-24', time: '15:00' }, '2026-11-24T07:00:00.000Z', 'minute'],
    [{ date: '2026-11-24', period: 'morning' }, '2026-11-24T01:00:00.000Z', 'period'],
    [{ date: '2026-11-24', period: 'noon' }, '2026-11-24T04:00:00.000Z', 'period'],
    [{ date: '2026-11-24', period: 'afternoon' }, '2026-11-24T06:00:00.000Z', 'period'],
    [{ date: '2026-11-24', period: 'evening' }, '2026-11-24T11:00:00.000Z', 'period'],
    [{ date: '2026-11-24' }, '2026-11-23T16:00:00.000Z', 'day'],
    [{ date: '2026-11-24', time: '15:00', period: 'morning' }, '2026-11-24T07:00:00.000Z', 'minute'],
    [{ time: '15:00' }, '2026-11-23T07:00:00.000Z', 'minute'], // still ahead today
    [{ time: '09:00' }, '2026-11-24T01:00:00.000Z', 'minute'], // passed -> tomorrow
    [{ time: '10:00' }, '2026-11-24T02:00:00.000Z', 'minute'], // exactly now is not ahead
    [{ period: 'afternoon' }, '2026-11-23T06:00:00.000Z', 'period'],
    [{ period: 'morning' }, '2026-11-24T01:00:00.000Z', 'period'],
  ])('%o -> %s (%s)', (when, start, precision) => {
    expect(iso(when)).toStrictEqual([start, precision]);
  });

  it('resolves in the given zone, across daylight saving time', () => {
    const ny = { now: new Date('2027-03-10T15:00:00Z'), zone: 'America/New_York' };
    expect(iso({ date: '2027-03-13', time: '15:00' }, ny)).toStrictEqual(['2027-03-13T20:00:00.000Z', 'minute']); // EST -5
    expect(iso({ date: '2027-03-15', time: '15:00' }, ny)).toStrictEqual(['2027-03-15T19:00:00.000Z', 'minute']); // EDT -4
  });

  it('throws INVALID_ARGUMENT for an empty or malformed When', () => {
    expect(() => resolveWhen({}, ctx)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => resolveWhen({ time: '25:00' }, ctx)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => resolveWhen({ date: '2026-02-30' }, ctx)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => resolveWhen({ date: 'tomorrow' }, ctx)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => resolveWhen({ date: '2026-11-24' }, { now: NOW, zone: 'Mars/Olympus' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('round-trips parseWhen for the required phrases', () => {
    const start = (text: string) => resolveWhen(parseWhen(text, ctx) ?? {}, ctx).start.toISOString();
    expect(start('明天下午三点')).toBe('2026-11-24T07:00:00.000Z');
    expect(start('下周二上午10点')).toBe('2026-12-01T02:00:00.000Z');
    expect(start('11月25日14:00')).toBe('2026-11-25T06:00:00.000Z');
    expect(start('后天9点')).toBe('2026-11-25T01:00:00.000Z');
    expect(start('周六下午')).toBe('2026-11-28T06:00:00.000Z');
    expect(start('下个月1号上午九点半')).toBe('2026-12-01T01:30:00.000Z');
  });
});

describe('parseWhen: hostile input', () => {
  const hostile = [
    '',
    '\u0000',
    '\u0000\u0001\u0002\u001f\u007f',
    '😀🎉👍🏻',
    '😀'.repeat(50_000),
    '<script>alert(1)</script>',
    "'; DROP TABLE bookings; --",
    '\uD800\uDC00\uD800', // lone surrogate
    '\u202e明天\u202c',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: format and template placeholders typed on purpose.
    '%s%n%x{{}}${}',
  ];
  it.each(hostile.map((text) => [text.slice(0, 40), text]))('does not throw on %j', (_label, text) => {
    expect(() => parseWhen(text, ctx)).not.toThrow();
  });
  it('does not throw on non-string input at runtime', () => {
    expect(parseWhen(undefined as unknown as string, ctx)).toBeUndefined();
    expect(parseWhen(42 as unknown as string, ctx)).toBeUndefined();
  });

  // Performance guard without timing assertions: these shapes would hang a backtracking or
  // quadratic parser; here they must simply finish (vitest's default timeout is the bound).
  const big: Array<[string, string, When | undefined]> = [
    ['x', 'x'.repeat(100_000), undefined],
    ['a a', 'a '.repeat(50_000), undefined],
    ['明', '明'.repeat(100_000), undefined],
    ['下', '下'.repeat(100_000), undefined],
    ['一', '一'.repeat(100_000), undefined],
    ['一点', '一点'.repeat(50_000), undefined],
    ['digits', '1'.repeat(100_000), undefined],
    ['1.', '1.'.repeat(50_000), undefined],
    ['at ', 'at '.repeat(33_000), undefined],
    ['spaces between letters', `a${' '.repeat(100_000)}b`, undefined],
    ['一一点', '一一点'.repeat(33_000), undefined],
    ['周', '周'.repeat(100_000), undefined],
    ['rejected candidates: 一日', `明天${'一日'.repeat(50_000)}`, { date: '2026-11-24' }],
    ['rejected candidates: 一二天后', `明天${'一二天后'.repeat(25_000)}`, { date: '2026-11-24' }],
    ['rejected candidates: good morning', `明天${'good morning '.repeat(7_500)}`, { date: '2026-11-24' }],
    ['rejected candidates: 三时', `明天${'三时'.repeat(50_000)}`, { date: '2026-11-24' }],
    ['date at the end', `${'啊'.repeat(99_990)}明天下午三点`, { date: '2026-11-24', time: '15:00' }],
    ['repeated phrase', '明天下午三点'.repeat(16_000), { date: '2026-11-24', time: '15:00' }],
  ];
  it.each(big)('finishes on 100,000 characters of %s', (_label, text, expected) => {
    expect(parseWhen(text, ctx)).toStrictEqual(expected);
  });
});

describe('parseWhen: several dates in one message', () => {
  check([
    // The date next to the time is the visit; the other one is context.
    ['房东明天来看房，今晚7点能来打扫吗', { date: '2026-11-23', time: '19:00' }],
    ['亲戚19号过来住，18号上午九点半能先来个大扫除吗', { date: '2026-12-18', time: '09:30' }],
    ['周五家里来客人，周四下午三点来打扫一下', { date: '2026-11-26', time: '15:00' }],
    // A calendar date beats a weekday written with it.
    ['curtain cleaning on thursday dec 10, 10am', { date: '2026-12-10', time: '10:00' }],
    ['周四吧，就是12月3号，下午2点', { date: '2026-12-03', time: '14:00' }],
    // With no time, the first date still wins.
    ['明天或者后天都行', { date: '2026-11-24' }],
  ]);
});

describe('parseWhen: "tuesday next week"', () => {
  check([
    ['window cleaning tuesday next week at 2pm, 3 bedroom apartment', { date: '2026-12-01', time: '14:00' }],
    ['can someone come friday this week, morning', { date: '2026-11-27', period: 'morning' }],
    ['next tuesday 2pm', { date: '2026-12-01', time: '14:00' }],
  ]);
});
