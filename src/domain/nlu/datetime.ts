/**
 * Dates and times as customers write them, in Chinese or English ("明天下午三点", "下周二上午10点",
 * "11月25日14:00", "Saturday afternoon", "Nov 25 at 3pm").
 *
 * The text is read left to right by a small tokenizer: at each position only the rules that can
 * start with that character are tried, each is an anchored (sticky) regular expression of bounded
 * length, and a match consumes its text. This keeps the work linear in the length of the input.
 * The first date, the first time and the period word nearest that time then make up the answer.
 *
 * Everything is computed in the company's time zone from the `now` passed in; the machine's zone
 * is never used.
 */
import { DateTime } from 'luxon';
import { normalizeText } from './extract.ts';
import { CHINESE_NUMERAL_CHARS, parseChineseNumeral } from './numerals.ts';
import type { Zone } from 'luxon';
import { tz } from '../zone.ts';
import { DeskError, ErrorCode } from '../../lib/errors.ts';

/** A part of the day named without a clock time. */
export type Period = 'morning' | 'noon' | 'afternoon' | 'evening';

/**
 * What the customer said about when. `date` is YYYY-MM-DD in the company zone, `time` is HH:mm;
 * `period` is only set when no exact time was given.
 */
export interface When {
  date?: string;
  time?: string;
  period?: Period;
  /**
   * A date was written but cannot be meant: no such day (2月30日, 13月1日, 2026-02-30) or too far
   * to count (100000天后). `written` is the customer's words, to say back; `date` is then unset
   * and nothing else may stand in for it (a time alone must not become "tomorrow").
   */
  rejected?: { written: string; reason: DateRejection };
}

/** Why a written date gives no day. */
export type DateRejection = 'impossible' | 'out_of_range';

/** Relative dates further than this many days ("100000天后") are out of range, not a day. */
const MAX_RELATIVE_DAYS = 3660;

/** The reference instant and the company's IANA time zone. */
interface WhenOptions {
  now: Date;
  zone: string | Zone;
}

/** The clock time a period stands for when it has to become an instant. */
const PERIOD_DEFAULT_TIME: Readonly<Record<Period, string>> = {
  morning: '09:00',
  noon: '12:00',
  afternoon: '14:00',
  evening: '19:00',
};

// ---------------------------------------------------------------------------------------------
// Tokens

interface Span {
  at: number;
  end: number;
}
/** A date; `date` null means a date was written but does not exist (2月30日) or is out of range. */
interface DateToken extends Span {
  kind: 'date';
  date: string | null;
  outOfRange?: boolean;
  /** Named by its weekday only (周四, thursday): a calendar date written too beats it. */
  weekday?: boolean;
}
interface TimeToken extends Span {
  kind: 'time';
  hour: number;
  minute: number;
  /** am/pm written after the number. */
  meridiem?: 'am' | 'pm';
  /** Written in 24-hour style ("07:30", "14点"): no afternoon guess for small hours. */
  fixed: boolean;
}
interface PeriodToken extends Span {
  kind: 'period';
  period: Period;
}
type Token = DateToken | TimeToken | PeriodToken;
/** What a rule produces; the scanner adds the span. */
type Found = Omit<DateToken, 'at' | 'end'> | Omit<TimeToken, 'at' | 'end'> | Omit<PeriodToken, 'at' | 'end'>;

interface ScanState {
  text: string;
  today: DateTime;
  /** Where the current match starts. */
  at: number;
  /** The token that ended last, if any, and whether only spaces lie between it and `at`. */
  previous?: Token;
  adjacent: boolean;
}

interface Rule {
  /** Characters a match can start with (after normalization). */
  starts: string;
  /** Anchored with the sticky flag; every quantifier is bounded. */
  re: RegExp;
  /** Turns a match into tokens, or undefined to reject it and let the next rule try. */
  make: (m: RegExpExecArray, state: ScanState) => Found[] | undefined;
}

// ---------------------------------------------------------------------------------------------
// Calendar helpers (all in the zone of `today`)

const formatDate = (dt: DateTime): string => dt.toFormat('yyyy-MM-dd');

function exactDate(today: DateTime, year: number, month: number, day: number): string | null {
  if (![year, month, day].every(Number.isInteger)) return null; // e.g. an unreadable numeral (一二月)
  const dt = DateTime.fromObject({ year, month, day }, { zone: today.zone });
  return dt.isValid ? formatDate(dt) : null;
}

/** A month and day without a year: this year unless already past, then next year. */
function monthDay(today: DateTime, month: number, day: number): string | null {
  if (!Number.isInteger(month) || !Number.isInteger(day) || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const past = month < today.month || (month === today.month && day < today.day);
  return exactDate(today, today.year + (past ? 1 : 0), month, day);
}

/**
 * A day of the month alone (25号): this month unless already past, else next month; when that
 * month is too short (31号 in November) the next month that has the day.
 */
function dayOfMonth(today: DateTime, day: number): string | null {
  if (!Number.isInteger(day) || day < 1 || day > 31) return null;
  let month = today.startOf('month');
  if (day < today.day) month = month.plus({ months: 1 });
  for (let i = 0; i < 12; i++) {
    if (day <= (month.daysInMonth ?? 0)) return exactDate(today, month.year, month.month, day);
    month = month.plus({ months: 1 });
  }
  return null;
}

/** A day in this month (offset 0) or a later one; null when that month lacks the day. */
function dayInMonth(today: DateTime, monthOffset: number, day: number | 'end'): string | null {
  const month = today.startOf('month').plus({ months: monthOffset });
  if (day === 'end') return formatDate(month.endOf('month'));
  return exactDate(today, month.year, month.month, day);
}

type WeekMode = 'upcoming' | 'this' | 'next' | 'afterNext';

/**
 * A weekday (1 = Monday ... 7 = Sunday). 'upcoming': the next one on or after today; 'this': the
 * one in this Monday-Sunday week (may be past); 'next'/'afterNext': in the following week(s).
 */
function weekdayDate(today: DateTime, weekday: number, mode: WeekMode): string {
  if (mode === 'upcoming') return formatDate(today.plus({ days: (weekday - today.weekday + 7) % 7 }));
  const weeks = mode === 'this' ? 0 : mode === 'next' ? 1 : 2;
  return formatDate(today.startOf('week').plus({ weeks, days: weekday - 1 }));
}

const plusDays = (today: DateTime, days: number): string => formatDate(today.plus({ days }));

/** `days` from today, or an out-of-range date token when it is too far to mean a day. */
function relativeDays(today: DateTime, days: number): Found {
  return days > MAX_RELATIVE_DAYS ? { kind: 'date', date: null, outOfRange: true } : date(plusDays(today, days));
}

// ---------------------------------------------------------------------------------------------
// Rules

const DIGITS = '0123456789';
const CN = CHINESE_NUMERAL_CHARS;
const NUM_STARTS = DIGITS + CN;
/** An Arabic or Chinese number of at most 3 characters. */
const NUM = `(\\d{1,2}|[${CN}]{1,3})`;
const AMPM = `(a\\.?m\\.?|p\\.?m\\.?)(?![a-z])`;
const MONTHS =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const MONTH_INDEX = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const EN_WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const EN_SMALL_NUMBERS: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
};

const sticky = (source: string): RegExp => new RegExp(source, 'y');
const num = (s: string | undefined): number => (s === undefined ? NaN : (parseChineseNumeral(s) ?? NaN));
const monthOf = (name: string | undefined): number => MONTH_INDEX.indexOf((name ?? '').slice(0, 3)) + 1;
const date = (value: string | null): Found => ({ kind: 'date', date: value });
const weekdayToken = (value: string): Found => ({ kind: 'date', date: value, weekday: true });
const period = (value: Period): Found => ({ kind: 'period', period: value });
const time = (hour: number, minute: number, fixed: boolean, meridiem?: 'am' | 'pm'): Found =>
  meridiem ? { kind: 'time', hour, minute, fixed, meridiem } : { kind: 'time', hour, minute, fixed };
const meridiemOf = (s: string | undefined): 'am' | 'pm' | undefined =>
  s === undefined ? undefined : s.startsWith('a') ? 'am' : 'pm';

const CN_PERIODS: Readonly<Record<string, Period>> = {
  凌晨: 'morning', 清晨: 'morning', 早上: 'morning', 早晨: 'morning', 一早: 'morning', 早间: 'morning',
  上午: 'morning', 早: 'morning', 中午: 'noon', 午间: 'noon', 晌午: 'noon', 下午: 'afternoon',
  午后: 'afternoon', 傍晚: 'evening', 黄昏: 'evening', 晚上: 'evening', 晚间: 'evening', 夜里: 'evening',
  夜间: 'evening', 晚: 'evening',
};
const EN_PERIODS: Readonly<Record<string, Period>> = {
  morning: 'morning', noon: 'noon', midday: 'noon', afternoon: 'afternoon', evening: 'evening', night: 'evening',
};
const CN_RELATIVE_DAYS: Readonly<Record<string, { days: number; period?: Period }>> = {
  今天: { days: 0 }, 今日: { days: 0 }, 今儿: { days: 0 }, 今晚: { days: 0, period: 'evening' },
  今早: { days: 0, period: 'morning' }, 明天: { days: 1 }, 明日: { days: 1 }, 明儿: { days: 1 },
  明早: { days: 1, period: 'morning' }, 明晨: { days: 1, period: 'morning' }, 明晚: { days: 1, period: 'evening' },
  后天: { days: 2 }, 后日: { days: 2 }, 大后天: { days: 3 },
};
const CN_WEEK_MODE: Readonly<Record<string, WeekMode>> = { 下下: 'afterNext', 下: 'next', 这: 'this', 本: 'this' };

/**
 * Cheap pre-filter for {@link plausibleChineseOne}: a lone 一点 right after a character that cannot
 * end a date or period token is never a time, so the regex fails at once (keeps "一点一点..." fast).
 */
const LONE_ONE_O_CLOCK = `(?!(?<![天日号儿早晨晚午上夜间里昏末底后${CN}0-9a-z\\s])一\\s?点(?!\\s?(?:半|一刻|三刻|两刻|钟|(?:\\d{1,2}|[${CN}]{1,3})(?![0-9${CN}号日月天周点时刻]))))`;

/** A Chinese "一点" is also "a little" (便宜一点); it is a time only next to a date or period word. */
function plausibleChineseOne(hourText: string, minuteGiven: boolean, state: ScanState): boolean {
  if (hourText !== '一' || minuteGiven) return true;
  return state.adjacent && state.previous !== undefined && state.previous.kind !== 'time';
}

/**
 * Festivals by their common names. 元旦, 劳动节 and 国庆 are fixed; 春节 (正月初一), 除夕 (the day
 * before) and 中秋 (八月十五) follow the lunar calendar, listed here as published for 2025-2035.
 */
const SPRING_FESTIVAL = ['2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03', '2031-01-23', '2032-02-11', '2033-01-31', '2034-02-19', '2035-02-08'];
const MID_AUTUMN = ['2025-10-06', '2026-09-25', '2027-09-15', '2028-10-03', '2029-09-22', '2030-09-12', '2031-10-01', '2032-09-19', '2033-09-08', '2034-09-27', '2035-09-16'];

/** The next date (today or later) of a named festival, or null when the table ends first. */
function festivalDate(name: string, today: DateTime): string | null {
  const todayIso = formatDate(today);
  const next = (dates: readonly string[]) => dates.find((d) => d >= todayIso) ?? null;
  if (name === '元旦' || name === 'new year') return monthDay(today, 1, 1);
  if (name.startsWith('劳动') || name === 'labour day' || name === 'labor day') return monthDay(today, 5, 1);
  if (name.startsWith('国庆') || name === 'national day') return monthDay(today, 10, 1);
  if (name.startsWith('中秋') || name === 'mid-autumn') return next(MID_AUTUMN);
  if (name === '除夕' || name === '大年三十') {
    const eve = SPRING_FESTIVAL.map((d) => formatDate(DateTime.fromISO(d, { zone: today.zone }).minus({ days: 1 })));
    return next(eve);
  }
  return next(SPRING_FESTIVAL);
}

const RULES: readonly Rule[] = [
  // 2026年12月1日, 2026-12-01, 2026/12/01, 2026.12.01
  {
    starts: DIGITS,
    re: sticky('(\\d{4})\\s?[年/.-]\\s?(\\d{1,2})\\s?[月/.-]\\s?(\\d{1,2})(?!\\d)\\s?[日号]?'),
    make: (m, s) => [date(exactDate(s.today, num(m[1]), num(m[2]), num(m[3])))],
  },
  // 25 Nov, 25th of November, 1 Dec 2026
  {
    starts: DIGITS,
    re: sticky(`(\\d{1,2})(?:st|nd|rd|th)?\\s?(?:of\\s)?${MONTHS}(?![a-z])(?:,?\\s?(\\d{4})(?!\\d))?`),
    make: (m, s) => [date(dayMonthYear(s.today, monthOf(m[2]), num(m[1]), m[3]))],
  },
  // 3天后, 三天以后, 两周后, 一个星期之后
  {
    starts: NUM_STARTS,
    // Any count of digits is read, so that 100000天后 is said back as out of range, not skipped.
    re: sticky(`(\\d{1,9}|[${CN}]{1,3})\\s?个?\\s?(天|日|周|星期|礼拜)\\s?(?:以后|之后|后)`),
    make: (m, s) => {
      const n = num(m[1]);
      return Number.isNaN(n) ? undefined : [relativeDays(s.today, m[2] === '天' || m[2] === '日' ? n : 7 * n)];
    },
  },
  // 11月25日, 11月25号, 十二月一日, 12月1
  {
    starts: NUM_STARTS,
    re: sticky(`${NUM}\\s?月\\s?${NUM}\\s?[日号]?`),
    make: (m, s) => [date(monthDay(s.today, num(m[1]), num(m[2])))],
  },
  // 3pm, 10 am, 3:30pm, 3.30 p.m.
  {
    starts: DIGITS,
    re: sticky(`(\\d{1,2})(?:[:.](\\d{2}))?\\s?${AMPM}`),
    make: (m) => [time(num(m[1]), m[2] ? num(m[2]) : 0, false, meridiemOf(m[3]))],
  },
  // 3 o'clock
  {
    starts: DIGITS,
    re: sticky("(\\d{1,2})\\s?o'?clock"),
    make: (m) => [time(num(m[1]), 0, false)],
  },
  // 14:00, 9:30, 07:30 (full-width colon is normalized)
  {
    starts: DIGITS,
    re: sticky(`(\\d{1,2})\\s?:\\s?(\\d{2})(?::\\d{2})?(?!\\d)(?:\\s?${AMPM})?`),
    make: (m) => [time(num(m[1]), num(m[2]), /^0\d$/.test(m[1] ?? '') || num(m[1]) >= 13, meridiemOf(m[3]))],
  },
  // 11.25, 11/25 (month first; 25/11 is read day first since 25 cannot be a month)
  {
    starts: DIGITS,
    re: sticky(
      '(?<![\\d./:,-])(\\d{1,2})[./](\\d{1,2})(?![\\d./:])(?!\\s?(?:元|块|小时|个|%|万|千|米|平|倍|折|分|斤|公里|岁|年|km|kg|h(?![a-z])|k(?![a-z])|m(?![a-z])))',
    ),
    make: (m, s) => {
      let [month, day] = [num(m[1]), num(m[2])];
      if (month > 12 && day <= 12) [month, day] = [day, month];
      return [date(monthDay(s.today, month, day))];
    },
  },
  // 三点, 3点, 9点半, 三点一刻, 3点15, 3点15分, 十四点, 14时 (时 only after Arabic digits)
  {
    starts: NUM_STARTS,
    re: sticky(`${LONE_ONE_O_CLOCK}(?:(\\d{1,2})\\s?[点时]|([${CN}]{1,3})\\s?点)(?:\\s?(半|一刻|三刻|两刻|钟|(\\d{1,2}|[${CN}]{1,3})(?![0-9${CN}号日月天周点时刻])\\s?分?))?`),
    make: (m, s) => {
      const hourText = m[1] ?? m[2] ?? '';
      const minuteText = m[4] ?? m[3]; // m[4]: the number of "15分"; m[3]: 半, 一刻, 钟 ...
      if (!plausibleChineseOne(hourText, minuteText !== undefined && minuteText !== '钟', s)) return undefined;
      const minute =
        minuteText === undefined || minuteText === '钟' ? 0
        : minuteText === '半' || minuteText === '两刻' ? 30
        : minuteText === '一刻' ? 15
        : minuteText === '三刻' ? 45
        : num(minuteText);
      const hour = num(hourText);
      return [time(hour, minute, hour >= 13 || /^0\d$/.test(hourText))];
    },
  },
  // 25号, 二十五日 (not 3号楼, not 一日三餐: a single Chinese digit before 日 is a count of days)
  {
    starts: NUM_STARTS,
    re: sticky(`(?![零〇一二两三四五六七八九]\\s?日)${NUM}\\s?[号日](?![楼院线门房室单栋座层位路街巷弄期])`),
    make: (m, s) => [date(dayOfMonth(s.today, num(m[1])))],
  },
  // the 25th, 1st
  {
    starts: `${DIGITS}t`,
    re: sticky('(?:the\\s)?(\\d{1,2})(?:st|nd|rd|th)(?![a-z])(?!\\s?floor)'),
    make: (m, s) => [date(dayOfMonth(s.today, num(m[1])))],
  },
  // 元旦, 春节, 过年, 大年初一, 除夕, 劳动节, 国庆, 中秋 (the next one)
  {
    starts: '元春过大除劳国中n',
    re: sticky('(元旦|春节|过年|大年初一|正月初一|除夕|大年三十|劳动节|国庆节?|中秋节?|new year(?:\'s day)?(?![a-z])|national day|mid-autumn)'),
    make: (m, s) => {
      const name = (m[1] ?? '').replace(/节$/, '').replace(/'s day$/, '');
      const found = festivalDate(name === '过年' || name === '大年初一' || name === '正月初一' ? '春节' : name, s.today);
      return found === null ? undefined : [date(found)];
    },
  },
  // 今天, 明天, 明儿, 后天, 大后天, 今晚, 明早
  {
    starts: '今明后大',
    re: sticky('大后天|后天|后日|今天|今日|今儿|今晚|今早|明天|明日|明儿|明早|明晨|明晚'),
    make: (m, s) => {
      const rel = CN_RELATIVE_DAYS[m[0]];
      if (!rel) return undefined;
      const found: Found[] = [date(plusDays(s.today, rel.days))];
      if (rel.period) found.push(period(rel.period));
      return found;
    },
  },
  // 周六, 星期六, 礼拜天, 这周三, 本周三, 下周二, 下个礼拜二, 下下周一, 周末 (not 每周三次)
  {
    starts: '下这本周星礼',
    re: sticky('(?:(下下|下|这|本)\\s?个?\\s?)?(?:周|星期|礼拜)([一二三四五六日天1-7末])(?![次个])'),
    make: (m, s) => {
      const dayChar = m[2] ?? '';
      const weekday = '一二三四五六'.indexOf(dayChar) + 1 || (dayChar === '末' ? 6 : /[1-7]/.test(dayChar) ? Number(dayChar) : 7);
      const mode = m[1] ? (CN_WEEK_MODE[m[1]] ?? 'upcoming') : 'upcoming';
      return [weekdayToken(weekdayDate(s.today, weekday, mode))];
    },
  },
  // 下个月1号, 下月3号, 下个月底, 本月25号, 这个月底
  {
    starts: '下这本',
    re: sticky(`(下个?|本|这个?)月\\s?(?:${NUM}\\s?[号日]|(底|末))`),
    make: (m, s) => {
      const offset = (m[1] ?? '').startsWith('下') ? 1 : 0;
      return [date(dayInMonth(s.today, offset, m[3] ? 'end' : num(m[2])))];
    },
  },
  // 月底, 月末
  {
    starts: '月',
    re: sticky('月[底末]'),
    make: (_m, s) => [date(dayInMonth(s.today, 0, 'end'))],
  },
  // 上午, 下午, 晚上, 凌晨 ... (not 早上好; a bare 早/晚 only before a number: 晚7点, not 晚一点)
  {
    starts: '凌清早一上中午晌下傍黄晚夜',
    re: sticky(
      `(凌晨|清晨|早上|早晨|一早|早间|上午|中午|午间|晌午|下午|午后|傍晚|黄昏|晚上|晚间|夜里|夜间|[早晚](?=\\s?(?:[0-9二两三四五六七八九十]|一(?!点))))(?!好)`,
    ),
    make: (m) => {
      const p = CN_PERIODS[m[1] ?? ''];
      return p ? [period(p)] : undefined;
    },
  },
  // the day after tomorrow
  {
    starts: 'td',
    re: sticky('(?:the\\s+)?day\\s+after\\s+tomorrow(?![a-z])'),
    make: (_m, s) => [date(plusDays(s.today, 2))],
  },
  // today, tonight, tomorrow
  {
    starts: 't',
    re: sticky('(today|tonight|tomorrow|tmrw|tmr)(?![a-z])'),
    make: (m, s) =>
      m[1] === 'tonight' ? [date(plusDays(s.today, 0)), period('evening')]
      : [date(plusDays(s.today, m[1] === 'today' ? 0 : 1))],
  },
  // this morning / this afternoon / this evening
  {
    starts: 't',
    re: sticky('this\\s+(morning|afternoon|evening)(?![a-z])'),
    make: (m, s) => {
      const p = EN_PERIODS[m[1] ?? ''];
      return p ? [date(plusDays(s.today, 0)), period(p)] : undefined;
    },
  },
  // Saturday, on Saturday, next Tuesday, this Friday, this weekend, tuesday next week
  {
    starts: 'ntcmwfs',
    re: sticky('(?:(next|this|coming)\\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)s?(?![a-z])(?:\\s+(next|this) week(?![a-z]))?'),
    make: (m, s) => {
      const weekday = m[2] === 'weekend' ? 6 : EN_WEEKDAYS.indexOf(m[2] ?? '') + 1;
      const mode = m[1] === 'next' || m[3] === 'next' ? 'next' : m[3] === 'this' ? 'this' : 'upcoming';
      return [weekdayToken(weekdayDate(s.today, weekday, mode))];
    },
  },
  // in 3 days, in two weeks, in a week
  {
    starts: 'i',
    re: sticky('in\\s+(\\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\\s+(days?|weeks?)(?![a-z])'),
    make: (m, s) => {
      const n = EN_SMALL_NUMBERS[m[1] ?? ''] ?? num(m[1]);
      return [relativeDays(s.today, (m[2] ?? '').startsWith('week') ? 7 * n : n)];
    },
  },
  // Nov 25, November 25th, Dec 1, 2026
  {
    starts: 'jfmasond',
    re: sticky(`${MONTHS}\\.?\\s?(\\d{1,2})(?:st|nd|rd|th)?(?!\\d)(?:,?\\s?(\\d{4})(?!\\d))?`),
    make: (m, s) => [date(dayMonthYear(s.today, monthOf(m[1]), num(m[2]), m[3]))],
  },
  // at 3, at 3pm, at 10:30, at 3 o'clock (not "at 3 bedrooms")
  {
    starts: 'a',
    re: sticky(
      `at\\s+(\\d{1,2})(?:[:.](\\d{2}))?(?![\\d:])(?:\\s?(?:${AMPM}|o'?clock))?(?!\\s?(?:days?|weeks?|hours?|hrs?|h|mins?|minutes?|months?|years?|people|persons?|rooms?|bedrooms?|floors?|sq|m2|square)(?![a-z]))`,
    ),
    make: (m) => [time(num(m[1]), m[2] ? num(m[2]) : 0, false, meridiemOf(m[3]))],
  },
  // morning, afternoon, evening, night, noon (not "good morning")
  {
    starts: 'maen',
    re: sticky('(?<!good )(morning|afternoon|evening|night|noon|midday)(?![a-z])'),
    make: (m) => {
      const p = EN_PERIODS[m[1] ?? ''];
      return p ? [period(p)] : undefined;
    },
  },
];

/** A date from an English month name, a day and an optional explicit year. */
function dayMonthYear(today: DateTime, month: number, day: number, year: string | undefined): string | null {
  return year ? exactDate(today, Number(year), month, day) : monthDay(today, month, day);
}

const RULES_BY_CHAR: ReadonlyMap<string, readonly Rule[]> = (() => {
  const map = new Map<string, Rule[]>();
  for (const rule of RULES) {
    for (const ch of rule.starts) map.set(ch, [...(map.get(ch) ?? []), rule]);
  }
  return map;
})();

/**
 * The union of all rules, global: one native search jumps straight to the next position where
 * some rule matches, instead of visiting every character from JavaScript.
 */
const ANY_RULE = new RegExp(RULES.map((rule) => `(?:${rule.re.source})`).join('|'), 'g');

// ---------------------------------------------------------------------------------------------
// Scanning

/** Stop after this many tokens: the first date and time are long known by then. */
const MAX_TOKENS = 64;
/**
 * Stop after this many rejected candidates (a match a rule's checks turned down, such as the
 * unreadable numeral in 一二天后). Bounds the work on adversarial text; real messages have a few.
 */
const MAX_REJECTIONS = 256;
const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const isLatin = (ch: string): boolean => ch >= 'a' && ch <= 'z';

/** A rule may start here unless that would begin in the middle of a number or a word. */
function mayStartAt(text: string, i: number, atTokenBoundary: boolean): boolean {
  if (i === 0 || atTokenBoundary) return true;
  const ch = text.charAt(i);
  const prev = text.charAt(i - 1);
  if (isDigit(ch)) return !isDigit(prev);
  if (isLatin(ch)) return !isLatin(prev) && !isDigit(prev);
  if (CN.includes(ch)) return !CN.includes(prev);
  return true;
}

function scan(text: string, today: DateTime): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let consumedTo = -1;
  let rejections = 0;
  while (i < text.length && tokens.length < MAX_TOKENS && rejections < MAX_REJECTIONS) {
    ANY_RULE.lastIndex = i;
    const hit = ANY_RULE.exec(text);
    if (hit === null) break;
    const at = hit.index;
    const rules = RULES_BY_CHAR.get(text.charAt(at));
    const next = rules && mayStartAt(text, at, at === consumedTo) ? tryRules(rules, text, at, today, tokens) : undefined;
    if (next === undefined) {
      i = at + 1;
      rejections++;
    } else {
      i = next;
      consumedTo = next;
    }
  }
  return tokens;
}

/** Tries the rules at position i; pushes the tokens of the first that matches and returns its end. */
function tryRules(rules: readonly Rule[], text: string, i: number, today: DateTime, tokens: Token[]): number | undefined {
  let state: ScanState | undefined; // built only once something matched: most positions match nothing
  for (const rule of rules) {
    rule.re.lastIndex = i;
    const m = rule.re.exec(text);
    if (m === null || m[0].length === 0) continue;
    state ??= scanState(text, i, today, tokens);
    const found = rule.make(m, state);
    if (!found) continue;
    const end = i + m[0].length;
    for (const f of found) tokens.push({ ...f, at: i, end } as Token);
    return end;
  }
  return undefined;
}

function scanState(text: string, at: number, today: DateTime, tokens: readonly Token[]): ScanState {
  const previous = tokens[tokens.length - 1];
  if (previous === undefined) return { text, today, at, adjacent: false };
  return { text, today, at, previous, adjacent: text.slice(previous.end, at).trim() === '' };
}

// ---------------------------------------------------------------------------------------------
// Assembling a When

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Turns a time token into HH:mm (and a day shift for 晚上12点), using the nearby period if any. */
function clockTime(t: TimeToken, p: Period | undefined): { time: string; dayShift: number } | undefined {
  let { hour } = t;
  const { minute } = t;
  if (!Number.isInteger(hour) || !Number.isInteger(minute) || minute < 0 || minute > 59) return undefined;
  if (hour < 0 || hour > 23) return undefined;
  let dayShift = 0;
  if (t.meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = t.meridiem === 'am' ? hour % 12 : (hour % 12) + 12;
  } else if (p === 'afternoon') {
    if (hour >= 1 && hour <= 11) hour += 12;
  } else if (p === 'noon') {
    if (hour >= 1 && hour <= 5) hour += 12;
  } else if (p === 'evening') {
    if (hour >= 5 && hour <= 11) hour += 12;
    else if (hour === 12) [hour, dayShift] = [0, 1];
    else if (hour <= 4) dayShift = 1;
  } else if (p === undefined && !t.fixed && hour >= 1 && hour <= 7) {
    hour += 12; // a bare 3点 in a booking means 15:00
  }
  return { time: `${pad2(hour)}:${pad2(minute)}`, dayShift };
}

/** The period word closest to the time token, if it is within a few characters. */
function periodNear(tokens: readonly Token[], t: TimeToken): Period | undefined {
  let best: { distance: number; period: Period } | undefined;
  for (const token of tokens) {
    if (token.kind !== 'period') continue;
    const distance = token.end <= t.at ? t.at - token.end : token.at - t.end;
    if (distance >= 0 && distance <= 15 && (best === undefined || distance < best.distance)) {
      best = { distance, period: token.period };
    }
  }
  return best?.period;
}

/**
 * The date a message's time belongs to when it names several: a calendar date beats a weekday
 * ("thursday dec 10"), then the date nearest the time wins ("亲戚19号过来住，18号上午九点半",
 * "房东明天来看房，今晚7点"); with no time, the first date.
 */
function dateFor(tokens: readonly Token[], timeToken: TimeToken | undefined): DateToken | undefined {
  const dates = tokens.filter((t): t is DateToken => t.kind === 'date');
  const written = dates.some((t) => !t.weekday) ? dates.filter((t) => !t.weekday) : dates;
  if (timeToken === undefined || written.length < 2) return written[0];
  const distance = (t: DateToken): number => (t.end <= timeToken.at ? timeToken.at - t.end : t.at - timeToken.end);
  return written.reduce((best, t) => (distance(t) < distance(best) ? t : best));
}

function assemble(tokens: readonly Token[], today: DateTime, text: string): When | undefined {
  const timeToken = tokens.find((t): t is TimeToken => t.kind === 'time');
  const dateToken = dateFor(tokens, timeToken);
  const clock = timeToken ? clockTime(timeToken, periodNear(tokens, timeToken)) : undefined;
  const when: When = {};
  if (dateToken?.date) {
    when.date = clock?.dayShift
      ? formatDate(DateTime.fromISO(dateToken.date, { zone: today.zone }).plus({ days: clock.dayShift }))
      : dateToken.date;
  }
  if (clock) when.time = clock.time;
  else {
    const periodToken = tokens.find((t): t is PeriodToken => t.kind === 'period');
    if (periodToken) when.period = periodToken.period;
  }
  if (dateToken && !dateToken.date) {
    when.rejected = { written: text.slice(dateToken.at, dateToken.end).trim(), reason: dateToken.outOfRange ? 'out_of_range' : 'impossible' };
  }
  return when.date || when.time || when.period || when.rejected ? when : undefined;
}

function startOfToday(opts: WhenOptions): DateTime | undefined {
  if (!(opts.now instanceof Date) || Number.isNaN(opts.now.getTime())) return undefined;
  const current = DateTime.fromJSDate(opts.now, { zone: tz(opts.zone) });
  return current.isValid ? current.startOf('day') : undefined;
}

/**
 * Finds the date, time and/or period of day in a customer's message, relative to `now` in the
 * company `zone`. Returns undefined when the text names none of them (or only an invalid time,
 * like 25点), and never throws. A date that cannot be meant (2月30日, 100000天后) is reported in
 * `rejected`, never dropped.
 */
export function parseWhen(text: string, opts: WhenOptions): When | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const today = startOfToday(opts);
  if (!today) return undefined;
  const normalized = normalizeText(text);
  return assemble(scan(normalized, today), today, normalized);
}

// ---------------------------------------------------------------------------------------------
// Resolving a When

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Combines a When into an instant: date+time exact; date+period uses a default time (morning
 * 09:00, noon 12:00, afternoon 14:00, evening 19:00); date only -> 00:00 that day; time or period
 * only -> the next such moment after now (today if still ahead, else tomorrow).
 * @throws DeskError INVALID_ARGUMENT for a rejected date (there is no instant to give), an empty When, a malformed date/time, an invalid `now` or `zone`.
 */
export function resolveWhen(
  when: When,
  opts: WhenOptions,
): { start: Date; precision: 'day' | 'period' | 'minute' } {
  const current = DateTime.fromJSDate(opts.now, { zone: tz(opts.zone) });
  if (!current.isValid) throw new DeskError(ErrorCode.InvalidArgument, `resolveWhen: invalid now or zone (${current.invalidReason})`);
  const clock = when.time ?? (when.period ? PERIOD_DEFAULT_TIME[when.period] : undefined);
  const precision = when.time ? 'minute' : when.period ? 'period' : 'day';
  const hhmm = HHMM.exec(clock ?? '00:00');
  if (!hhmm) throw new DeskError(ErrorCode.InvalidArgument, `resolveWhen: malformed time "${clock}"`);
  const parts = { hour: Number(hhmm[1]), minute: Number(hhmm[2]), second: 0, millisecond: 0 };
  if (when.rejected) throw new DeskError(ErrorCode.InvalidArgument, `resolveWhen: the date "${when.rejected.written}" is ${when.rejected.reason}`);

  if (when.date) {
    const day = DateTime.fromISO(when.date, { zone: tz(opts.zone) });
    if (!day.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(when.date)) {
      throw new DeskError(ErrorCode.InvalidArgument, `resolveWhen: malformed date "${when.date}"`);
    }
    return { start: day.set(parts).toJSDate(), precision };
  }
  if (clock === undefined) throw new DeskError(ErrorCode.InvalidArgument, 'resolveWhen: the When has no date, time or period');
  let start = current.set(parts);
  if (start <= current) start = current.plus({ days: 1 }).set(parts);
  return { start: start.toJSDate(), precision };
}
