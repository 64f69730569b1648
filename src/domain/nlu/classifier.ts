/**
 * The learned intent classifier: a linear model (multinomial logistic regression) over character
 * 1-3-grams of the normalized text, Latin words, and a few rule cues (negation, complaint words,
 * the keyword rules of `rules.ts`). Trained by `npm run nlu:train` from the corpus in
 * `corpus/` into `intent-model.json`; training is deterministic, so a test retrains and checks the
 * committed weights are current. `npm run nlu:eval` measures it against the rules and NLP.js.
 */
import { classifyComplaint } from '../complaints/classify.ts';
import { normalizeText } from './extract.ts';
import { ruleCues } from './rules.ts';

/** One labelled line of the corpus: `book`, `complain.damage`... */
export interface Example {
  label: string;
  text: string;
}

/**
 * Weights as stored: labels, biases, and per feature its weights that matter, flattened as
 * `[labelIndex, weight × 1000, labelIndex, weight × 1000, ...]` (integers keep the file small).
 */
export interface LinearModel {
  labels: string[];
  bias: number[];
  weights: Record<string, number[]>;
}

/** The model's answer: the best label, its probability, and every label's probability. */
interface Prediction {
  label: string;
  probability: number;
  /** Probabilities per label, in `model.labels` order. */
  probabilities: number[];
}

const MAX_CHARS = 160;
/** Stored weights are integers in thousandths. */
const WEIGHT_UNIT = 1e-3;
const LATIN_WORD = /[a-z][a-z']*/g;
/** Cues that say "not"/"no need": they change what the words after them mean. */
const NEGATION = /不是|不用|不要|不想|不需要|没事|别|先不|不请|不做|不弄|不约|算了|撤了|退了|\bnot?\b|\bdon'?t\b|\bno need\b|\bnever ?mind\b/;
const QUESTION = /[?？吗呢么嘛]|几|哪|什么|啥|怎么|多少|\bwhat|\bwhen|\bhow|\bwhich|\bis it\b/;
/** Asking how something already raised is going (进度, 有结果了吗, any update): `progress` more than a new complaint. */
export const FOLLOW_UP =
  /进度|后来怎么|怎么处理|处理(?:得|的)?怎么样|处理了没|处理好了没|处理完了没|有结果|结果(?:呢|出来)|走完了|跟进|有人(?:在)?跟|动静|下文|回复呢|什么时候(?:给|退|赔|回)|在哪|\bupdate\b|\bstatus\b|\bfollow(?:ing|ed)? up\b|\bany news\b|\bstill waiting\b|\bhear back\b/;
const PAST = /昨天|前天|上次|上周|上个月|刚才|刚刚|之前|已经|\byesterday\b|\blast\b|\bago\b/;

/** The text as the classifier reads it: normalized, white space collapsed, at most 160 characters. */
export function prepareText(text: string): string {
  return normalizeText(text).replace(/\s+/g, ' ').trim().slice(0, MAX_CHARS);
}

/** The features of one text; a feature may repeat (counts add). Pure and linear in the text's length. */
function features(text: string): string[] {
  const s = prepareText(text);
  return featuresOf(s, classifyComplaint(s));
}

/** {@link features} of an already prepared text whose complaint category the caller has. */
export function featuresOf(s: string, category: string): string[] {
  const out: string[] = [];
  // Character n-grams of everything but Latin words, which are counted as words below.
  const chars = [...`^${s.replace(LATIN_WORD, '_').replace(/[0-9]/g, '0')}$`];
  for (let i = 0; i < chars.length; i += 1) {
    const a = chars[i]!;
    if (a !== ' ') out.push(a);
    const b = chars[i + 1];
    if (b === undefined) continue;
    out.push(a + b);
    const c = chars[i + 2];
    if (c !== undefined) out.push(a + b + c);
  }
  const words = s.match(LATIN_WORD) ?? [];
  for (let i = 0; i < words.length; i += 1) {
    out.push(`w:${words[i]}`);
    if (i + 1 < words.length) out.push(`w:${words[i]}_${words[i + 1]}`);
  }
  for (const cue of ruleCues(s)) out.push(`r:${cue}`);
  if (NEGATION.test(s)) out.push('r:neg');
  if (QUESTION.test(s)) out.push('r:q');
  if (PAST.test(s)) out.push('r:past');
  if (FOLLOW_UP.test(s)) out.push('r:followup');
  if (category !== 'other') out.push(`r:cat:${category}`);
  out.push(`len:${Math.min(6, Math.floor(Math.log2(chars.length)))}`);
  return out;
}

/** Softmax probabilities of a text under a model. */
export function predict(model: LinearModel, text: string): Prediction {
  return predictFeatures(model, features(text));
}

/** Softmax probabilities of a text's features under a model. */
export function predictFeatures(model: LinearModel, all: readonly string[]): Prediction {
  const rows = rowsOf(model);
  const sums = new Array<number>(model.bias.length).fill(0);
  for (const feature of all) {
    const row = rows.get(feature);
    if (row === undefined) continue;
    for (let i = 0; i < row.length; i += 2) sums[row[i]!]! += row[i + 1]!;
  }
  const scale = WEIGHT_UNIT / Math.sqrt(all.length);
  const probabilities = softmax(model.bias.map((b, i) => b + sums[i]! * scale));
  let best = 0;
  for (let i = 1; i < probabilities.length; i += 1) if (probabilities[i]! > probabilities[best]!) best = i;
  return { label: model.labels[best]!, probability: probabilities[best]!, probabilities };
}

/** Each model's weights as a Map (faster to look up than an object of 40,000 keys), made once per model. */
const ROWS = new WeakMap<LinearModel, Map<string, Int32Array>>();
function rowsOf(model: LinearModel): Map<string, Int32Array> {
  let rows = ROWS.get(model);
  if (!rows) {
    rows = new Map(Object.entries(model.weights).map(([feature, row]) => [feature, Int32Array.from(row)]));
    ROWS.set(model, rows);
  }
  return rows;
}

function softmax(scores: number[]): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  const out = scores.map((s) => {
    const e = Math.exp(s - max);
    sum += e;
    return e;
  });
  return out.map((e) => e / sum);
}

/** A small deterministic generator (mulberry32), so training gives the same weights every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty per step, applied to the weights an example touches. */
  l2?: number;
  /** Weights smaller than this are dropped from the stored model. */
  prune?: number;
  /** Features seen in fewer training lines than this are dropped from the stored model. */
  minDocuments?: number;
}

/**
 * Trains softmax regression by stochastic gradient descent in a seeded order. Deterministic: the
 * same examples give the same weights (rounded to 4 decimals, small ones pruned).
 */
function train(examples: readonly Example[], options: TrainOptions = {}): LinearModel {
  const { epochs = 30, learningRate = 3, l2 = 1e-4, prune = 0.2, minDocuments = 1 } = options;
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const featureIndex = new Map<string, number>();
  const documentFrequency = new Map<number, number>();
  const docs = examples.map((e) => {
    const counts = new Map<number, number>();
    const all = features(e.text);
    const scale = 1 / Math.sqrt(all.length);
    for (const f of all) {
      let id = featureIndex.get(f);
      if (id === undefined) {
        id = featureIndex.size;
        featureIndex.set(f, id);
      }
      counts.set(id, (counts.get(id) ?? 0) + scale);
    }
    for (const id of counts.keys()) documentFrequency.set(id, (documentFrequency.get(id) ?? 0) + 1);
    return { ids: [...counts.keys()], values: [...counts.values()], y: labelIndex.get(e.label)! };
  });
  const C = labels.length; // label count
  const W = new Float64Array(featureIndex.size * C);
  const bias = new Float64Array(C);
  const random = seeded(12);
  const order = docs.map((_, i) => i);
  const scores = new Float64Array(C);
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rate = learningRate / (1 + epoch * 0.15);
    for (const index of order) {
      const doc = docs[index]!;
      for (let c = 0; c < C; c += 1) scores[c] = bias[c]!;
      for (let k = 0; k < doc.ids.length; k += 1) {
        const base = doc.ids[k]! * C;
        const v = doc.values[k]!;
        for (let c = 0; c < C; c += 1) scores[c]! += W[base + c]! * v;
      }
      const p = softmax(Array.from(scores));
      for (let c = 0; c < C; c += 1) {
        const gradient = p[c]! - (c === doc.y ? 1 : 0);
        bias[c]! -= rate * gradient;
        for (let k = 0; k < doc.ids.length; k += 1) {
          const at = doc.ids[k]! * C + c;
          W[at] = W[at]! - rate * (gradient * doc.values[k]! + l2 * W[at]!);
        }
      }
    }
  }
  const weights: Record<string, number[]> = {};
  for (const [feature, id] of [...featureIndex].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if ((documentFrequency.get(id) ?? 0) < minDocuments) continue;
    const row: number[] = [];
    for (let c = 0; c < C; c += 1) {
      const w = W[id * C + c]!;
      if (Math.abs(w) >= prune) row.push(c, Math.round(w / WEIGHT_UNIT));
    }
    if (row.length > 0) weights[feature] = row;
  }
  return { labels, bias: [...bias].map((b) => Math.round(b * 1e4) / 1e4), weights };
}

/** Parses corpus text (`label<TAB>text` lines, `#` comments); malformed lines are skipped. */
export function parseCorpus(tsv: string): Example[] {
  const out: Example[] = [];
  for (const line of tsv.split(/\r?\n/)) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const label = line.slice(0, tab).trim();
    const text = line.slice(tab + 1);
    if (text.trim() !== '') out.push({ label, text });
  }
  return out;
}

/** FNV-1a of a string: the held-out split is decided by the text alone, the same on every run. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Whether a training line belongs to the held-out fifth (by a hash of its text). */
export function isHeldOut(text: string): boolean {
  return fnv1a(text) % 5 === 0;
}

/** The three models the understanding uses, stored together in `intent-model.json`. */
export interface IntentModels {
  /** Top-level intents (every complaint label is `complain`). */
  intent: LinearModel;
  /** The corpus labels as written (`complain.damage`...), summed to intents and averaged with `intent`. */
  fine: LinearModel;
  /** Complaint lines only: which complaint category. */
  category: LinearModel;
}

/** The intent a corpus label stands for: `complain.damage` -> `complain`. */
export function intentOfLabel(label: string): string {
  return label.startsWith('complain') ? 'complain' : label;
}

/** Trains the three models from labelled lines (deterministic). */
export function trainModels(examples: readonly Example[], options: TrainOptions = {}): IntentModels {
  return {
    intent: train(examples.map((e) => ({ label: intentOfLabel(e.label), text: e.text })), options),
    fine: train(examples, options),
    category: train(examples.filter((e) => e.label.startsWith('complain.')), options),
  };
}

/** Intent probabilities of a text's features: the intent model and the fine model summed per intent, averaged. */
export function intentDistribution(models: IntentModels, all: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const model of [models.intent, models.fine]) {
    const { probabilities } = predictFeatures(model, all);
    const intents = intentsOf(model);
    for (let i = 0; i < intents.length; i += 1) out.set(intents[i]!, (out.get(intents[i]!) ?? 0) + probabilities[i]! / 2);
  }
  return out;
}

const INTENT_NAMES = new WeakMap<LinearModel, string[]>();
/** The intent of each of a model's labels, worked out once per model. */
function intentsOf(model: LinearModel): string[] {
  let intents = INTENT_NAMES.get(model);
  if (!intents) {
    intents = model.labels.map(intentOfLabel);
    INTENT_NAMES.set(model, intents);
  }
  return intents;
}
