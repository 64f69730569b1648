/**
 * What the customer wants (intent), which service they mean, and which language they write in.
 * The intent is learned (`classifier.ts`, weights in `intent-model.json`, trained from the corpus
 * by `npm run nlu:train`); rules stay where they are exact: an empty or symbol-only message, the
 * slash commands, and a complaint cue that outranks a service name (issue #12: a complaint is never
 * answered with a booking form).
 */
import { classifyComplaint, type Category } from '../complaints/classify.ts';
import { FOLLOW_UP, featuresOf, intentDistribution, predictFeatures, prepareText, type IntentModels } from './classifier.ts';
import { normalizeText } from './extract.ts';
import type { Service } from '../../contracts/company.ts';
import trained from './intent-model.json' with { type: 'json' };

/** What a message asks for (the corpus labels, complaints as one intent). */
export type Intent =
  | 'book'
  | 'price'
  | 'bookings'
  | 'cancel'
  | 'reschedule'
  | 'complain'
  | 'progress'
  | 'human'
  | 'help'
  | 'greet'
  | 'thanks'
  | 'bye'
  | 'report'
  | 'unknown';

const INTENTS: ReadonlySet<string> = new Set<Intent>([
  'book', 'price', 'bookings', 'cancel', 'reschedule', 'complain', 'progress', 'human', 'help', 'greet', 'thanks', 'bye', 'report', 'unknown',
]);

/**
 * What a complaint is about: the categories the grade takes (DOMAIN §2), plus two the corpus names:
 * `repeated` (the same problem again, no other detail) and `aftersales` (a refund, compensation or a
 * redo). How those two are recorded: `recordedCategory`.
 */
export type ComplaintKind = Category | 'repeated' | 'aftersales';

/** The catalog fields service detection needs. */
export type CatalogEntry = Pick<Service, 'code' | 'name' | 'nameEn' | 'synonyms'>;

/** The intent, how sure the classifier is (0-1), and for a complaint what it is about. */
export interface IntentGuess {
  intent: Intent;
  confidence: number;
  category?: ComplaintKind;
}

const MODELS = trained as IntentModels;

/**
 * Below this confidence the bot asks rather than guesses; a booking guess needs
 * {@link CLARIFY_BOOK_BELOW}, since a booking form is the costly wrong answer (issue #12: at most 1
 * in 100 non-booking messages). Set from five-fold cross-validation on the trained four fifths of
 * the corpus (a clarifying question counted as not right): 0.3 scored 0.7 points higher there, 0.35
 * keeps vague lines (就是上次那个啊) asked, which the handover after two misses relies on.
 */
export const CLARIFY_BELOW = 0.35;
const CLARIFY_BOOK_BELOW = 0.65;
/** Inside a flow a guess must be this sure to change topic (leaving a booking half done costs more). */
export const SWITCH_TOPIC_BELOW = 0.45;

/** Whether the bot should ask rather than act on this guess (an `unknown` is always asked). */
export function isUnsure(guess: { intent: Intent; confidence?: number | undefined }): boolean {
  if (guess.confidence === undefined) return false;
  return guess.confidence < (guess.intent === 'book' ? CLARIFY_BOOK_BELOW : CLARIFY_BELOW);
}

/** Nothing but symbols, emoji, digits or punctuation: nothing to understand. */
const NO_WORDS = /^[^\p{L}]*$/u;
const SLASH_HELP = /^\/(?:start|help|menu)\b/;
/** Complaint categories whose words mean a complaint whatever service the text also names. */
const COMPLAINT_FIRST: ReadonlySet<Category> = new Set(['quality', 'damage', 'loss', 'attitude', 'no_show', 'late', 'safety']);
/** Cues that the customer denies or withdraws rather than complains ("不是要投诉", "没事了"). */
const NOT_A_COMPLAINT = /不是要?投诉|不投诉|没有要投诉|不是说.{0,6}不好|找到了|不退款了|不用赔|\bnot (?:a )?complain/;
/** 88 and 886 (拜拜, 拜拜了): goodbye written in digits, which {@link NO_WORDS} would drop. */
const DIGIT_BYE = /^8{2}6?[!！~。.]*$/;
/** A question about a matter already raised: only then does a complaint cue stay a `progress` guess. */
const ASKS_HOW_IT_WENT = /怎么样了|咋样了|如何了|怎么说|有消息|进展/;

/** Classifies one message (Chinese or English). */
export function classifyIntent(text: string): IntentGuess {
  return classifyIntentWith(MODELS, text);
}

/** {@link classifyIntent} with other weights (`nlu:eval` measures a model trained without the held-out lines). */
export function classifyIntentWith(models: IntentModels, text: string): IntentGuess {
  const s = prepareText(text);
  if (DIGIT_BYE.test(s)) return { intent: 'bye', confidence: 1 };
  if (s === '' || NO_WORDS.test(s)) return { intent: 'unknown', confidence: 1 };
  if (SLASH_HELP.test(s)) return { intent: 'help', confidence: 1 };
  const ruled = classifyComplaint(s);
  const all = featuresOf(s, ruled);
  const distribution = intentDistribution(models, all);
  let intent: Intent = 'unknown';
  let confidence = -1;
  for (const [label, p] of distribution) {
    if (p > confidence && INTENTS.has(label)) {
      intent = label as Intent;
      confidence = p;
    }
  }
  // Complaints first: a damage, loss or lateness cue outranks a service name (打扫得不干净 is no booking).
  // The rule's words are exact enough to act on: an unsure guess with them is a complaint too.
  const denied = NOT_A_COMPLAINT.test(s);
  const asksHowItWent = FOLLOW_UP.test(s) || ASKS_HOW_IT_WENT.test(s);
  const overruled =
    intent === 'book' || intent === 'unknown' || intent === 'price' || intent === 'complain' || (intent === 'progress' && !asksHowItWent) || confidence < SWITCH_TOPIC_BELOW;
  if (overruled && COMPLAINT_FIRST.has(ruled) && !denied) {
    intent = 'complain';
    confidence = Math.max(distribution.get('complain') ?? 0, SWITCH_TOPIC_BELOW);
  } else if (intent === 'complain' && denied) {
    // Negation is respected: 不投诉了，阿姨又回来擦干净了 withdraws; the next best reading stands.
    intent = 'unknown';
    confidence = -1;
    for (const [label, p] of distribution) {
      if (label !== 'complain' && p > confidence && INTENTS.has(label)) {
        intent = label as Intent;
        confidence = p;
      }
    }
    if (isUnsure({ intent, confidence })) intent = 'unknown';
  }
  if (intent !== 'complain') return { intent, confidence };
  return { intent, confidence, category: complaintKind(models, all, ruled) };
}

/** The classifier's intent for a message. */
export function detectIntent(text: string): Intent {
  return classifyIntent(text).intent;
}

/**
 * What a complaint is about: the keyword rules where they name a category (exact words: 打碎,
 * 迟到, 多收), else the learned category model.
 */
function complaintKind(models: IntentModels, all: readonly string[], ruled: Category): ComplaintKind {
  if (ruled !== 'other') return ruled;
  const label = predictFeatures(models.category, all).label.replace(/^complain\./, '');
  return label === 'no_show' || label === 'late' || label === 'quality' || label === 'damage' || label === 'loss' ||
    label === 'attitude' || label === 'price' || label === 'safety' || label === 'repeated' || label === 'aftersales'
    ? label
    : 'other';
}

/** The complaint kind of any text (a complaint's content at record time). */
export function complaintCategory(text: string): ComplaintKind {
  const s = prepareText(text);
  const ruled = classifyComplaint(s);
  return complaintKind(MODELS, featuresOf(s, ruled), ruled);
}

/**
 * The category a complaint is recorded and graded with (DOMAIN §2): `repeated` becomes the
 * category of the customer's previous complaint, if any, else `other` (the repetition itself goes
 * to the prior count, which the grade weighs); `aftersales` (a refund, compensation, a redo) is
 * recorded as `other` when the words name no matter: it is still a complaint and is routed as one.
 */
export function recordedCategory(kind: ComplaintKind, previous?: Category): Category {
  if (kind === 'repeated') return previous ?? 'other';
  if (kind === 'aftersales') return 'other';
  return kind;
}

// ---------------------------------------------------------------------------------------------
// Service

const hasLatin = (s: string): boolean => /[a-z]/.test(s);
const isWordChar = (ch: string): boolean => /[a-z0-9]/.test(ch);

/** Where `term` first occurs in `s`; Latin terms only as whole words (plural -s/-es allowed). */
function findTerm(s: string, term: string): number {
  if (term === '') return -1;
  if (!hasLatin(term)) return s.indexOf(term);
  for (let at = s.indexOf(term); at !== -1; at = s.indexOf(term, at + 1)) {
    let end = at + term.length;
    if (s.startsWith('es', end) && !isWordChar(s.charAt(end + 2))) end += 2;
    else if (s.charAt(end) === 's') end += 1;
    if (!isWordChar(s.charAt(at - 1)) && !isWordChar(s.charAt(end))) return at;
  }
  return -1;
}

/**
 * Words that name housekeeping in general: any other service term in the text wins over them
 * ("阿姨把油烟机洗坏了" is the kitchen, "aircon cleaning" the air conditioner; 阿姨 means a cleaner
 * when the task is cleaning).
 */
const GENERIC_TERMS: ReadonlyMap<string, number> = new Map([
  ...['保洁', '清洁', '卫生', '打扫', '大扫除', 'cleaning', 'house cleaning', 'cleaner'].map((t): [string, number] => [t, 1]),
  ...['阿姨', '家政阿姨', 'housekeeper'].map((t): [string, number] => [t, 2]),
]);

interface ServiceMatch {
  code: string;
  /** 0 for a specific term, 1 for a generic one (保洁, cleaning), 2 for a person (阿姨). */
  generic: number;
  isName: boolean;
  length: number;
  at: number;
}

/** Specific terms beat generic ones, exact names beat synonyms, then longer beats shorter, then the earliest wins. */
function better(a: ServiceMatch, b: ServiceMatch | undefined): boolean {
  if (b === undefined) return true;
  if (a.generic !== b.generic) return a.generic < b.generic;
  if (a.isName !== b.isName) return a.isName;
  if (a.length !== b.length) return a.length > b.length;
  return a.at < b.at;
}

type CatalogTerms = { service: CatalogEntry; terms: Array<[string, boolean]> }[];
const termsCache = new WeakMap<readonly CatalogEntry[], CatalogTerms>();

/** Each service's names and synonyms, normalized once per catalog (a turn checks them all). */
function catalogTerms(catalog: readonly CatalogEntry[]): CatalogTerms {
  let cached = termsCache.get(catalog);
  if (!cached) {
    cached = catalog.map((service) => ({
      service,
      terms: [
        [normalizeText(service.name).trim(), true],
        [normalizeText(service.nameEn).trim(), true],
        ...service.synonyms.map((synonym): [string, boolean] => [normalizeText(synonym).trim(), false]),
      ],
    }));
    termsCache.set(catalog, cached);
  }
  return cached;
}

/** Particles and request words around a bare service name ("空调清洗吧", "想要个月嫂", "aircon please"). */
const AROUND_SERVICE = /[\s\p{P}\p{S}]|我|想|要|请|约|个|一下|吧|啊|呀|呢|哈|的|please|\bi\b|want|need|\ba\b/gu;

/**
 * Whether the text is a catalog service and little else ("绿化植物", "月嫂!"): a booking request
 * by the catalog's exact words, whatever the classifier makes of so few characters.
 */
export function isBareService(text: string, catalog: readonly CatalogEntry[]): boolean {
  const s = normalizeText(text).slice(0, 40);
  for (const { terms } of catalogTerms(catalog)) {
    for (const [term] of terms) {
      if (term === '' || !s.includes(term)) continue;
      if (s.replace(term, '').replace(AROUND_SERVICE, '') === '') return true;
    }
  }
  return false;
}

/**
 * Which catalog service the text names, by code. Matches the Chinese name, the English name and
 * the synonyms (English case-insensitively, as whole words). Exact names beat synonyms and longer
 * matches beat shorter ones: "厨房深度清洁" is kitchen_deep although 清洁 is a daily_cleaning synonym.
 */
export function detectService(text: string, catalog: readonly CatalogEntry[]): string | undefined {
  const s = normalizeText(text);
  let best: ServiceMatch | undefined;
  for (const { service, terms } of catalogTerms(catalog)) {
    for (const [term, isName] of terms) {
      const at = findTerm(s, term);
      if (at === -1) continue;
      const match = { code: service.code, generic: isName ? 0 : (GENERIC_TERMS.get(term) ?? 0), isName, length: term.length, at };
      if (better(match, best)) best = match;
    }
  }
  return best?.code;
}

// ---------------------------------------------------------------------------------------------
// Locale

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

/** 'en' only when the text has Latin letters and no CJK characters; otherwise 'zh'. */
export function detectLocale(text: string): 'zh' | 'en' {
  return /[A-Za-z]/.test(text) && !CJK.test(text) ? 'en' : 'zh';
}
