/**
 * The NLU corpus files (`src/domain/nlu/corpus/`): the training lines (`train-*.tsv`, of which a
 * fixed fifth is held out for `nlu:eval`), and the outsider set written by someone else, which is
 * never trained on (`outsider-eval.tsv`, `outsider-times.tsv`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCorpus, type Example } from '../domain/nlu/classifier.ts';
import { PROJECT_ROOT } from '../lib/project-root.ts';

export const CORPUS_DIR = join(PROJECT_ROOT, 'src/domain/nlu/corpus');
export const MODEL_FILE = join(PROJECT_ROOT, 'src/domain/nlu/intent-model.json');

/** Every training line, files in name order. */
export function trainingLines(): Example[] {
  const files = readdirSync(CORPUS_DIR)
    .filter((f) => /^train-.*\.tsv$/.test(f))
    .sort();
  return files.flatMap((f) => parseCorpus(readFileSync(join(CORPUS_DIR, f), 'utf8')));
}

/** The outsider evaluation set (intents). */
export function outsiderLines(): Example[] {
  return parseCorpus(readFileSync(join(CORPUS_DIR, 'outsider-eval.tsv'), 'utf8'));
}

/** The outsider start-time set: service code, expected start (date or date-time), text. */
export function outsiderTimes(): { service: string; start: string; text: string }[] {
  return readFileSync(join(CORPUS_DIR, 'outsider-times.tsv'), 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [service = '', start = '', ...rest] = line.split('\t');
      return { service, start, text: rest.join('\t') };
    });
}
