/**
 * The committed classifier weights (`src/domain/nlu/intent-model.json`) are what `npm run nlu:train`
 * makes of the corpus today: training is deterministic, so a corpus line or a feature changed
 * without retraining fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isHeldOut, parseCorpus, trainModels } from '../../../src/domain/nlu/classifier.ts';
import { MODEL_FILE, trainingLines } from '../../../src/cli/nlu-corpus.ts';

describe('intent-model.json', () => {
  it('is current: retraining on the corpus gives the same weights', () => {
    const committed = JSON.parse(readFileSync(MODEL_FILE, 'utf8')) as unknown;
    expect(trainModels(trainingLines())).toStrictEqual(committed);
  }, 60_000);

  it('is trained on at least 1,500 lines covering every intent and 300 complaints of every category', () => {
    const lines = trainingLines();
    expect(lines.length).toBeGreaterThanOrEqual(1500);
    const labels = new Set(lines.map((l) => l.label));
    for (const intent of ['book', 'price', 'bookings', 'cancel', 'reschedule', 'progress', 'human', 'help', 'greet', 'thanks', 'bye', 'report', 'unknown']) {
      expect(labels).toContain(intent);
    }
    for (const category of ['quality', 'damage', 'loss', 'late', 'no_show', 'attitude', 'price', 'safety', 'repeated', 'aftersales', 'other']) {
      expect(labels).toContain(`complain.${category}`);
    }
    expect(lines.filter((l) => l.label.startsWith('complain.')).length).toBeGreaterThanOrEqual(300);
  });

  it('holds out the same fifth of the lines every run', () => {
    const heldOut = trainingLines().filter((l) => isHeldOut(l.text));
    expect(heldOut.length / trainingLines().length).toBeGreaterThan(0.15);
    expect(heldOut.length / trainingLines().length).toBeLessThan(0.25);
    expect(isHeldOut('明天下午三点来做个日常保洁')).toBe(isHeldOut('明天下午三点来做个日常保洁'));
    expect(parseCorpus('# comment\nbook\t约个保洁\nbad line\n\n')).toStrictEqual([{ label: 'book', text: '约个保洁' }]);
  });
});
