import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { classifyFailure, describeError, redactToken, toSendError } from '../../../adapters/telegram/errors.ts';
import { readUpdate } from '../../../adapters/telegram/inbound.ts';
import { secretMatches } from '../../../adapters/telegram/webhook.ts';

const TOKEN = '123456789:TESTtoken_0123456789abcdefghijklmno';
const now = () => new Date('2026-11-23T02:00:00Z');

describe('errors', () => {
  it('keeps the token out of messages', () => {
    const e = new Error(`request to https://api.telegram.org/bot${TOKEN}/getMe failed, reason: ECONNRESET`);
    expect(describeError(e, TOKEN).message).toBe('request to https://api.telegram.org/bot[token]/getMe failed, reason: ECONNRESET');
    expect(redactToken(`x ${TOKEN} y`)).toBe('x [token] y');
  });

  it('classifies 429, 403, 400 and the rest', () => {
    const tg = (error_code: number, description: string, retry_after?: number) =>
      new TelegramError({ error_code, description, ...(retry_after !== undefined ? { parameters: { retry_after } } : {}) }, { method: 'sendMessage', payload: { text: '13912345678' } });
    expect(classifyFailure(tg(429, 'Too Many Requests: retry after 7', 7))).toEqual({ kind: 'rate-limited', retryAfterMs: 7000 });
    expect(classifyFailure(tg(403, 'Forbidden: bot was blocked by the user'))).toEqual({ kind: 'permanent' });
    expect(classifyFailure(tg(400, 'Bad Request: chat not found'))).toEqual({ kind: 'permanent' });
    expect(classifyFailure(tg(502, 'Bad Gateway'))).toEqual({ kind: 'transient' });
    expect(classifyFailure(new Error('socket hang up'))).toEqual({ kind: 'transient' });
    const send = toSendError(tg(429, 'Too Many Requests: retry after 7', 7));
    expect(send).toMatchObject({ name: 'SendError', retryAfterMs: 7000, permanent: false });
    expect(send.message).toBe('telegram sendMessage failed: 429 Too Many Requests: retry after 7');
    // The payload (a customer's words) is not carried along.
    expect(JSON.stringify(describeError(tg(400, 'Bad Request: chat not found')))).not.toContain('13912345678');
  });
});

describe('secretMatches', () => {
  it('accepts only the exact secret', () => {
    expect(secretMatches('s3cret', 's3cret')).toBe(true);
    expect(secretMatches('s3cret', 's3cre')).toBe(false);
    expect(secretMatches('s3cret', 's3cretX')).toBe(false);
    expect(secretMatches('s3cret', undefined)).toBe(false);
    expect(secretMatches('s3cret', ['s3cret'])).toBe(false);
  });
});

describe('readUpdate', () => {
  const chat = { id: 7, type: 'private' };
  const from = { id: 7, is_bot: false, first_name: 'Ann', last_name: 'Lee' };

  it('maps a text message', () => {
    expect(readUpdate({ update_id: 3, message: { message_id: 1, date: 1_795_000_000, chat, from, text: 'hi' } }, now)).toEqual({
      kind: 'message',
      messageRef: 1,
      inbound: { channel: 'telegram', chatId: '7', userId: '7', displayName: 'Ann Lee', messageId: '3', text: 'hi', at: new Date(1_795_000_000_000), chatType: 'private' },
    });
  });

  it('writes a name in Chinese characters family name first, with no space', () => {
    const zhang = { id: 8, is_bot: false, first_name: '伟', last_name: '张' };
    const mixed = { id: 9, is_bot: false, first_name: 'Wei', last_name: '张' };
    const read = (user: object) => readUpdate({ update_id: 4, message: { message_id: 2, date: 1_795_000_000, chat, from: user, text: 'hi' } }, now);
    expect(read(zhang)).toMatchObject({ inbound: { displayName: '张伟' } });
    expect(read(mixed)).toMatchObject({ inbound: { displayName: 'Wei 张' } });
    expect(read({ id: 10, is_bot: false, first_name: '师傅', last_name: '王' })).toMatchObject({ inbound: { displayName: '王师傅' } });
  });

  it('maps a button press, dated by the given clock', () => {
    const read = readUpdate({ update_id: 4, callback_query: { id: 'Q1', from: { id: 7, first_name: '', username: 'ann' }, message: { chat }, data: 'yes' } }, now);
    expect(read).toEqual({
      kind: 'callback',
      queryId: 'Q1',
      data: 'yes',
      inbound: { channel: 'telegram', chatId: '7', userId: '7', displayName: 'ann', messageId: 'cb:Q1', at: now(), chatType: 'private' },
    });
  });

  it('maps a photo (its largest size) or a document by file_id, the caption as the text; drops a mime type the core would refuse', () => {
    const photo = [
      { file_id: 'small', file_unique_id: 'u1', width: 90, height: 90, file_size: 900 },
      { file_id: 'large', file_unique_id: 'u2', width: 1280, height: 960, file_size: 90_000 },
    ];
    expect(readUpdate({ update_id: 9, message: { message_id: 2, date: 1_795_000_000, chat, from, photo, caption: '漏水' } }, now)).toMatchObject({
      kind: 'message',
      inbound: { text: '漏水', media: { kind: 'photo', ref: 'large', size: 90_000 } },
    });
    const document = { file_id: 'doc', file_unique_id: 'u3', file_name: '报价单.pdf', mime_type: 'application pdf' };
    const read = readUpdate({ update_id: 10, message: { message_id: 3, date: 1_795_000_000, chat, from, document } }, now);
    expect(read).toMatchObject({ kind: 'message', inbound: { text: '', media: { kind: 'document', ref: 'doc', name: '报价单.pdf' } } });
    expect(read.kind === 'message' && read.inbound.media?.mime).toBeUndefined();
    // A photo that is not a list of sizes is refused with the path, not a crash.
    expect(readUpdate({ update_id: 11, message: { message_id: 4, date: 1, chat, from, photo: 'x' } }, now)).toEqual({ kind: 'invalid', updateId: 11, issues: [expect.stringContaining('message.photo')] });
  });

  it('ignores what has no person or no chat, refuses what is malformed', () => {
    expect(readUpdate({ update_id: 5, message: { message_id: 1, date: 1, chat: { id: -1, type: 'supergroup' }, text: 'anon' } }, now)).toMatchObject({ kind: 'ignored' });
    expect(readUpdate({ update_id: 6, callback_query: { id: 'Q2', from, data: 'x' } }, now)).toMatchObject({ kind: 'ignored', queryId: 'Q2' });
    expect(readUpdate({ update_id: 7, edited_message: {} }, now)).toMatchObject({ kind: 'ignored' });
    expect(readUpdate({ update_id: 8, message: { chat: 'x' } }, now)).toMatchObject({ kind: 'invalid', updateId: 8 });
    expect(readUpdate(null, now)).toMatchObject({ kind: 'invalid', updateId: undefined });
  });
});
