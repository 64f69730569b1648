/**
 * `npm run nlu:train`: trains the intent classifier from the corpus and writes
 * `src/domain/nlu/intent-model.json` (deterministic: a test checks the committed file is current).
 */
import { writeFileSync } from 'node:fs';
import { trainModels } from '../domain/nlu/classifier.ts';
import { runMain } from '../lib/run-main.ts';
import { MODEL_FILE, trainingLines } from './nlu-corpus.ts';

runMain(async () => {
  const lines = trainingLines();
  const started = performance.now();
  const models = trainModels(lines);
  writeFileSync(MODEL_FILE, `${JSON.stringify(models)}\n`);
  process.stdout.write(`${lines.length} lines, trained in ${Math.round(performance.now() - started)} ms -> ${MODEL_FILE}\n`);
});
