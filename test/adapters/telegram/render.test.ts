import { describe, expect, it } from 'vitest';
import { MemoryCallbackDataStore } from '../../../adapters/telegram/callback-data.ts';
import { CAPTION_LIMIT, planParts, renderKeyboard, splitText, TEXT_LIMIT } from '../../../adapters/telegram/render.ts';

describe('splitText', () => {
  it('leaves short text alone and drops blank text', () => {
    expect(splitText('你好')).toEqual(['你好']);
    expect(splitText('  \n ')).toEqual([]);
  });

  it('prefers line breaks, then spaces, then a hard cut', () => {
    expect(splitText('aaaa\nbbbb\ncc', 10)).toEqual(['aaaa\nbbbb', 'cc']);
    expect(splitText('aaaa bbbb cc', 10)).toEqual(['aaaa bbbb', 'cc']);
    expect(splitText('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
  });

  it('never splits a surrogate pair', () => {
    const pieces = splitText(`abcd${'😀'.repeat(3)}`, 5);
    expect(pieces).toEqual(['abcd', '😀😀', '😀']);
    expect(pieces.join('')).toBe(`abcd${'😀'.repeat(3)}`);
  });

  it('keeps every piece within Telegram’s limit', () => {
    const pieces = splitText('字'.repeat(TEXT_LIMIT * 2 + 5));
    expect(pieces.map((p) => p.length)).toEqual([TEXT_LIMIT, TEXT_LIMIT, 5]);
  });
});

describe('planParts', () => {
  const keyboard = { inline_keyboard: [[{ text: 'OK', callback_data: 'yes' }]] };
  const file = (mime: string) => ({ name: 'f', mime, data: new Uint8Array([1]) });

  it('puts the keyboard on the last message', () => {
    const parts = planParts({ text: 'x'.repeat(TEXT_LIMIT + 1) }, keyboard);
    expect(parts.map((p) => p.keyboard !== undefined)).toEqual([false, true]);
  });

  it('sends images as photos and other files as documents, text as caption when it fits', () => {
    expect(planParts({ text: 'chart', file: file('image/png') })).toEqual([{ kind: 'photo', file: file('image/png'), caption: 'chart' }]);
    expect(planParts({ text: '', file: file('application/pdf') })).toEqual([{ kind: 'document', file: file('application/pdf') }]);
    const long = planParts({ text: 'y'.repeat(CAPTION_LIMIT + 1), file: file('text/csv') }, keyboard);
    expect(long.map((p) => p.kind)).toEqual(['text', 'document']);
    expect(long[1]).toMatchObject({ keyboard });
    expect(long[1]).not.toHaveProperty('caption');
  });
});

describe('renderKeyboard', () => {
  it('keeps rows, shortens long actions through the store, skips empty rows', async () => {
    const store = new MemoryCallbackDataStore();
    const long = `slot:${'x'.repeat(80)}`;
    const markup = await renderKeyboard([[{ label: 'A', action: 'menu:home' }, { label: 'B', action: long }], []], store);
    expect(markup?.inline_keyboard).toHaveLength(1);
    const [a, b] = markup!.inline_keyboard[0]!;
    expect(a).toEqual({ text: 'A', callback_data: 'menu:home' });
    expect(b && 'callback_data' in b ? await store.get(b.callback_data) : undefined).toBe(long);
    expect(await renderKeyboard([], store)).toBeUndefined();
  });
});
