/**
 * What a customer's complaint text is about, how much money it mentions and whether it says the
 * matter came up before (DOMAIN §2, the structured answers behind the proposed grade).
 * Keyword rules, Chinese and English. Every function is total: any string, of any length, gives
 * an answer in time linear in its length (literal look-ups and bounded regular expressions only).
 */
import { normalizeText } from '../nlu/extract.ts';
import { parseChineseNumeral } from '../nlu/numerals.ts';

export const CATEGORIES = ['no_show', 'late', 'quality', 'damage', 'loss', 'attitude', 'price', 'safety', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Cue words per category: Chinese substrings and an English pattern of whole words. */
interface Cues {
  zh: readonly string[];
  en: RegExp;
}

/**
 * Checked in this order and the first match wins: the more serious matter decides when a text
 * names several ("迟到了还把花瓶打碎了" is damage), and a failed service outranks the manner of
 * the person who delivered it ("打扫不干净，态度还差" is quality).
 */
const CUES: readonly (readonly [Exclude<Category, 'other'>, Cues])[] = [
  [
    'safety',
    {
      zh: [
        '漏水', '渗水', '爆管', '水管爆', '淹了', '着火', '起火', '失火', '火灾', '冒烟', '漏电', '触电',
        '漏气', '燃气', '煤气', '受伤', '伤到', '弄伤', '摔伤', '烫伤', '割伤', '流血', '过敏', '中毒',
        '有毒', '呛', '头晕', '味道太大', '气味太大', '味道很大', '刺鼻', '安全隐患', '危险',
      ],
      en: /\b(?:fire|smoke|leak|leaks|leaking|leaked|flood|flooded|flooding|injured|injury|injuries|hurt|bleeding|allergy|allergic|poison|poisoned|poisoning|toxic|electric shock|gas|unsafe|dangerous)\b/,
    },
  ],
  [
    'damage',
    {
      zh: [
        '打碎', '摔碎', '碰碎', '碎了', '打破', '弄破', '划破', '弄坏', '搞坏', '碰坏', '摔坏', '洗坏', '擦坏',
        '刷坏', '烫坏', '泡坏', '用坏', '损坏', '损毁', '划伤', '刮伤', '划花', '刮花', '划痕', '磨损', '掉漆',
      ],
      en: /\b(?:broke|broken|break|breaking|damage|damaged|damaging|scratch|scratched|scratches|cracked|smashed|shattered|ruined|chipped)\b/,
    },
  ],
  [
    'loss',
    {
      zh: ['丢了', '丢失', '弄丢', '遗失', '不见了', '找不到了', '少了', '被偷', '偷了', '偷走', '失窃', '顺走', '拿走了'],
      en: /\b(?:lost|missing|stolen|stole|steal|theft|disappeared)\b/,
    },
  ],
  [
    'no_show',
    {
      zh: ['没来', '没有来', '没人来', '没有人来', '没上门', '没有上门', '没出现', '人没到', '放鸽子', '放我鸽子', '爽约', '失约'],
      en: /\b(?:didn't show|did not show|never showed|no show|no-show|didn't come|did not come|never came|nobody came|no one came|didn't turn up|did not turn up|never turned up|stood me up|stood us up)\b/,
    },
  ],
  [
    'late',
    {
      zh: ['迟到', '来晚', '晚到', '晚来', '晚了', '不准时', '没准时', '没有准时', '不守时', '误时'],
      en: /\b(?:late|delayed|delay|not on time|wasn't on time|weren't on time)\b/,
    },
  ],
  [
    'price',
    {
      zh: [
        '多收', '乱收', '价格不对', '价格不一样', '收费不对', '收费不合理', '费用不对', '加价', '加钱', '多要',
        '多付', '收贵', '太贵', '贵了', '被坑', '坑人', '宰客', '价格', '收费', '退款', '退钱', '账单',
      ],
      en: /\b(?:overcharge|overcharged|overcharging|charged|price|prices|pricing|too expensive|bill|billed|refund|fee|fees)\b/,
    },
  ],
  [
    'quality',
    {
      zh: [
        '不干净', '没干净', '没擦干净', '没打扫干净', '没弄干净', '没洗干净', '没拖干净', '不彻底', '敷衍', '马虎',
        '偷工减料', '应付了事', '草草了事', '漏擦', '漏扫', '没打扫', '没擦', '没拖', '没洗', '没做完', '灰尘',
        '很脏', '太脏', '好脏', '挺脏', '真脏', '还是脏', '还脏', '脏兮兮', '脏乱', '污渍', '水渍', '质量',
        '不认真', '不专业', '效果差', '效果不好',
      ],
      en: /\b(?:dirty|not clean|not cleaned|wasn't cleaned|sloppy|careless|poor job|bad job|poor quality|low quality|dust|dusty|stain|stains|missed|unprofessional|half-done|half done)\b/,
    },
  ],
  [
    'attitude',
    {
      zh: [
        '态度', '骂', '脏话', '不礼貌', '没礼貌', '没有礼貌', '无礼', '粗鲁', '玩手机', '看手机', '凶', '吼',
        '顶嘴', '吵架', '脾气', '甩脸', '脸色', '白眼', '不耐烦', '爱答不理', '不理人', '不尊重', '抽烟', '吸烟',
        '偷懒', '乱翻',
      ],
      en: /\b(?:rude|rudely|impolite|attitude|yelled|yelling|shouted|shouting|swore|swearing|disrespectful|unfriendly|smoking|lazy|on (?:her|his|their) phone)\b/,
    },
  ],
];

/** Phrases that contain a cue but mean something else: "没来得及擦" is "had no time to wipe" (没擦). */
const FALSE_CUES = /没来得及|没有来得及/g;

/** Normal form for matching: NFKC, lower case, runs of white space as one space. */
function prepare(text: unknown): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  return normalizeText(text).replace(/\s+/g, ' ');
}

/** The category of a complaint text, Chinese or English. */
export function classifyComplaint(text: string): Category {
  const t = prepare(text).replace(FALSE_CUES, '没');
  if (t.length === 0) return 'other';
  for (const [category, cues] of CUES) {
    if (cues.zh.some((cue) => t.includes(cue)) || cues.en.test(t)) return category;
  }
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** A number in text: Arabic with an optional magnitude (1.5万, 2k), or a Chinese numeral. */
const NUMBER = /(\d+(?:,\d{3})*(?:\.\d+)?) ?(万|千|百|k|w)?|([零〇一二两三四五六七八九十百千万]+)/g;
const MAGNITUDE: Readonly<Record<string, number>> = { 万: 10000, 千: 1000, 百: 100, k: 1000, w: 10000 };
/** Units after a number that make it money; 块 is handled apart (一块手表 is a watch). */
const CURRENCY_AFTER = ['元', '圆', 'rmb', 'yuan', 'kuai', 'cny', '人民币'];
const CURRENCY_BEFORE = ['¥', 'rmb', 'cny', '人民币'];
/** Words shortly before a bare number that make it money ("赔500", "花了800"). */
const MONEY_CONTEXT = [
  '赔', '损失', '值', '价值', '花了', '收了', '收我', '多收', '付了', '交了', '费', '钱', '退', '补偿', '罚',
  'cost', 'worth', 'paid', 'pay', 'charged', 'charge', 'refund', 'compensat', 'lost', 'loss', 'price', 'fee',
];
/** Approximation words between a number and its unit: 两千多块, 两百来块, 2000左右. */
const APPROX = ['左右', '多', '余', '来'];
/** Characters after a number that still let it stand alone as an amount: 两千的花瓶, 1.5万了. */
const AMOUNT_END = new Set(['的', '了', '吧', '啊', '呢', '呀', '哦', '吗', '元', '块', '钱']);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const CJK = /\p{Script=Han}/u;
const MAX_AMOUNT = 1e9; // above this it is a phone or order number, not money

function skipSpaces(t: string, i: number): number {
  while (t.charAt(i) === ' ') i += 1;
  return i;
}

/** How a number is followed: by a currency, by nothing that names another unit, or by a unit. */
function follower(t: string, end: number, value: number): 'currency' | 'free' | 'unit' {
  let i = skipSpaces(t, end);
  const approx = APPROX.find((w) => t.startsWith(w, i));
  if (approx) i = skipSpaces(t, i + approx.length);
  if (CURRENCY_AFTER.some((w) => t.startsWith(w, i))) return 'currency';
  if (t.startsWith('块', i)) {
    const next = t.charAt(i + 1);
    if (next === '钱' || next === '' || !CJK.test(next) || AMOUNT_END.has(next) || '左多'.includes(next)) return 'currency';
    return value >= 10 ? 'currency' : 'unit'; // 两千块买的 is money, 一块手表 is a watch
  }
  const next = t.charAt(i);
  if (next === '' || AMOUNT_END.has(next)) return 'free';
  if (next === ':' || next === '%' || LETTER_OR_DIGIT.test(next)) return 'unit';
  return 'free';
}

/** The amount of money a text mentions, in yuan (e.g. "花瓶值两千块" -> 2000, "损失约1.5万" -> 15000, "赔500元" -> 500, "about 300 yuan" -> 300, "¥80" -> 80), or undefined. Chinese numerals including 两千, 三百五, 一万二, 1.5万, 2k. When several amounts are named, the largest (the loss, rather than a part of it). */
export function mentionedAmount(text: string): number | undefined {
  const t = prepare(text);
  let best: number | undefined;
  for (const m of t.matchAll(NUMBER)) {
    const start = m.index;
    const end = start + m[0].length;
    let value: number | undefined;
    let magnitude = false;
    if (m[1] !== undefined) {
      const mag = m[2];
      if ((mag === 'k' || mag === 'w') && /[a-z]/.test(t.charAt(end))) continue; // 2kg, 3wd
      value = Number(m[1].replace(/,/g, '')) * (mag ? (MAGNITUDE[mag] ?? 1) : 1);
      magnitude = mag !== undefined;
    } else {
      const digits = (m[3] ?? '').replace(/^[百千万]+/, ''); // 千万别, 万一 are words, not numbers
      if (digits.length === 0) continue;
      value = parseChineseNumeral(digits);
      magnitude = /[百千万]/.test(digits);
    }
    if (value === undefined || !Number.isFinite(value) || value > MAX_AMOUNT) continue;
    if (t.charAt(start - 1) === '第') continue; // 第三次 is an ordinal
    const before = t.slice(Math.max(0, start - 8), start).trimEnd();
    const after = follower(t, end, value);
    const money =
      after === 'currency' ||
      CURRENCY_BEFORE.some((w) => before.endsWith(w)) ||
      (after === 'free' && (magnitude || MONEY_CONTEXT.some((w) => before.includes(w))));
    if (money && (best === undefined || value > best)) best = value;
  }
  return best === undefined ? undefined : Math.round(best * 100) / 100;
}

// ---------------------------------------------------------------------------------------------
// Repetition

const REPEAT_CUES = [
  '又', '再次', '再一次', '好几次', '多次', '几次了', '屡次', '反复', '一直', '老是', '总是', '每次', '不止一次',
  '三番五次', '还是没', '不是第一次',
];
const REPEAT_EN = /\b(?:again|repeatedly|several times|many times|multiple times|every time|once more|not the first time|keeps happening|kept happening|still not)\b/;
/** 又…又 joins two descriptions ("又脏又乱"), it does not say "again". */
const BOTH_AND = /又[^又 ,.!?;:、]{1,3}又/g;
const CN_NUM = '[零〇一二两三四五六七八九十百\\d]{1,4}';
const ORDINAL_ZH = new RegExp(`第(${CN_NUM})次`, 'g');
const TIMES_ZH = new RegExp(`(?:说|提|反映|投诉|打|找|联系|催|问|讲|报)了?(${CN_NUM})次|(${CN_NUM})次了`, 'g');
const EN_ORDINALS: Readonly<Record<string, number>> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
};
const EN_NUMBERS: Readonly<Record<string, number>> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
};
const ORDINAL_EN = /\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|(\d{1,3})(?:st|nd|rd|th)) time\b/g;
const TIMES_EN = /\b(two|three|four|five|six|seven|eight|nine|ten|\d{1,3}) times\b/g;
const MAX_TIMES = 1000;

function smallNumber(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = parseChineseNumeral(s);
  return n !== undefined && n >= 1 && n <= MAX_TIMES ? n : undefined;
}

/** Whether the text says it happened before / repeatedly ("又", "再次", "第三次", "好几次", "多次", "一直", "again", "third time") and how many times if stated (第三次 -> 3 means raised 2 times before). Returns { repeated: boolean; times?: number }. `times` counts this time too; "说了三次" and "three times" are 3. */
export function repetition(text: string): { repeated: boolean; times?: number } {
  const t = prepare(text).replace(BOTH_AND, '');
  let repeated = REPEAT_CUES.some((cue) => t.includes(cue)) || REPEAT_EN.test(t);
  const stripped = t.replace(/不是第一次|not the first time/g, '');
  let times: number | undefined;
  const note = (n: number | undefined): void => {
    if (n !== undefined && (times === undefined || n > times)) times = n;
  };
  for (const m of stripped.matchAll(ORDINAL_ZH)) note(smallNumber(m[1]));
  for (const m of stripped.matchAll(TIMES_ZH)) note(smallNumber(m[1] ?? m[2]));
  for (const m of stripped.matchAll(ORDINAL_EN)) note(m[2] !== undefined ? smallNumber(m[2]) : EN_ORDINALS[m[1] ?? '']);
  for (const m of stripped.matchAll(TIMES_EN)) note(EN_NUMBERS[m[1] ?? ''] ?? smallNumber(m[1]));
  if (times !== undefined && times >= 2) repeated = true;
  return times === undefined ? { repeated } : { repeated, times };
}
