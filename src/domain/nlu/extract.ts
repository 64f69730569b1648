/**
 * Small pure extractors used by the booking dialogue: phone number, salutation, name, yes/no
 * and visit frequency, plus the text helpers the rest of the NLU shares.
 */
import { CHINESE_NUMERAL_CHARS, parseChineseNumeral } from './numerals.ts';

/**
 * Normalizes free text for matching: NFKC (full-width digits, letters and punctuation become
 * ASCII, e.g. "１４：００" -> "14:00"), lower case, and typographic apostrophes become "'".
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u0060\u00b4]/g, "'");
}

// ---------------------------------------------------------------------------------------------
// Phone

/**
 * Finds a mainland mobile number (1[3-9] + 9 digits) and returns its 11 digits. Accepts spaces,
 * dashes, dots and brackets between digits, a +86 / 86 / 0086 prefix and full-width digits.
 */
export function parsePhone(text: string): string | undefined {
  const compact = text.normalize('NFKC').replace(/[\s\-\u2010-\u2015().]/g, '');
  const match = /(?<!\d)(?:\+?86|0086)?(1[3-9]\d{9})(?!\d)/.exec(compact);
  return match?.[1];
}

// ---------------------------------------------------------------------------------------------
// Salutation

const SALUTATION_PATTERNS: ReadonlyArray<{ re: RegExp; value: '先生' | '女士' }> = [
  { re: /女士|小姐|太太|夫人|女(?!儿|孩|朋友|童|宝|婿)/, value: '女士' },
  { re: /先生|男(?!孩|朋友|童|宝|儿)/, value: '先生' },
  { re: /\b(?:ms|mrs|miss|madam|madame|ma'am|female|woman|lady)\b/, value: '女士' },
  { re: /\b(?:mr|mister|sir|male|gentleman)\b/, value: '先生' },
];

/**
 * How to address the customer: 先生/男/Mr/sir/male -> 先生; 女士/小姐/太太/女/Ms/Mrs/Miss/madam/
 * female -> 女士. When both occur, the earliest wins.
 */
export function parseSalutation(text: string): '先生' | '女士' | undefined {
  const s = normalizeText(text);
  let best: { index: number; value: '先生' | '女士' } | undefined;
  for (const { re, value } of SALUTATION_PATTERNS) {
    const match = re.exec(s);
    if (match && (best === undefined || match.index < best.index)) best = { index: match.index, value };
  }
  return best?.value;
}

// ---------------------------------------------------------------------------------------------
// Name

const MAX_NAME_LENGTH = 20;
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '令狐', '慕容', '司徒', '夏侯', '尉迟', '公孙',
  '长孙', '宇文', '澹台', '端木', '独孤', '南宫', '西门', '百里', '呼延', '轩辕', '钟离', '闻人',
]);
/** Characters that practically never occur in a name but often in other short replies. */
const NON_NAME_CHARS = /[的了吗呢吧啊呀哦嗯是不我你他她们在有没这那么怎哪谁请谢要]/u;
const NON_NAME_WORDS =
  /今天|明天|后天|上午|下午|中午|晚上|早上|你好|您好|谢谢|不用|可以|没有|好的|保洁|阿姨|预约|取消|多少|什么|怎么|人工|客服|投诉|价格|服务|订单|小区|单元|花园|家园|大厦|公寓|玻璃|空调|消杀|算了|退出/u;
const NON_NAME_LATIN = new Set([
  'yes', 'no', 'ok', 'okay', 'y', 'n', 'hi', 'hello', 'hey', 'help', 'menu', 'start', 'sure',
  'thanks', 'thank you', 'nope', 'cancel', 'book', 'price', 'fine', 'good', 'yeah',
]);
const NAME_STOP_WORDS = /电话|手机|号码|地址|联系|住在|住|的|就|即可|吧|哈|，|,|。|\s/u;
const HONORIFIC_SUFFIX = /(?:先生|女士|小姐|太太|夫人)$/u;
const HAN = /^\p{Script=Han}+$/u;

/** Keeps the surname of a Han run that precedes 先生/女士...: 1 char, or 2 for 欧阳-like names. */
function surnameBefore(run: string): string | undefined {
  const two = run.slice(-2);
  if (two.length === 2 && COMPOUND_SURNAMES.has(two)) return two;
  const one = run.slice(-1);
  return one && !NON_NAME_CHARS.test(one) ? one : undefined;
}

/** Surname right after 姓: 1 char, or 2 for compound surnames. */
function surnameAfter(run: string): string | undefined {
  const two = run.slice(0, 2);
  if (COMPOUND_SURNAMES.has(two)) return two;
  const one = run.slice(0, 1);
  return one && !NON_NAME_CHARS.test(one) ? one : undefined;
}

/** Cleans a Chinese name candidate: cut at stop words, drop 先生/女士 to the surname, cap length. */
function cleanHanName(candidate: string): string | undefined {
  let name = candidate;
  const stop = NAME_STOP_WORDS.exec(name);
  if (stop) name = name.slice(0, stop.index);
  name = name.replace(/[啊呀吧呢哦了]+$/u, '');
  if (HONORIFIC_SUFFIX.test(name)) return surnameBefore(name.replace(HONORIFIC_SUFFIX, ''));
  const limit = COMPOUND_SURNAMES.has(name.slice(0, 2)) ? 4 : 3;
  name = name.slice(0, limit);
  if (name === '' || NON_NAME_CHARS.test(name) || NON_NAME_WORDS.test(name)) return undefined;
  return name;
}

/** Cleans an English name candidate: up to three words, stopping at filler words. */
function cleanLatinName(candidate: string): string | undefined {
  const words: string[] = [];
  for (const word of candidate.trim().split(/\s+/)) {
    if (/^(?:and|my|phone|number|please|from|here|i|calling|at|on|tel|mobile|is)$/i.test(word)) break;
    if (!/^[A-Za-z][A-Za-z'-]*$/.test(word)) break;
    words.push(word);
    if (words.length === 3) break;
  }
  const name = words.join(' ');
  if (name === '' || NON_NAME_LATIN.has(name.toLowerCase())) return undefined;
  return name;
}

const capName = (name: string | undefined): string | undefined =>
  name === undefined ? undefined : [...name].slice(0, MAX_NAME_LENGTH).join('').trim() || undefined;

/**
 * Picks the customer's name out of a reply: 我姓张 -> 张; 张先生 -> 张; 王女士 -> 王; 张伟 -> 张伟;
 * "my name is Li Wei" -> "Li Wei"; "Mr Smith" -> "Smith". Strips punctuation, caps the result at
 * 20 characters, and returns undefined when nothing looks like a name.
 */
export function parseName(text: string): string | undefined {
  const s = text.normalize('NFKC').trim();
  if (s === '') return undefined;

  const surname = /(?:^|[^百贵])姓\s*(\p{Script=Han}{1,2})/u.exec(s);
  if (surname?.[1]) return capName(surnameAfter(surname[1]));

  const introHan = /(?:我叫|我的名字是|我的名字叫|名字是|名字叫|叫我|我是|本人)\s*(\p{Script=Han}{1,8})/u.exec(s);
  if (introHan?.[1]) {
    const name = cleanHanName(introHan[1]);
    if (name) return capName(name);
  }

  const introLatin =
    /\b(?:my name is|my name's|name is|name:|i am|i'm|this is|call me)\s*(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?([A-Za-z][A-Za-z' -]{0,60})/i.exec(s);
  if (introLatin?.[1]) {
    const name = cleanLatinName(introLatin[1]);
    if (name) return capName(name);
  }

  const honorificLatin = /\b(?:mr|mrs|ms|miss|dr|madam)\.?\s+([A-Za-z][A-Za-z'-]*)/i.exec(s);
  if (honorificLatin?.[1]) return capName(honorificLatin[1]);

  const honorificHan = /(\p{Script=Han}{1,2})(?:先生|女士|小姐|太太|夫人)/u.exec(s);
  if (honorificHan?.[1]) {
    const name = surnameBefore(honorificHan[1]);
    if (name) return capName(name);
  }

  return capName(bareName(s));
}

/** A reply that is nothing but a name: 1-4 Han characters or 1-4 Latin words. */
function bareName(s: string): string | undefined {
  if (/\d/.test(s)) return undefined;
  const cleaned = s.replace(/[^\p{L}\s'-]/gu, ' ').replace(/\s+/g, ' ').trim();
  if (HAN.test(cleaned) && cleaned.length <= 4) {
    if (NON_NAME_CHARS.test(cleaned) || NON_NAME_WORDS.test(cleaned)) return undefined;
    return cleaned;
  }
  if (/^[A-Za-z][A-Za-z'-]*(?: [A-Za-z][A-Za-z'-]*){0,3}$/.test(cleaned)) {
    return NON_NAME_LATIN.has(cleaned.toLowerCase()) ? undefined : cleaned;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Yes / no

const AMBIGUOUS =
  /是不是|好不好|行不行|可不可以|对不对|要不要|确不确定|能不能|不确定|不知道|不一定|不清楚|再说|再看|考虑|想想|也许|或许|可能|随便|\bmaybe\b|\bnot sure\b|\bperhaps\b|\bdunno\b|\bidk\b/;
const YES_DESPITE_NEGATION = /^(?:没问题|没事|不错|no problem|no worries)/;
const NO_PREFIX = /^(?:不|否|算了|别|没有|没|取消)/;
const YES_PREFIX = /^(?:是|对|好|确认|确定|可以|行|嗯|恩|没错|要的|要|ok|好滴|当然)/;
const YES_WORDS = new Set(['yes', 'y', 'yeah', 'yep', 'yup', 'ok', 'okay', 'k', 'sure', 'confirm', 'confirmed', 'correct', 'right', 'fine', 'absolutely', 'definitely', 'agreed']);
const NO_WORDS = new Set(['no', 'n', 'nope', 'nah', 'never', "don't", 'dont', 'cancel']);

const SYMBOL = /^[\s\p{P}\p{S}]$/u;

/**
 * Strips spaces, punctuation and symbols (emoji) from both ends. Written as a loop: a regex like
 * /[\s\p{P}]+$/ backtracks quadratically on a long run of spaces followed by a letter.
 */
function trimSymbols(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end) {
    const ch = String.fromCodePoint(s.codePointAt(start) ?? 0);
    if (!SYMBOL.test(ch)) break;
    start += ch.length;
  }
  while (end > start) {
    const low = s.charCodeAt(end - 1);
    const size = low >= 0xdc00 && low <= 0xdfff && end - 2 >= start ? 2 : 1;
    if (!SYMBOL.test(s.slice(end - size, end))) break;
    end -= size;
  }
  return s.slice(start, end);
}

/**
 * Reads a yes/no answer: 是/对/好/确认/可以/行/没问题/嗯/yes/ok/sure... -> 'yes'; 不/不是/否/不用/
 * 不要/算了/no/nope... -> 'no'; questions (可以吗？), 是不是-style and hedged answers -> undefined.
 */
export function parseYesNo(text: string): 'yes' | 'no' | undefined {
  let s = trimSymbols(normalizeText(text));
  if (s === '') return undefined;
  if (/[?]$/.test(text.normalize('NFKC').trim()) || /[吗么]$/.test(s)) return undefined;
  if (AMBIGUOUS.test(s)) return undefined;
  // A leading filler ("嗯，不用了") does not decide the answer when more follows.
  const rest = s.replace(/^(?:嗯|呃|额|哦|噢|en|um|uh)+[\s\p{P}]*/u, '');
  if (rest !== '') s = rest;
  if (YES_DESPITE_NEGATION.test(s) || /^of course\b/.test(s)) return 'yes';
  if (NO_PREFIX.test(s)) return 'no';
  if (YES_PREFIX.test(s)) return 'yes';
  const firstWord = /^[a-z']+/.exec(s)?.[0];
  if (firstWord === 'not') return 'no';
  if (firstWord && YES_WORDS.has(firstWord)) return 'yes';
  if (firstWord && NO_WORDS.has(firstWord)) return 'no';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Frequency

/** How often the customer wants the service (DOMAIN §1 Frequency). */
export type Frequency = { kind: 'once' } | { kind: 'weekly'; perWeek: number } | { kind: 'biweekly' } | { kind: 'monthly' };

const NUM = `(\\d{1,2}|[${CHINESE_NUMERAL_CHARS}]{1,3})`;
const EN_COUNT: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, once: 1, twice: 2, thrice: 3,
};
const BIWEEKLY = /每\s?(?:两|隔|二|2|隔一)\s?个?\s?(?:周|星期|礼拜)|隔周|双周|半个?月一次|biweekly|fortnightly|every other week|every (?:two|2) weeks/;
const MONTHLY = /每\s?个?\s?月|一个?月一次|monthly|every month|once a month/;
const NOT_WEEKLY = /每\s?(?:三|四|3|4)\s?个?\s?(?:周|星期|礼拜)|every (?:three|3) weeks/;
const CN_TIMES_PER_WEEK = new RegExp(`(?:每|一)\\s?个?\\s?(?:周|星期|礼拜)\\s?${NUM}\\s?次`);
const EN_TIMES_PER_WEEK =
  /\b(\d|one|two|three|four|five|six|seven|once|twice|thrice)(?:\s*(?:times|x))?\s*(?:a|per|each|every)\s+week\b/;
const CN_WEEKDAY_LIST = /每\s?个?\s?(?:周|星期|礼拜)((?:[\s、,和与及跟还有以到至~-]|周|星期|礼拜|[一二三四五六日天1-7])+)/;
const EN_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const EN_WEEKDAY_LIST = /\bevery\s+((?:mon|tues|wednes|thurs|fri|satur|sun)days?(?:\s*(?:,|and|&)\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?))*)/;
const DAILY = /每天|天天|每日|\bdaily\b|\bevery ?day\b/;
const WEEKLY = /每\s?个?\s?(?:周|星期|礼拜)|一周一次|\bweekly\b|\bevery week\b|\beach week\b|\bper week\b/;
const ONCE =
  /一次性|单次|就这一次|就一次|只要一次|只这一次|只做一次|临时|(?<!第)一次|\bonce\b|\bone[- ]off\b|\bone[- ]time\b|\bsingle\b/;

const weekly = (perWeek: number): Frequency | undefined =>
  Number.isInteger(perWeek) && perWeek >= 1 && perWeek <= 7 ? { kind: 'weekly', perWeek } : undefined;

/** Counts the weekdays in "二和周五" / "一三五" / "一到五" (ranges count every day in them). */
function countChineseWeekdays(list: string): number {
  const days = new Set<number>();
  let previous: number | undefined;
  let ranging = false;
  for (const ch of list) {
    const day = '一二三四五六'.indexOf(ch) + 1 || ('日天'.includes(ch) ? 7 : Number(/[1-7]/.test(ch) ? ch : 0));
    if (day) {
      if (ranging && previous !== undefined && day > previous) for (let d = previous; d <= day; d++) days.add(d);
      days.add(day);
      previous = day;
      ranging = false;
    } else if ('到至~-'.includes(ch)) {
      ranging = true;
    }
  }
  return days.size;
}

/**
 * Reads how often: 一次/单次/一次性/once/one-off -> once; 每周两次/一周2次/每周二和周五/每周/
 * twice a week/weekly/every week/每天 -> weekly with perWeek 1..7; 每两周/隔周/biweekly ->
 * biweekly; 每月/monthly -> monthly. Every three weeks and more than 7 a week give undefined.
 */
export function parseFrequency(text: string): Frequency | undefined {
  const s = normalizeText(text);
  if (NOT_WEEKLY.test(s)) return undefined;
  if (BIWEEKLY.test(s)) return { kind: 'biweekly' };
  if (MONTHLY.test(s) && !/每个?月\s?(?:[两二三四2-4]|几)\s?次/.test(s)) return { kind: 'monthly' };
  const cnTimes = CN_TIMES_PER_WEEK.exec(s);
  if (cnTimes?.[1]) {
    const n = parseChineseNumeral(cnTimes[1]);
    return n === undefined ? undefined : weekly(n);
  }
  const enTimes = EN_TIMES_PER_WEEK.exec(s);
  if (enTimes?.[1]) return weekly(EN_COUNT[enTimes[1]] ?? Number(enTimes[1]));
  const cnDays = CN_WEEKDAY_LIST.exec(s);
  if (cnDays?.[1]) {
    const count = countChineseWeekdays(cnDays[1]);
    if (count > 0) return weekly(count);
  }
  const enDays = EN_WEEKDAY_LIST.exec(s);
  if (enDays?.[1]) return weekly(EN_DAYS.filter((day) => enDays[1]?.includes(day.slice(0, 3))).length);
  if (DAILY.test(s)) return weekly(7);
  if (WEEKLY.test(s)) return weekly(1);
  if (ONCE.test(s)) return { kind: 'once' };
  return undefined;
}

/** The stored form of a frequency: "once", "weekly:N", "biweekly" or "monthly". */
export function frequencyCode(f: Frequency): string {
  return f.kind === 'weekly' ? `weekly:${f.perWeek}` : f.kind;
}

// ---------------------------------------------------------------------------------------------
// Address

/** Words a Chinese address is made of: road, number, building, unit, room, estate. */
const ADDRESS_WORD = /路|街|道|巷|弄|胡同|号|栋|幢|座|楼|单元|室|层|小区|花园|家园|公寓|大厦|广场|苑|园|村|镇|乡|区|县|市|省|里|院|府|庭|湾|城|阁|居|舍|厦|中心|新村|\d+[-#]\d+/u;
/** Words of a question or a request, never of an address. */
const NOT_ADDRESS = /[?？]|吗$|呢$|多少|什么|怎么|为什么|如何|能不能|可不可以|请问|问问|问一?下|等一?下|算了|不约|谢谢|价格|收费|费用|几点|明天|后天|今天|上午|下午|晚上|\bhow\b|\bwhat\b|\bwhen\b|\bprice\b/u;
/** An English street address: a number and a word (12 Baker Street, Room 501). */
const LATIN_ADDRESS = /\d+[a-z]?\s+[a-z]{2,}|[a-z]{2,}\s+\d+/i;

/**
 * Whether a reply looks like a service address (DOMAIN §1 booking): it names a road, building,
 * estate or room (阳光小区3栋501, 人民路88号, 12 Baker Street), and it is not a question or a
 * request (等一下，我想先问问擦玻璃多少钱 is not an address).
 */
export function looksLikeAddress(text: string): boolean {
  const s = normalizeText(text).trim();
  if (NOT_ADDRESS.test(s)) return false;
  return ADDRESS_WORD.test(s) || LATIN_ADDRESS.test(s);
}
