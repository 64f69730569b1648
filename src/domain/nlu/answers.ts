/**
 * Answers in words to the questions the bot sends as notices (DOMAIN §2 处理后有回访, §3 completion
 * and survey): "问题解决了吗？" (resolved?) and "请您确认服务已完成" (completed?). Each reader says
 * whether the reply answers the question and how, or undefined when it does not.
 *
 * A reply counts as an answer when it names the question's matter (解决, 做完, 完成, 好了...) or, with
 * `bare: true` (the question is the only thing open in the conversation), when it is a bare yes or
 * no (是的, 嗯, 没有). Negations win over the plain words: 还没解决 is "no", not "yes".
 */
import { normalizeText } from './extract.ts';

type YesNo = 'yes' | 'no';

/** Longest reply read as an answer; longer text is a message of its own. */
const MAX_ANSWER = 120;

/** Lower-cased NFKC text without spaces between Han characters; undefined when empty or too long. */
function prepare(text: string): string | undefined {
  if (text.length > MAX_ANSWER) return undefined;
  const s = normalizeText(text)
    .replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '')
    .trim();
  return s === '' ? undefined : s;
}

/** A question back (解决了吗？) is not an answer. */
const QUESTION_BACK = /[吗么嘛][\s\p{P}]*$|[?？]\s*$/u;

const NOT_RESOLVED =
  /(?:还|仍|依然|依旧)?(?:没|没有|未|不算)(?:有)?(?:完全|彻底|真正)?(?:解决|处理好|弄好|搞好|修好|搞定|好)|还是(?:不行|没好|老样子|一样|有问题)|(?:还|仍然?|依然)有问题|问题(?:还在|依旧|依然|没变)|没什么(?:变化|改善)|\bnot (?:yet )?(?:solved|resolved|fixed)\b|\b(?:still|not) (?:broken|a problem|an issue)\b/;
const RESOLVED =
  /(?:已经?|都)?(?:解决|处理好|弄好|搞好|修好|搞定)了?|好了|没(?:有)?问题了|可以了|\b(?:solved|resolved|fixed|sorted)\b/;

/**
 * The answer to "问题解决了吗？": 已解决/解决了/好了/搞定了/没问题了 -> yes; 还没解决/没解决/还是不行/
 * 还有问题 -> no. With `bare`, 是的/嗯 -> yes and 没有/不是 -> no.
 */
export function parseResolved(text: string, opts: { bare?: boolean } = {}): YesNo | undefined {
  const s = prepare(text);
  if (!s || QUESTION_BACK.test(s)) return undefined;
  if (NOT_RESOLVED.test(s)) return 'no';
  if (RESOLVED.test(s)) return 'yes';
  return opts.bare ? bareYesNo(s) : undefined;
}

const NOT_DONE =
  /(?:还|并)?(?:没|没有|未)(?:有)?(?:做完|干完|弄完|完成|完工|打扫完|收拾完|来|上门|做|干)|不(?:算)?完成|没做好|只做了一?(?:半|部分)|\bnot (?:yet )?(?:done|finished|completed)\b|\b(?:never came|didn't come|did not come|no show)\b/;
const DONE = /(?:已经?|都)?(?:做完|干完|弄完|完成|完工|打扫完|收拾完|结束)了?|确认|\b(?:done|finished|completed|confirm(?:ed)?)\b/;

/**
 * The answer to "请您确认服务已完成": 是的，已经做完了/做完了/完成了/确认 -> yes; 还没做完/没完成/
 * 人没来/只做了一半 -> no. With `bare`, 是的/对 -> yes and 没有/不是 -> no.
 */
export function parseCompleted(text: string, opts: { bare?: boolean } = {}): YesNo | undefined {
  const s = prepare(text);
  if (!s || QUESTION_BACK.test(s)) return undefined;
  if (NOT_DONE.test(s)) return 'no';
  if (DONE.test(s)) return 'yes';
  return opts.bare ? bareYesNo(s) : undefined;
}

/** A reply that only says yes or no (是的, 对, 嗯, 好的谢谢, 没有, 不是); anything more is not bare (取消预约). */
function bareYesNo(s: string): YesNo | undefined {
  const plain = s.replace(/[\s\p{P}\p{S}]+/gu, '');
  if (BARE_NO.test(plain)) return 'no';
  if (BARE_YES.test(plain)) return 'yes';
  return undefined;
}

const PARTICLES = '(?:啊|呀|呢|吧|哦|噢|的|了|哈)*';
const BARE_YES = new RegExp(`^(?:是|是的|是啊|对|对的|嗯+|恩+|好|好的|没错|确认|可以|行|ok|okay|yes|yep|yeah|sure)${PARTICLES}(?:谢谢|thanks)?$`);
const BARE_NO = new RegExp(`^(?:不|不是|没有?|还没有?|没呢|不对|否|no|nope|notyet)${PARTICLES}$`);

/**
 * What a reply says beyond its leading answer: 还没解决，赔偿一直没给 -> 赔偿一直没给. Undefined when
 * the reply is the answer alone. `isAnswer` tells whether a clause is only the answer.
 */
export function beyondAnswer(text: string, isAnswer: (clause: string) => boolean): string | undefined {
  const clauses = text
    .split(/[，,。.；;！!？?\n]+/)
    .map((c) => c.trim())
    .filter(Boolean);
  if (clauses.length < 2 || !isAnswer(clauses[0] ?? '')) return undefined;
  return clauses.slice(1).join('，');
}
