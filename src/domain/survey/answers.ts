/**
 * Survey answers in the customer's words (DOMAIN §3; seed 002 附表二): satisfaction 满意/一般/不满意,
 * service quality 满意/基本满意/不满意, timeliness 及时/一般/不及时, and "is this 张先生?".
 *
 * Each reader tries its rules in a fixed order, the most specific first, so negations win:
 * hedged negations (不是很满意, "not very good") before double negations (没什么不满意, 不差,
 * "no complaints") before plain negations (不太满意, 不满意, "not good") before the plain words.
 * When one reply holds two ratings ("还行，不太满意") the more negative one is taken, so the
 * follow-up asks what went wrong. None of them throws; replies longer than {@link MAX_ANSWER}
 * characters are comments, not ratings, and give undefined without being scanned.
 */
import { normalizeText, parseYesNo } from '../nlu/extract.ts';

export type Overall = 'satisfied' | 'average' | 'dissatisfied'; // 满意 / 一般 / 不满意
export type Quality = 'satisfied' | 'basic' | 'dissatisfied'; // 满意 / 基本满意 / 不满意
export type Timeliness = 'timely' | 'average' | 'late'; // 及时 / 一般 / 不及时

/** How an overall rating is shown on buttons and in reports. */
export const OVERALL_LABEL: Record<Overall, { zh: string; en: string }> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  average: { zh: '一般', en: 'Average' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
};
/** How a service-quality rating is shown on buttons and in reports. */
export const QUALITY_LABEL: Record<Quality, { zh: string; en: string }> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basic: { zh: '基本满意', en: 'Mostly satisfied' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
};
/** How a timeliness rating is shown on buttons and in reports. */
export const TIMELINESS_LABEL: Record<Timeliness, { zh: string; en: string }> = {
  timely: { zh: '及时', en: 'On time' },
  average: { zh: '一般', en: 'Average' },
  late: { zh: '不及时', en: 'Late' },
};

/** Longest reply read as an answer; a longer one is a comment (and is never scanned). */
export const MAX_ANSWER = 200;

/**
 * Lower-cased NFKC text without invisible characters (control, zero-width, lone surrogates) or
 * spaces between Han characters (不 满意), every other run of non-letters, non-digits (punctuation,
 * emoji) turned into one space, English "n't" spelled "not", and courtesy phrases
 * that merely contain 不好/不起 (不好意思, 不好说 "hard to say", 对不起) dropped. Undefined when empty,
 * too long, or a question back (满意吗).
 */
function prepare(text: string): string | undefined {
  if (typeof text !== 'string' || text.length > MAX_ANSWER) return undefined;
  const s = normalizeText(text)
    .replace(/\bcan't\b/g, 'cannot')
    .replace(/n't\b/g, ' not')
    .replace(/\p{C}+/gu, '')
    .replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/不好意思|不好说|对不起|麻烦你了?|麻烦您了?|打扰了?/g, ' ')
    .trim();
  // 满意吗 / 是吗: a question back is not an answer.
  return s === '' || s.endsWith('吗') ? undefined : s;
}

/** The value of the first rule whose pattern occurs in `s`. */
function first<T>(s: string, rules: ReadonlyArray<readonly [RegExp, T]>): T | undefined {
  return rules.find(([re]) => re.test(s))?.[1];
}

// Shared pieces. Degree words that soften a negation (不是很 = "not very") or strengthen it.
const SOFT = '(?:很|太|特别|非常|十分|那么|多么|完全|都)';
const EN_SOFT = '(?:very|really|that|so|too|entirely|completely|totally|fully|quite|all that|particularly)';
const EN_NEG = '(?:not|never|no|hardly)';

/** 不是很满意 / 不算太好 / 没有很满意 / "not very happy": a hedged negation of `words`. */
const hedged = (words: string, en: string) =>
  new RegExp(`不(?:是|算)${SOFT}(?:${words})|没有?${SOFT}(?:${words})|\\b${EN_NEG} ${EN_SOFT} (?:${en})\\b`);

/** 不满意 / 不太满意 / 很不满意 / "not satisfied" / "wasn't good": a plain negation of `words`. */
const negated = (words: string, en: string) =>
  new RegExp(`不(?:太|大|很|怎么|咋|够|是|算)?(?:${words})|\\b${EN_NEG} (?:(?:${EN_SOFT}|at all) )?(?:${en})\\b`);

/**
 * Satisfaction with the service (script step 2, 满意 / 一般 / 不满意) from free text:
 * 满意/很满意/挺好的/非常好/不错/好/"great" -> satisfied; 还行/一般/凑合/马马虎虎/还可以/ok/"so-so"
 * -> average; 不满意/不太满意/太差了/差/糟糕/不行/"not satisfied"/"bad" -> dissatisfied.
 * 不是很满意 ("not very satisfied") reads as average, a hedge rather than a complaint;
 * 没什么不满意, 不差, "not bad" and "no complaints" read as satisfied.
 */
export function parseOverall(text: string): Overall | undefined {
  const s = prepare(text);
  if (!s) return undefined;
  return first<Overall>(s, OVERALL_RULES);
}

const DOUBLE_NEGATION =
  /没(?:有|啥|什么|有什么)?太?大?(?:不满意|不好|不行|可挑|毛病|问题|意见|的说|得说|话说)|挑不出|无可挑剔|不差|\bnot bad\b|\bno (?:complaints?|problems?|issues?)\b|\bcan ?not complain\b/;
const NOT_THAT_BAD = /不(?:是|算)(?:很|太)?差|不(?:很|太)差|差不多|\bnot (?:too|so|that) bad\b/;
/** A whole reply that only says yes to "…满意吗？". */
const BARE_YES = /^(?:是|是的|是啊|对|对的|嗯+|恩+|yes|yeah|yep)$/;

const OVERALL_RULES: ReadonlyArray<readonly [RegExp, Overall]> = [
  [hedged('满意|好|行|理想|到位', 'satisfied|happy|pleased|good|great'), 'average'],
  [NOT_THAT_BAD, 'average'],
  [DOUBLE_NEGATION, 'satisfied'],
  [negated('满意|好|行|理想|到位|专业|认真|负责', 'satisfied|happy|pleased|good|great|ok|okay|fine'), 'dissatisfied'],
  [/差|糟|烂|失望|垃圾|恶劣|生气|气人|投诉|问题|不(?:怎么|咋)(?:样|地|的)|\b(?:bad|terrible|awful|horrible|poor|unsatisfied|dissatisfied|disappointed|disappointing|unhappy|upset)\b/, 'dissatisfied'],
  [/一般|还行|凑合|马马虎虎|还可以|还好|过得去|说得过去|中规中矩|普通|\b(?:ok|okay|so so|average|fine|alright|all right|mediocre|meh)\b/, 'average'],
  [/满意|好|不错|棒|赞|完美|满分|五星|挺可以|很可以|\b(?:satisfied|great|good|excellent|happy|pleased|perfect|awesome|fantastic|wonderful|amazing)\b/, 'satisfied'],
  [BARE_YES, 'satisfied'],
];

/**
 * Service quality (服务质量, seed 002 附表二) from free text: 满意/很好/干净/不错 -> satisfied;
 * 基本满意/还行/一般/还可以/差不多 -> basic; 不满意/差/不干净/"poor" -> dissatisfied.
 * 不是很满意 reads as basic, 没什么不满意 and 不差 as satisfied, 基本不满意 as dissatisfied.
 */
export function parseQuality(text: string): Quality | undefined {
  const s = prepare(text);
  if (!s) return undefined;
  return first<Quality>(s, QUALITY_RULES);
}

const QUALITY_WORDS = '满意|好|行|干净|到位|专业|认真|仔细|细致|理想|负责';
const QUALITY_RULES: ReadonlyArray<readonly [RegExp, Quality]> = [
  [hedged(QUALITY_WORDS, 'satisfied|happy|pleased|good|great|clean'), 'basic'],
  [NOT_THAT_BAD, 'basic'],
  [DOUBLE_NEGATION, 'satisfied'],
  [negated(QUALITY_WORDS, 'satisfied|happy|pleased|good|great|clean|ok|okay|fine'), 'dissatisfied'],
  [/差|糟|烂|脏|(?<!马)马虎|敷衍|失望|垃圾|问题|没擦|没打扫|没收拾|不(?:怎么|咋)(?:样|地|的)|\b(?:bad|terrible|awful|horrible|poor|dirty|sloppy|unsatisfied|dissatisfied|disappointed|disappointing|unhappy)\b/, 'dissatisfied'],
  [/基本|大体|还行|一般|还可以|还好|凑合|马马虎虎|过得去|说得过去|普通|\b(?:mostly|basically|ok|okay|average|fine|so so|alright|all right|more or less|mediocre)\b/, 'basic'],
  [/满意|好|不错|干净|棒|赞|完美|专业|仔细|细致|认真|到位|\b(?:satisfied|great|good|excellent|clean|spotless|happy|pleased|perfect|professional|thorough)\b/, 'satisfied'],
  [BARE_YES, 'satisfied'],
];

/**
 * Whether staff came on time (服务是否及时, seed 002 附表二) from free text: 及时/准时/很准时/
 * 按时/提前 -> timely; 一般/还行/稍微晚了一点/有点晚 -> average; 不及时/迟到/晚了/来晚了/很晚
 * -> late. A little late (稍微晚了一点, "a bit late") is average, not late; 没迟到, 不晚 and "not
 * late" are timely; 不是很准时 is average, 不太准时 late.
 */
export function parseTimeliness(text: string): Timeliness | undefined {
  const s = prepare(text);
  if (!s) return undefined;
  return first<Timeliness>(s, TIMELINESS_RULES);
}

const ON_TIME = '及时|准时|按时|守时|准点';
const TIMELINESS_RULES: ReadonlyArray<readonly [RegExp, Timeliness]> = [
  [/稍微?(?:有点|有一点)?(?:晚|迟|慢)|(?:有|有一)点(?:晚|迟|慢)|(?:晚|迟到)了?一?(?:点|会|些|几分钟|一小会)|\b(?:a bit|a little|slightly|bit|little|few minutes|couple of minutes) (?:late|delayed|slow)\b/, 'average'],
  [new RegExp(`不(?:是|算)${SOFT}(?:${ON_TIME})|\\bnot ${EN_SOFT} (?:on time|punctual|timely)\\b`), 'average'],
  [/没(?:有)?(?:迟到|晚|来晚|耽误|拖)|不(?:晚|迟|慢)|\b(?:not|never) (?:late|delayed|slow)\b/, 'timely'],
  [new RegExp(`(?:不(?:太|大|很|怎么|够)?|没有?)(?:${ON_TIME})|\\bnot (?:very |really |quite )?(?:on time|punctual|timely)\\b`), 'late'],
  [/迟到|来晚|晚了|晚到|很晚|太晚|好晚|迟了|太慢|很慢|等了|久等|放鸽子|爽约|\b(?:late|delayed|slow|waited|no show)\b/, 'late'],
  [/一般|还行|还可以|还好|凑合|差不多|\b(?:ok|okay|average|so so|fine|alright|all right)\b/, 'average'],
  [new RegExp(`${ON_TIME}|提前|早到|很快|挺快|不错|\\b(?:on time|timely|punctual|early|fast|quick|prompt)\\b`), 'timely'],
  [BARE_YES, 'timely'],
];

/**
 * The answer to the opening line's "请问您是张先生吗？": 是/是的/是我/对/我就是/嗯/本人/"speaking"
 * -> yes; 不是/不是我/打错了/你打错了/找错人了/"wrong number"/no -> no; anything else, including
 * "who is this?" (是谁, 哪位) and 我是他爱人 (someone else answering), -> undefined. Falls back to
 * {@link parseYesNo} for the rest (好的, 没错, ok -> yes).
 */
export function parseIdentity(text: string): 'yes' | 'no' | undefined {
  const s = prepare(text);
  if (!s) return undefined;
  if (WRONG_PERSON.test(s)) return 'no';
  if (IT_IS_ME.test(s)) return 'yes';
  if (/^我就?是/.test(s)) return SOMEONE_ELSE.test(s) ? undefined : 'yes';
  if (/谁|哪位|哪个|哪里|什么|\b(?:who|what|which)\b/.test(s) || /[?？]\s*$/.test(text)) return undefined;
  return parseYesNo(s);
}

const WRONG_PERSON =
  /不是|打错|找错|搞错|弄错|没有?(?:这个|此)人|查无此人|不认识|\b(?:wrong (?:number|person)|not (?:me|him|her)|no such person)\b/;
const IT_IS_ME =
  /^(?:是|是的|是我|对|对的|我就是|就是我|本人|嗯+|恩+|没错|yes|yeah|yep|speaking)(?:啊|呀|哦|呢|的|吧)*(?: |$)|\b(?:it s me|that s me|this is (?:he|she|me)|speaking)\b/;
/** 我是他爱人 / 我是张先生的同事: someone else took the call. */
const SOMEONE_ELSE = /的|他|她|家人|家属|爱人|老婆|老公|妻子|丈夫|儿子|女儿|妈|爸|父亲|母亲|朋友|同事|保姆|阿姨/;

/** What one reply to a survey question says, field by field (script steps 2-3; seed 002 附表二). */
interface SurveyReply {
  overall?: Overall;
  quality?: Quality;
  timeliness?: Timeliness;
  /**
   * The customer's own words beyond the ratings (阿姨很仔细, 地没拖干净): the reason or suggestion
   * of script step 3, so that question is not asked again.
   */
  reason?: string;
}

/** A clause about the work itself (服务质量). */
const QUALITY_CUE = /仔细|细致|认真|干净|专业|到位|负责|马虎|敷衍|脏|擦|拖|扫|收拾|质量|做得|干得|手艺|活儿?|\b(?:clean|dirty|thorough|sloppy|quality|careful)\b/;
/** A clause about punctuality (服务是否及时). */
const TIME_CUE = /及时|准时|按时|守时|准点|迟到|来晚|晚到|晚了|早到|提前|久等|等了|\b(?:on time|late|early|punctual|waited)\b/;
/** 没拖干净 / 没擦干净: the work was not done, whatever praise word follows. */
const NOT_CLEAN = /没(?:有)?[\p{Script=Han}]{0,2}干净|\bnot clean\b/u;
/** A clause that is only a rating (挺满意的, 一般吧, 还行): no reason in it. */
const RATING_ONLY =
  /^(?:我|我们|总体|整体|总的来说|还|挺|很|非常|特别|比较|蛮|都|也|算|是|就|嗯|哦)*(?:满意|不满意|不太满意|一般|还行|还可以|还好|不错|可以|好|挺好|凑合|马马虎虎|差|很差|太差|不好|ok|okay|good|fine|great|bad)(?:的|了|吧|啊|呀|哈|呢|哦|嘛)*$/;

/** 谢谢, 没有了, 辛苦了: politeness, not a reason. */
const COURTESY = /^(?:谢谢|多谢|感谢|辛苦了?|没有了|没了|没别的了?|就这样吧?|就这些|好的|嗯|thanks?|thank you|nothing else|that s all)(?:啊|呀|你们|您|你|了|哈|啦|阿姨|师傅)*$/;

/**
 * Every field one reply answers: 挺满意的，阿姨很仔细 -> overall satisfied, quality satisfied and the
 * reason 阿姨很仔细; 一般吧，来晚了半小时 -> overall average, timeliness late, reason 来晚了半小时.
 * The overall rating comes from the first clause (or the whole reply), the quality and timeliness
 * ratings from clauses about the work and the time; the reason is, in a reply of several clauses,
 * what is left beyond bare ratings and thanks. Fields the reply does not speak of are absent.
 */
export function readSurveyReply(text: string): SurveyReply {
  if (typeof text !== 'string' || text.length > MAX_ANSWER) return {};
  const clauses = text
    .split(/[，,。.；;！!？?\n、]+|\s{2,}/)
    .map((c) => c.trim())
    .filter(Boolean);
  if (clauses.length === 0) return {};
  const reply: SurveyReply = {};
  const overall = parseOverall(clauses[0] ?? '') ?? (clauses.length > 1 ? undefined : parseOverall(text));
  if (overall) reply.overall = overall;
  for (const clause of clauses) {
    const s = normalizeText(clause);
    if (!reply.quality && QUALITY_CUE.test(s)) {
      const quality = NOT_CLEAN.test(s) ? 'dissatisfied' : parseQuality(clause);
      if (quality) reply.quality = quality;
    }
    if (!reply.timeliness && TIME_CUE.test(s)) {
      const timeliness = parseTimeliness(clause);
      if (timeliness) reply.timeliness = timeliness;
    }
  }
  // One clause is a rating; the customer's reason comes as a further clause of their own words.
  if (clauses.length > 1) {
    const words = clauses.filter((c) => !RATING_ONLY.test(normalizeText(c).replace(/\s+/g, '')) && !COURTESY.test(normalizeText(c)));
    if (words.length > 0) reply.reason = words.join('，');
  }
  return reply;
}
