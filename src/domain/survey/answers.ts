/**
 * Survey answers in the customer's words (DOMAIN §3; seed 002 附表二): satisfaction 满意/一般/不满意,
 * service quality 满意/基本满意/不满意, timeliness 及时/一般/不及时. Negations are read first, so
 * 不太满意 is not taken for 满意.
 */
import { normalizeText, parseYesNo } from '../nlu/extract.ts';

export type Overall = 'satisfied' | 'average' | 'dissatisfied';
export type Quality = 'satisfied' | 'basic' | 'dissatisfied';
export type Timeliness = 'timely' | 'average' | 'late';

export const OVERALL_LABEL: Record<Overall, { zh: string; en: string }> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  average: { zh: '一般', en: 'Average' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
};
export const QUALITY_LABEL: Record<Quality, { zh: string; en: string }> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basic: { zh: '基本满意', en: 'Mostly satisfied' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
};
export const TIMELINESS_LABEL: Record<Timeliness, { zh: string; en: string }> = {
  timely: { zh: '及时', en: 'On time' },
  average: { zh: '一般', en: 'Average' },
  late: { zh: '不及时', en: 'Late' },
};

/** Short answers only: a long text is a comment, not a rating. */
function prepare(text: string): string | undefined {
  if (typeof text !== 'string' || text.length > 200) return undefined;
  const s = normalizeText(text).replace(/[\s\p{P}\p{S}]+/gu, ' ').trim();
  return s === '' ? undefined : s;
}

function first<T>(s: string, rules: [RegExp, T][]): T | undefined {
  return rules.find(([re]) => re.test(s))?.[1];
}

/** 满意 / 一般 / 不满意 from free text (还行, 挺好的, 太差了 ...). 不是很满意 reads as 一般. */
export function parseOverall(text: string): Overall | undefined {
  const s = prepare(text);
  if (!s) return undefined;
  return first<Overall>(s, [
    [/没(什么|有)?不满意|没得说|挑不出/, 'satisfied'],
    [/不是很满意|不太好|一般般?|还行|凑合|马马虎虎|还可以|过得去|\b(ok|okay|so so|average|fine)\b/, 'average'],
    [/不太满意|不满意|很不|太差|很差|差劲|^差|糟糕|不行|不好|失望|\b(bad|terrible|awful|poor|unsatisfied|dissatisfied|not satisfied)\b/, 'dissatisfied'],
    [/满意|挺好|很好|非常好|不错|好极|棒|赞|^好|\b(satisfied|great|good|excellent|happy)\b/, 'satisfied'],
  ]);
}

/** 满意 / 基本满意 / 不满意 for the quality of the service. */
export function parseQuality(text: string): Quality | undefined {
  const s = prepare(text);
  if (!s) return undefined;
  return first<Quality>(s, [
    [/基本满意|基本|还行|一般|还可以|凑合|\b(mostly|ok|okay|average)\b/, 'basic'],
    [/不满意|不好|差|不行|不干净|\b(bad|poor|dissatisfied)\b/, 'dissatisfied'],
    [/满意|很好|挺好|不错|干净|\b(good|great|satisfied|excellent)\b/, 'satisfied'],
  ]);
}

/** 及时 / 一般 / 不及时 for whether staff came on time. */
export function parseTimeliness(text: string): Timeliness | undefined {
  const s = prepare(text);
  if (!s) return undefined;
  return first<Timeliness>(s, [
    [/不及时|不准时|迟到|来晚|晚了|很晚|\blate\b/, 'late'],
    [/一般|还行|稍微晚|有点晚|\b(average|ok|okay)\b/, 'average'],
    [/及时|准时|按时|准点|很快|\b(on time|timely|punctual)\b/, 'timely'],
  ]);
}

/** "Am I speaking with 张先生?": yes, no (打错了), or unclear. */
export function parseIdentity(text: string): 'yes' | 'no' | undefined {
  const s = prepare(text);
  if (!s) return undefined;
  if (/不是|打错|没这个人|wrong number|\bnot me\b/.test(s)) return 'no';
  if (/^(是|是的|是我|对|对的|我就是|嗯|我是|yes|speaking)/.test(s)) return 'yes';
  return parseYesNo(text);
}
