import { describe, expect, it } from 'vitest';
import { isClearEnglish } from '../../../src/domain/nlu/language.ts';

describe('isClearEnglish (issue #16: the language changes only on a clear sentence)', () => {
  it.each(['hello', 'Thanks!', 'I need a cleaner tomorrow morning', 'delete my data', 'cancel my booking please', 'how much is window cleaning'])(
    '%j is English',
    (text) => {
      expect(isClearEnglish(text)).toBe(true);
    },
  );
  it.each(['asdfgh', 'xswl', 'zzzz qwerty', 'asdf ok', 'ok', 'yes', '😀😀', '？？？', '...', '123', '你好 hello', 'aircon清洗'])('%j is not', (text) => {
    expect(isClearEnglish(text)).toBe(false);
  });
});
