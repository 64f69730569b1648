/**
 * Understanding per message (issue #12): `understand()` as the bot runs it (the classifier, dates,
 * service) next to the keyword rules it replaced, over every corpus line, in the same run; and the
 * time to load the classifier's weights. Without the large-model fallback, which is off by default.
 */
import { readFileSync } from 'node:fs';
import { loadCompany } from '../../src/config/company.ts';
import { MODEL_FILE, outsiderLines, trainingLines } from '../../src/cli/nlu-corpus.ts';
import { predict, type IntentModels } from '../../src/domain/nlu/classifier.ts';
import { DateTime } from 'luxon';
import { detectService, parseWhen, resolveWhen, understand } from '../../src/domain/nlu/index.ts';
import { rulesIntent } from '../../src/domain/nlu/rules.ts';

/** Wall-clock percentiles, and the same for the process's CPU time (which a busy machine's preemptions do not inflate). */
interface Timing {
  p50Ms: number;
  p99Ms: number;
  cpuP50Ms: number;
  cpuP99Ms: number;
}

export interface NluBenchResult {
  messages: number;
  classifier: Timing;
  rules: Timing;
  /** Reading and parsing intent-model.json and a first prediction with each of its models. */
  loadMs: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

function timeEach(texts: readonly string[], fn: (text: string) => unknown, rounds: number): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const text of texts) {
      const c = process.cpuUsage();
      const t = performance.now();
      fn(text);
      wall.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { p50Ms: percentile(wall, 50), p99Ms: percentile(wall, 99), cpuP50Ms: percentile(cpu, 50), cpuP99Ms: percentile(cpu, 99) };
}

export function benchNlu(rounds = 5): NluBenchResult {
  const company = loadCompany();
  const texts = [...trainingLines(), ...outsiderLines()].map((l) => l.text);
  const now = new Date('2026-11-30T10:00:00+08:00');
  const ctx = { now, zone: company.timeZone, catalog: company.catalog };
  const started = performance.now();
  const models = JSON.parse(readFileSync(MODEL_FILE, 'utf8')) as IntentModels;
  for (const model of [models.intent, models.fine, models.category]) predict(model, '明天下午三点日常保洁');
  const loadMs = performance.now() - started;
  // understand() as it was before #12: the keyword rules, then the same service and time work.
  const rules = (text: string) => {
    rulesIntent(text);
    detectService(text, company.catalog);
    const when = parseWhen(text, ctx);
    if (when && !when.rejected) DateTime.fromJSDate(resolveWhen(when, ctx).start, { zone: company.timeZone }).toISO();
  };
  // Warm up both (JIT), then measure them alternately in the same run.
  timeEach(texts, (t) => understand(t, ctx), 1);
  timeEach(texts, rules, 1);
  const classifier = timeEach(texts, (t) => understand(t, ctx), rounds);
  const baseline = timeEach(texts, rules, rounds);
  return { messages: texts.length, classifier, rules: baseline, loadMs };
}
