/**
 * `npm run nlu -- [--now <ISO date-time>] "<text>"`: prints what the core understands of a message
 * as one JSON object (intent, confidence, complaint category, service, start), for tuning and for
 * answering "why did the bot say that".
 */
import { loadDotEnv, loadSettings } from '../config/env.ts';
import { CLARIFY_BELOW, understand } from '../domain/nlu/index.ts';
import { parseNluArgs } from './args.ts';
import { runMain } from '../lib/run-main.ts';

runMain(async () => {
  const { company } = loadSettings(loadDotEnv());
  const args = parseNluArgs(process.argv.slice(2));
  const now = args.now ? new Date(args.now) : new Date();
  const understood = understand(args.text, { now, zone: company.timeZone, catalog: company.catalog });
  const service = company.catalog.find((s) => s.code === understood.serviceCode);
  const out = {
    intent: understood.intent,
    confidence: Math.round((understood.confidence ?? 1) * 1000) / 1000,
    ...(understood.confidence !== undefined && understood.confidence < CLARIFY_BELOW ? { unsure: true } : {}),
    ...(understood.category ? { category: understood.category } : {}),
    ...(service ? { service: service.name, serviceCode: service.code } : {}),
    ...(understood.start ? { start: understood.start, precision: understood.precision } : {}),
    ...(understood.moveFrom ? { moveFrom: understood.moveFrom } : {}),
    ...(understood.when ? { when: understood.when } : {}),
    locale: understood.locale,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
});
