/**
 * Words that steer a conversation rather than answer its question: leaving a flow (算了, 退出), a
 * side question asked in the middle (消杀包含什么内容, 几点上班), moving through offered slots
 * (晚一点的, 换一天), correcting a field at the summary (地址写错了, 电话改成…), pointing at
 * something the bot listed (第一个, 保洁那个, 明天那个), and two requests in one message.
 * Pure functions of the text.
 */
import { normalizeText } from './extract.ts';

/** Spaces and punctuation that carry no meaning at the ends of a short reply. */
const PUNCT = /[\s,，。.!！~～、…]+/gu;

/** Words that mean "leave this, I do not want to go on". */
const EXIT_WORD =
  /(?:算了|(?:先|暂时|还是)?不(?:约|预约|弄|做|搞|办|改|换|取消|投诉|想约|想弄|想做)了|退出|放弃|不要了|不用了|先不用了|不需要了|不想约了|不办了|取消吧|结束吧?|(?:下次|以后|改天|回头)再(?:说|约|弄|预约|联系)|再说吧|先这样|never ?mind|forget it|quit|exit|stop)/y;
const EXIT_FILLER = /(?:嗯|呃|那|那就|还是|我|吧|了|啊|呀|哈|谢谢|好的)/y;

/**
 * Whether the whole message says "leave this flow" (算了, 不约了, 先不弄了, 退出, 算了吧谢谢),
 * nothing else: "算了，改到周五吧" is not a way out.
 */
export function isExit(text: string): boolean {
  const s = normalizeText(text).replace(PUNCT, '');
  if (s === '' || s.length > 24) return false;
  let at = 0;
  let exits = 0;
  while (at < s.length) {
    EXIT_WORD.lastIndex = at;
    const word = EXIT_WORD.exec(s);
    if (word) {
      exits += 1;
      at += word[0].length;
      continue;
    }
    EXIT_FILLER.lastIndex = at;
    const filler = EXIT_FILLER.exec(s);
    if (!filler) return false;
    at += filler[0].length;
  }
  return exits > 0;
}

/** What a side question asks about. */
export type SideQuestion = 'price' | 'includes' | 'hours' | 'contact' | 'howCancel' | 'howReschedule' | 'service';

const QUESTION_MARK = /[?？吗呢么]\s*$|多少|什么|怎么|如何|几点|哪些|请问|想问|问一?下|问问|能不能|可不可以|是不是|有没有/;
const SIDE_QUESTIONS: ReadonlyArray<readonly [RegExp, SideQuestion]> = [
  [/怎么取消|如何取消|取消.{0,4}(?:怎么|如何|流程|手续|收费|扣钱|要钱|费用|违约)|(?:能|可以)取消吗|能不能取消|可不可以取消|how (?:do i|to|can i) cancel/, 'howCancel'],
  [/怎么改(?:约|期|时间)|如何改(?:约|期|时间)|(?:能|可以)改(?:约|期|时间)吗|能不能改(?:约|期|时间)|how (?:do i|to|can i) (?:reschedule|change the time)/, 'howReschedule'],
  [/包含|包括|包不包|含不含|都做(?:什么|哪些|些什么)|做(?:什么|哪些)(?:内容|项目)?|服务内容|有哪些内容|管不管|负责什么|what(?:'s| is| does)? (?:included|it include)/, 'includes'],
  [/多少钱|价格|价钱|收费|费用|怎么收|怎么算|贵不贵|贵吗|几块|报价|how much|price|cost/, 'price'],
  [/几点(?:上班|开始|开门|营业|下班|关门|结束)|营业时间|上班时间|服务时间|工作时间|几点到几点|(?:周末|节假日|假期|春节|过年|国庆|元旦|中秋).{0,4}(?:上班|营业|上门|可以|休息|放假)|opening hours|what time do you/, 'hours'],
];
/** Asks for the company's number by its words alone: 电话多少, 把电话给我, 怎么联系你们, "your phone number". */
const ASKS_FOR_NUMBER =
  /(?:电话|热线)(?:号码?)?(?:是)?(?:多少|几号|哪个)|(?:电话|热线|号码|联系方式)(?:号码?)?(?:给|发)(?:我|一下|个)|(?:把|发我)(?:你们|您们|公司|客服)?的?(?:电话|热线|号码|联系方式)|怎么(?:联系|找)(?:你们|客服|人工|公司)|(?:打|拨)(?:什么|哪个)(?:电话|号码)|\byour (?:phone |telephone |contact )?(?:number|hotline)\b|\bhotline\b|\bcontact (?:number|details)\b|\b(?:call|contact|reach) you\b/;
/** Names the number: asking for it when asked (你们电话？) or when it is the whole message (客服电话). */
const NAMES_NUMBER = /(?:你们|您们|贵公司|公司|客服|热线|人工|前台|门店|店里)(?:的)?(?:联系|服务|咨询|投诉)?(?:电话|号码|热线|手机|座机)|联系方式/;
/** Complaining about the number, not asking for it ("你们客服电话一直打不通"). */
const CANNOT_REACH = /打不通|没人接|不接|占线|关机|停机|空号|没人回|不回/;

/** Whether a text asks for the company's number; a number in it is the customer's own, given. */
function asksForNumber(s: string, asks: boolean): boolean {
  if (/\d{5}/.test(s) || CANNOT_REACH.test(s)) return false;
  if (ASKS_FOR_NUMBER.test(s)) return true;
  const named = NAMES_NUMBER.exec(s);
  return named !== null && (asks || s.replace(/请问|[?？。.!！~～\s]/g, '') === named[0]);
}

/** Whether a text asks something (a question mark, 吗/呢 at the end, 请问, 怎么...). */
export function isQuestion(text: string): boolean {
  const s = normalizeText(text).trim();
  return s.length <= 200 && QUESTION_MARK.test(s);
}

/** "那擦玻璃呢？": a service named with 呢, asking the same about it. */
const SAME_ABOUT = /^(?:那|那么|还有|and )?.{1,12}(?:呢|怎么样|如何)[?？\s]*$/;

/**
 * A question asked in the middle of a flow, answered on the spot before the flow's question is
 * asked again: price, what a service includes, opening hours, the company's number, how to cancel
 * or reschedule, or "那擦玻璃呢？" (`service`: tell about the service named). Undefined for anything
 * that is not clearly a question (an address, a name, a time, the customer's own number).
 */
export function sideQuestion(text: string, namesService: boolean): SideQuestion | undefined {
  const s = normalizeText(text).trim();
  if (s === '' || s.length > 60) return undefined;
  const asks = QUESTION_MARK.test(s);
  if (asksForNumber(s, asks)) return 'contact';
  for (const [re, kind] of SIDE_QUESTIONS) {
    if (!re.test(s)) continue;
    // "收费标准是多少" is a question without a mark; "价格" alone is asking too.
    if (asks || kind === 'price' || kind === 'includes') return kind;
  }
  if (namesService && SAME_ABOUT.test(s)) return 'service';
  return undefined;
}

/** Moving through the offered slots: later, earlier, or another day. */
export type SlotShift = 'later' | 'earlier' | 'otherDay';

const LATER = /晚一?点|晚些|更晚|往后(?:推|挪|延|移)?一?点|(?:推|挪|延)后一?点|推迟一?点|再晚|靠后|later/;
const EARLIER = /早一?点|早些|更早|往前(?:推|挪|移)?一?点|提前一?点|提早一?点|再早|靠前|earlier/;
const OTHER_DAY = /换一?天|换个日子|换(?:个|一个)?日期|别的日子|其他日子|其他日期|别的日期|另一天|another day|other day|different day/;

/** 有没有晚一点的 -> later; 早一点 -> earlier; 换一天 -> otherDay. */
export function slotShift(text: string): SlotShift | undefined {
  const s = normalizeText(text);
  if (s.length > 30) return undefined;
  if (OTHER_DAY.test(s)) return 'otherDay';
  if (LATER.test(s)) return 'later';
  if (EARLIER.test(s)) return 'earlier';
  return undefined;
}

/** A field of a booking the customer may correct at the summary. */
export type BookingField = 'service' | 'time' | 'address' | 'name' | 'phone' | 'frequency';

const FIELD_WORDS: ReadonlyArray<readonly [RegExp, BookingField]> = [
  [/服务项目|项目|服务类型|service/, 'service'],
  [/地址|住址|门牌|小区|address/, 'address'],
  [/电话|手机|号码|联系方式|phone|number/, 'phone'],
  [/名字|称呼|姓名|联系人|姓氏|\bname\b/, 'name'],
  [/频次|频率|次数|多久一次|frequency/, 'frequency'],
  [/时间|日期|几点|哪天|time|date/, 'time'],
];
const CHANGE = /改|换|错|不对|更正|修改|重新|重填|不是这个|change|wrong|correct|update/;
/** "地址改成：" / "电话换为" before the new value. */
const NEW_VALUE = /(?:改成|改为|换成|换为|改到|应该是|是|为|to|should be)[:：\s]*(.+)$/;

/**
 * "地址写错了，改一下" -> { field: 'address' }; "地址改成幸福小区5栋302" -> { field: 'address',
 * value: '幸福小区5栋302' }; "电话留错了" -> { field: 'phone' }. Undefined when no field is named
 * with a word of change.
 */
export function fieldCorrection(text: string): { field: BookingField; value?: string } | undefined {
  const s = normalizeText(text).trim();
  if (s.length > 120 || !CHANGE.test(s)) return undefined;
  let best: { field: BookingField; at: number } | undefined;
  for (const [re, field] of FIELD_WORDS) {
    const m = re.exec(s);
    if (m && (best === undefined || m.index < best.at)) best = { field, at: m.index };
  }
  if (!best) return undefined;
  const value = NEW_VALUE.exec(text.normalize('NFKC').slice(best.at))?.[1]?.trim().replace(/[。.!！]+$/u, '');
  return value ? { field: best.field, value } : { field: best.field };
}

/** What a reference points at among listed items: a position, or words to match their labels. */
type ListReference = { kind: 'position'; index: number } | { kind: 'last' } | { kind: 'words'; words: string };

const CN_ORDINALS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const EN_ORDINALS: Readonly<Record<string, number>> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5 };

/**
 * 第一个, 第2个, 最后那个, the first -> a position; 保洁那个, 明天那个, 周五的那单 -> the words
 * before 那个 (matched against what was listed by the caller). Undefined when the text does not
 * point at a listed item.
 */
export function listReference(text: string): ListReference | undefined {
  const s = normalizeText(text).replace(PUNCT, '');
  if (s === '' || s.length > 30) return undefined;
  const ordinal = /第\s?([一二两三四五六七八九十]|\d{1,2})\s?(?:个|单|次|条|项)?/.exec(s);
  if (ordinal?.[1]) {
    const n = CN_ORDINALS[ordinal[1]] ?? Number(ordinal[1]);
    if (n >= 1) return { kind: 'position', index: n - 1 };
  }
  const spaced = normalizeText(text).trim();
  if (/最后(?:那|一)?(?:个|单|次|条)|最后面/.test(s) || /\bthe last\b|\blast one\b/.test(spaced)) return { kind: 'last' };
  const en = /\bthe (first|second|third|fourth|fifth)(?: one)?\b/.exec(spaced);
  if (en?.[1]) return { kind: 'position', index: (EN_ORDINALS[en[1]] ?? 1) - 1 };
  const pointed = POINTED.exec(s);
  if (pointed?.[1]) return { kind: 'words', words: pointed[1] };
  return undefined;
}

const POINTED = /^(?:取消|改约|改|就|要|是|选)?(.{1,12}?)(?:的)?(?:那个|那单|那次|那条|这个|这单|那一个|那一单)/;

/** What follows a 保洁那个-style reference ("明天那个改到后天下午三点" -> "改到后天下午三点"). */
export function afterReference(text: string): string {
  const at = /那个|那单|那次|那条|这个|这单|那一个|那一单/.exec(text);
  return at ? text.slice(at.index + at[0].length) : text;
}

/** Words that join two requests in one message (顺便问下, 另外, 还有). */
const JOINER = /^(?:顺便(?:问(?:一?下|问)?)?|另外|还有(?:就是)?|对了|再问(?:一?下)?|还想问(?:一?下)?|然后|and also|also|by the way|btw)[\s,，:：]*/iu;

/**
 * Splits a message into its requests when it makes more than one, in the order written:
 * "明天下午三点来做日常保洁，顺便问下擦玻璃怎么收费？" -> ["明天下午三点来做日常保洁",
 * "擦玻璃怎么收费？"]. A message of one request (however many commas) gives one clause; the caller
 * decides which clauses are requests of their own.
 */
export function clauses(text: string): string[] {
  if (text.length > 300) return [text];
  return text
    .split(/(?<=[，,。；;？?！!])\s*/u)
    .map((part) => part.replace(JOINER, '').trim())
    .filter((part) => part.replace(PUNCT, '') !== '');
}
