/**
 * `npm run nlu -- [--now <ISO date-time>] "<text>"`: prints what the core understands of a message
 * as one JSON object (intent, service, start), for tuning and for answering "why did the bot say
 * that".
 */
import { loadSettings } from '../config/env.ts';
import { understand } from '../domain/nlu/index.ts';
import { parseNluArgs } from './args.ts';
import { runMain } from '../lib/run-main.ts';

runMain(async () => {
  const args = parseNluArgs(process.argv.slice(2));
  const { company } = loadSettings();
  const now = args.now ? new Date(args.now) : new Date();
  const u = understand(args.text, { now, zone: company.timeZone, catalog: company.catalog });
  const service = company.catalog.find((s) => s.code === u.serviceCode);
  const out = {
    intent: u.intent,
    ...(service ? { service: service.name, serviceCode: service.code } : {}),
    ...(u.start ? { start: u.start, precision: u.precision } : {}),
    ...(u.when ? { when: u.when } : {}),
    locale: u.locale,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
});
