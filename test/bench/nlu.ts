/**
 * Understanding per message (issue #12): `understand()` as the bot runs it (the classifier, dates,
 * service) next to the keyword rules it replaced, over every corpus line, in the same run; and the
 * time to load the classifier's weights. Without the large-model fallback, which is off by default.
 */
import { readFileSync } from 'node:fs';
import { loadCompany } from '../../src/config/company.ts';
import { MODEL_FILE, outsiderLines, trainingLines } from '../../src/cli/nlu-corpus.ts';
import { predict, type IntentModels } from '../../src/domain/nlu/classifier.ts';
import { detectService, parseWhen, understand } from '../../src/domain/nlu/index.ts';
import { rulesIntent } from '../../src/domain/nlu/rules.ts';

export interface NluBenchResult {
  messages: number;
  classifier: { p50Ms: number; p99Ms: number };
  rules: { p50Ms: number; p99Ms: number };
  /** Reading and parsing intent-model.json and a first prediction. */
  loadMs: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

function timeEach(texts: readonly string[], fn: (text: string) => unknown, rounds: number): { p50Ms: number; p99Ms: number } {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const text of texts) {
      const t = performance.now();
      fn(text);
      samples.push(performance.now() - t);
    }
  }
  samples.sort((a, b) => a - b);
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}

export function benchNlu(rounds = 5): NluBenchResult {
  const company = loadCompany();
  const texts = [...trainingLines(), ...outsiderLines()].map((l) => l.text);
  const now = new Date('2026-11-30T10:00:00+08:00');
  const ctx = { now, zone: company.timeZone, catalog: company.catalog };
  const started = performance.now();
  const models = JSON.parse(readFileSync(MODEL_FILE, 'utf8')) as IntentModels;
  predict(models.intent, '明天下午三点日常保洁');
  const loadMs = performance.now() - started;
  // Today's rules did the same work around the intent: service, dates.
  const rules = (text: string) => {
    rulesIntent(text);
    detectService(text, company.catalog);
    parseWhen(text, ctx);
  };
  // Warm up both (JIT), then measure them alternately in the same run.
  timeEach(texts, (t) => understand(t, ctx), 1);
  timeEach(texts, rules, 1);
  const classifier = timeEach(texts, (t) => understand(t, ctx), rounds);
  const baseline = timeEach(texts, rules, rounds);
  return { messages: texts.length, classifier, rules: baseline, loadMs };
}
