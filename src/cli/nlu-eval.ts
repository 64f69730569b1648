/**
 * `npm run nlu:eval`: measures the understanding side by side (issue #12). Three intent models —
 * the learned classifier (`classifier.ts`, as the bot uses it), NLP.js (`@nlpjs/nlp` with
 * `@nlpjs/lang-zh`) and the keyword rules the bot used before — on two tables:
 *
 * - held-out: the fixed fifth of the training corpus chosen by a hash of each line
 *   (`isHeldOut`); every model is trained here on the other four fifths;
 * - outsider: `outsider-eval.tsv`, written by someone else and never trained on; the classifier
 *   is the shipped one (trained on the whole training corpus), NLP.js is trained on the same.
 *
 * For each: accuracy, per-intent precision and recall, a confusion matrix, complaint recall and
 * "non-booking messages answered with a booking" (for the classifier, an unsure guess is a
 * clarifying question, not a booking form). Then complaint categories, and start times and services
 * on `outsider-times.tsv` (its lines are written for Monday 2026-11-30, 10:00 in Shanghai).
 * `--no-nlpjs` skips NLP.js (its training takes about ten seconds a table).
 */
import { createRequire } from 'node:module';
import { loadDotEnv, loadSettings } from '../config/env.ts';
import { classifyComplaint } from '../domain/complaints/classify.ts';
import { intentOfLabel, isHeldOut, trainModels, type Example, type IntentModels } from '../domain/nlu/classifier.ts';
import { CLARIFY_BELOW, classifyIntent, classifyIntentWith, detectService, isBareService, understand, type CatalogEntry } from '../domain/nlu/index.ts';
import { rulesIntent } from '../domain/nlu/rules.ts';
import { runMain } from '../lib/run-main.ts';
import { outsiderLines, outsiderTimes, trainingLines } from './nlu-corpus.ts';

/** What a model says of one text: the intent, and whether the bot would act on it (not ask). */
interface Verdict {
  intent: string;
  acts: boolean;
}
type Model = (text: string) => Verdict | Promise<Verdict>;

const TIMES_NOW = new Date('2026-11-30T10:00:00+08:00');
const INTENT_ORDER = ['book', 'price', 'bookings', 'cancel', 'reschedule', 'complain', 'progress', 'human', 'help', 'greet', 'thanks', 'bye', 'report', 'unknown'];

const pct = (n: number, d: number): string => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)} %`);

/** The bot before the classifier: keyword rules, a named service as a booking, complaint words over a booking. */
function todaysRules(catalog: readonly CatalogEntry[]): Model {
  const complaintFirst = new Set(['quality', 'damage', 'loss', 'attitude', 'no_show', 'late']);
  return (text) => {
    let intent: string = rulesIntent(text);
    if (intent === 'unknown' && detectService(text, catalog) !== undefined) intent = 'book';
    if ((intent === 'book' || intent === 'unknown') && complaintFirst.has(classifyComplaint(text))) intent = 'complain';
    return { intent, acts: true };
  };
}

/** The classifier as `understand()` runs it: a bare catalog name is a booking, else the models. */
function classifier(catalog: readonly CatalogEntry[], models?: IntentModels): Model {
  return (text) => {
    if (detectService(text, catalog) !== undefined && isBareService(text, catalog)) return { intent: 'book', acts: true };
    const guess = models ? classifyIntentWith(models, text) : classifyIntent(text);
    // Unknown and unsure are both answered with the clarifying question.
    return { intent: guess.intent, acts: guess.intent !== 'unknown' && guess.confidence >= CLARIFY_BELOW };
  };
}

/** NLP.js trained on the given lines, or why it cannot run. */
async function nlpjs(lines: readonly Example[]): Promise<Model | string> {
  let Nlp: new (options: object) => NlpJs;
  let LangZh: unknown;
  try {
    const require = createRequire(import.meta.url);
    ({ Nlp } = require('@nlpjs/nlp') as { Nlp: typeof Nlp });
    ({ LangZh } = require('@nlpjs/lang-zh') as { LangZh: unknown });
  } catch (error) {
    return `NLP.js not installed (${(error as Error).message.split('\n')[0]})`;
  }
  const nlp = new Nlp({ languages: ['zh'], autoSave: false, autoLoad: false, nlu: { log: false }, forceNER: false });
  nlp.container.use(LangZh);
  for (const line of lines) nlp.addDocument('zh', line.text, intentOfLabel(line.label));
  await quietly(() => nlp.train());
  return async (text) => {
    const r = await quietly(() => nlp.process('zh', text));
    return { intent: r.intent === 'None' || !r.intent ? 'unknown' : r.intent, acts: true };
  };
}

/** Runs NLP.js without its console chatter ("Compiling dictionary", "contains only stop words"). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  console.log = () => {};
  console.warn = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

interface NlpJs {
  container: { use(plugin: unknown): void };
  addDocument(locale: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(locale: string, text: string): Promise<{ intent?: string; score?: number }>;
}

interface Scored {
  name: string;
  lines: number;
  right: number;
  matrix: Map<string, Map<string, number>>;
  complaints: number;
  complaintsRight: number;
  nonBooking: number;
  nonBookingBooked: number;
  asked: number;
}

async function score(name: string, model: Model, lines: readonly Example[]): Promise<Scored> {
  const out: Scored = { name, lines: lines.length, right: 0, matrix: new Map(), complaints: 0, complaintsRight: 0, nonBooking: 0, nonBookingBooked: 0, asked: 0 };
  for (const line of lines) {
    const gold = intentOfLabel(line.label);
    const verdict = await model(line.text);
    const said = verdict.acts ? verdict.intent : `${verdict.intent}?`;
    if (!verdict.acts && verdict.intent !== 'unknown') out.asked += 1;
    if (verdict.intent === gold) out.right += 1;
    const row = out.matrix.get(gold) ?? new Map<string, number>();
    row.set(verdict.intent, (row.get(verdict.intent) ?? 0) + 1);
    out.matrix.set(gold, row);
    if (gold === 'complain') {
      out.complaints += 1;
      if (verdict.intent === 'complain') out.complaintsRight += 1;
    } else if (gold !== 'book') {
      out.nonBooking += 1;
      if (said === 'book') out.nonBookingBooked += 1;
    }
  }
  return out;
}

function report(s: Scored): string[] {
  const lines = [
    `  ${s.name}: intents right ${pct(s.right, s.lines)} (${s.right}/${s.lines})   complaints recognised ${pct(s.complaintsRight, s.complaints)} (${s.complaintsRight}/${s.complaints})   non-booking answered with a booking ${pct(s.nonBookingBooked, s.nonBooking)} (${s.nonBookingBooked}/${s.nonBooking})${s.asked ? `   unsure (asked instead) ${pct(s.asked, s.lines)}` : ''}`,
  ];
  const intents = INTENT_ORDER.filter((i) => s.matrix.has(i) || [...s.matrix.values()].some((row) => row.has(i)));
  lines.push(`    ${'intent'.padEnd(11)} precision  recall   n`);
  for (const intent of intents) {
    const tp = s.matrix.get(intent)?.get(intent) ?? 0;
    const predicted = [...s.matrix.values()].reduce((sum, row) => sum + (row.get(intent) ?? 0), 0);
    const actual = [...(s.matrix.get(intent)?.values() ?? [])].reduce((a, b) => a + b, 0);
    lines.push(`    ${intent.padEnd(11)} ${pct(tp, predicted).padStart(8)}  ${pct(tp, actual).padStart(7)}  ${String(actual).padStart(3)}`);
  }
  const short = (i: string) => i.slice(0, 5);
  lines.push(`    confusion (rows: true intent, columns: answer)`);
  lines.push(`    ${''.padEnd(11)}${intents.map((i) => short(i).padStart(6)).join('')}`);
  for (const gold of intents) {
    const row = s.matrix.get(gold);
    if (!row) continue;
    lines.push(`    ${gold.padEnd(11)}${intents.map((i) => String(row.get(i) ?? '·').padStart(6)).join('')}`);
  }
  return lines;
}

/** Complaint categories: the rules alone, the category model alone, and rules then model (what the bot uses). */
function categories(lines: readonly Example[], models: IntentModels | undefined): string[] {
  const complaints = lines.filter((l) => l.label.startsWith('complain.'));
  let rules = 0;
  let used = 0;
  for (const line of complaints) {
    const gold = line.label.slice('complain.'.length);
    if (classifyComplaint(line.text) === gold) rules += 1;
    const guess = models ? classifyIntentWith(models, line.text) : classifyIntent(line.text);
    if ((guess.category ?? 'none') === gold) used += 1;
  }
  return [`  complaint category right: keyword rules ${pct(rules, complaints.length)}, rules then category model (used) ${pct(used, complaints.length)} — of ${complaints.length} complaints (counted on every complaint line, whatever intent was answered)`];
}

function times(catalog: readonly CatalogEntry[], zone: string): string[] {
  const rows = outsiderTimes();
  let starts = 0;
  let services = 0;
  const wrong: string[] = [];
  for (const row of rows) {
    const u = understand(row.text, { now: TIMES_NOW, zone, catalog });
    const got = row.start.includes('T') ? u.start?.slice(0, 16) : (u.when?.date ?? u.start?.slice(0, 10));
    if (got === row.start) starts += 1;
    else wrong.push(`    start ${row.start} got ${got ?? '—'}: ${row.text}`);
    if (u.serviceCode === row.service) services += 1;
    else wrong.push(`    service ${row.service} got ${u.serviceCode ?? '—'}: ${row.text}`);
  }
  return [`  start times right ${pct(starts, rows.length)} (${starts}/${rows.length})   services right ${pct(services, rows.length)} (${services}/${rows.length})`, ...wrong];
}

runMain(async () => {
  const withNlpjs = !process.argv.includes('--no-nlpjs');
  const { company } = loadSettings(loadDotEnv());
  const all = trainingLines();
  const train = all.filter((l) => !isHeldOut(l.text));
  const heldOut = all.filter((l) => isHeldOut(l.text));
  const outsider = outsiderLines();
  const out: string[] = [`corpus: ${all.length} training lines (${train.length} trained, ${heldOut.length} held out), ${outsider.length} outsider lines; clarifying threshold ${CLARIFY_BELOW}`];

  const started = performance.now();
  const split = trainModels(train);
  const trainMs = performance.now() - started;
  const rules = todaysRules(company.catalog);
  for (const [title, lines, ours, nlpLines] of [
    ['held-out fifth of the training corpus', heldOut, classifier(company.catalog, split), train],
    ['outsider set (never trained on)', outsider, classifier(company.catalog), all],
  ] as const) {
    out.push('', `== ${title}`);
    out.push(...report(await score('classifier', ours, lines)));
    if (withNlpjs) {
      const t = performance.now();
      const model = await nlpjs(nlpLines);
      if (typeof model === 'string') out.push(`  NLP.js: ${model}`);
      else {
        const trained = performance.now() - t;
        out.push(...report(await score(`NLP.js (trained in ${(trained / 1000).toFixed(1)} s)`, model, lines)));
      }
    } else out.push('  NLP.js: skipped (--no-nlpjs)');
    out.push(...report(await score('keyword rules (before #12)', rules, lines)));
    out.push(...categories(lines, lines === heldOut ? split : undefined));
  }
  out.push('', `classifier training on ${train.length} lines: ${Math.round(trainMs)} ms`);
  out.push('', '== outsider start times (outsider-times.tsv, now 2026-11-30 10:00 Asia/Shanghai)');
  out.push(...times(company.catalog, company.timeZone));
  process.stdout.write(`${out.join('\n')}\n`);
});
