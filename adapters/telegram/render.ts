/**
 * The core's `Outbound` as Telegram messages: text split to Telegram's 4096-character limit,
 * buttons as an inline keyboard (on the last message, so they sit under the whole reply), a file
 * as a photo (image/*) or document with the text as its caption when it fits in 1024 characters, a
 * person's photo or file (`Outbound.media`) again by its `file_id`, with the text as its caption.
 * Limits from the Bot API reference (sendMessage `text`, sendPhoto/sendDocument `caption`); both
 * count UTF-16 code units, as JavaScript's `length` does.
 */
import { Markup } from 'telegraf';
import type { Button, Media, Outbound } from '../../src/contracts/messages.ts';
import { encodeCallbackData, type CallbackDataStore } from './callback-data.ts';

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
/** Telegram refuses photos over 10 MB; larger images go as documents. */
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;

export type InlineKeyboard = ReturnType<typeof Markup.inlineKeyboard>['reply_markup'];
export type OutboundFile = NonNullable<Outbound['file']>;

/** Telegram's `ForceReply` markup: the client opens a reply to the message (selective: only for the people it targets). */
export interface ForceReply {
  force_reply: true;
  selective?: boolean;
}

/** One Telegram API call's worth of a reply. */
export type MessagePart =
  | { kind: 'text'; text: string; keyboard?: InlineKeyboard; forceReply?: ForceReply; replyTo?: number }
  | { kind: 'photo' | 'document'; file: OutboundFile; caption?: string; keyboard?: InlineKeyboard; replyTo?: number }
  /** A person's photo or file sent again by its `file_id` (a handover relay), answering `replyTo`. */
  | { kind: 'media'; media: Media; caption?: string; keyboard?: InlineKeyboard; replyTo?: number };

/**
 * Splits text into pieces of at most `limit` characters, preferring a line break, then a space,
 * in the second half of each piece; never splits a surrogate pair. Blank pieces are dropped
 * (Telegram refuses empty messages).
 */
export function splitText(text: string, limit: number = TEXT_LIMIT): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    let skip = 1; // the line break itself is dropped at the split
    if (cut < limit / 2) {
      cut = rest.lastIndexOf(' ', limit);
      if (cut < limit / 2) {
        cut = limit;
        skip = 0;
      }
    }
    if (skip === 0 && isHighSurrogate(rest.charCodeAt(cut - 1))) cut -= 1;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut + skip);
  }
  pieces.push(rest);
  return pieces.filter((p) => p.trim().length > 0);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Photos for image types; every other file (and images too large for a photo) as a document. */
function fileKind(file: OutboundFile): 'photo' | 'document' {
  return file.mime.toLowerCase().startsWith('image/') && file.data.byteLength <= PHOTO_MAX_BYTES ? 'photo' : 'document';
}

/**
 * The messages one `Outbound` becomes, in sending order. Pure; `keyboard` is the rendered buttons
 * (see `renderKeyboard`) and goes on the last message. Empty when there is nothing Telegram
 * accepts (no file and blank text).
 */
export function planParts(message: Outbound, keyboard?: InlineKeyboard, prompt?: { replyTo?: number }): MessagePart[] {
  const withKeyboard = keyboard ? { keyboard } : {};
  if (prompt && !message.file) return planPrompt(message, keyboard, prompt);
  const answers = answered(message);
  if (message.file) {
    const kind = fileKind(message.file);
    const text = message.text.trim().length > 0 ? message.text : '';
    const replyTo = answers === undefined ? {} : { replyTo: answers };
    if (text.length <= CAPTION_LIMIT) {
      return [{ kind, file: message.file, ...(text ? { caption: text } : {}), ...withKeyboard, ...replyTo }];
    }
    const texts: MessagePart[] = splitText(text).map((t, i) => ({ kind: 'text', text: t, ...(i === 0 ? replyTo : {}) }));
    return [...texts, { kind, file: message.file, ...withKeyboard }];
  }
  if (message.media) {
    const media = message.media;
    const text = message.text.trim().length > 0 ? message.text : '';
    const replyTo = answers === undefined ? {} : { replyTo: answers };
    if (text.length <= CAPTION_LIMIT) return [{ kind: 'media', media, ...(text ? { caption: text } : {}), ...withKeyboard, ...replyTo }];
    const texts: MessagePart[] = splitText(text).map((t, i) => ({ kind: 'text', text: t, ...(i === 0 ? replyTo : {}) }));
    return [...texts, { kind: 'media', media, ...withKeyboard }];
  }
  const pieces = splitText(message.text);
  return pieces.map((text, i) => ({
    kind: 'text',
    text,
    ...(i === pieces.length - 1 ? withKeyboard : {}),
    ...(i === 0 && answers !== undefined ? { replyTo: answers } : {}),
  }));
}

/** `Outbound.replyTo` as a Telegram message id (a relayed message under its handover post): the first message answers it. */
function answered(message: Outbound): number | undefined {
  return message.replyTo !== undefined && /^\d{1,12}$/.test(message.replyTo) ? Number(message.replyTo) : undefined;
}

/**
 * A prompt answered by typing, in a group (`Outbound.expectsReply`): the text with `force_reply`,
 * so the person's client answers with a reply, which a bot in privacy mode receives. Aimed at the
 * person (`selective`, as a reply to their message) when their message is known; for a button
 * press it is not selective (the press has no message of theirs to reply to). A message takes one
 * markup, so buttons (a cancel button) follow in a message of their own, its text the labels.
 */
function planPrompt(message: Outbound, keyboard: InlineKeyboard | undefined, prompt: { replyTo?: number }): MessagePart[] {
  const pieces = splitText(message.text);
  const forceReply: ForceReply = prompt.replyTo === undefined ? { force_reply: true } : { force_reply: true, selective: true };
  const parts: MessagePart[] = pieces.map((text, i) =>
    i === pieces.length - 1 ? { kind: 'text', text, forceReply, ...(prompt.replyTo === undefined ? {} : { replyTo: prompt.replyTo }) } : { kind: 'text', text },
  );
  if (keyboard) {
    const labels = (message.buttons ?? []).flat().map((b) => b.label).join(' / ');
    if (labels.trim()) parts.push({ kind: 'text', text: labels, keyboard });
  }
  return parts;
}

/**
 * Buttons as an inline keyboard, each action turned into callback data that fits Telegram's
 * 64 bytes (long ones go through `store`). Undefined when there are no buttons.
 * @throws what the store throws.
 */
export async function renderKeyboard(buttons: Button[][] | undefined, store: CallbackDataStore): Promise<InlineKeyboard | undefined> {
  const rows = (buttons ?? []).filter((row) => row.length > 0);
  if (rows.length === 0) return undefined;
  const rendered = await Promise.all(
    rows.map((row) => Promise.all(row.map(async (b) => ({ text: b.label, callback_data: await encodeCallbackData(b.action, store) })))),
  );
  // Plain buttons rather than Markup.button.callback, which adds a `hide` field Telegram does not know.
  return Markup.inlineKeyboard(rendered).reply_markup;
}
