/**
 * Sends the core's `Outbound` to a Telegram chat through telegraf, within Telegram's limits.
 *
 * Two callers, two policies for a 429:
 *  - Replies (the adapter answering an update) are paced by the rate limiter before every message,
 *    and on a 429 wait Telegram's `retry_after` and try again, a bounded number of times, so the
 *    person gets every reply, in order, once. Beyond the bounds the reply is `deferred`: the
 *    adapter hands it to the outbox, which sends it late.
 *  - `send()` (the outbox dispatcher, which paces before calling) does not wait: a 429 on the first
 *    message becomes a `SendError` with `retryAfterMs` and the dispatcher reschedules. Once a
 *    message of a split reply is delivered, the rest wait like replies do, so a retry by the
 *    dispatcher never repeats what the chat already has.
 */
import { TelegramError, type Telegram } from 'telegraf';
import { setTimeout as delay } from 'node:timers/promises';
import type { Channel, Outbound } from '../../src/contracts/messages.ts';
import type { Logger } from '../../src/lib/log.ts';
import { withRetryAfter } from '../../src/lib/retry-after.ts';
import type { CallbackDataStore } from './callback-data.ts';
import { classifyFailure, describeError, isChatNotFound, toSendError } from './errors.ts';
import { planParts, renderKeyboard, type InlineKeyboard, type MessagePart } from './render.ts';
import { isGroupChat } from '../../src/lib/rate-limit.ts';

/**
 * Paces sends per chat and overall. `RateLimiter` (src/outbox/rate-limit.ts) is one; pass the
 * dispatcher's instance so replies and outbox sends share Telegram's budget.
 */
export interface SendPacer {
  /** Waits until one more message to `chatId` is allowed, and takes the slot. */
  acquire(channel: Channel, chatId: string): Promise<void>;
  /** Holds sends to `chatId` back for `ms` after a 429. */
  pause(channel: Channel, chatId: string, ms: number): void;
}

interface DeliveryOptions {
  telegram: Telegram;
  store: CallbackDataStore;
  pacer: SendPacer;
  log: Logger;
  /** Redacted from anything logged or thrown. */
  token: string;
  /** Tries per message when Telegram answers 429 (the first try included). */
  maxAttempts: number;
  /** Longest `retry_after` worth waiting for; a longer one fails the message. */
  maxWaitMs: number;
  /** Waits `ms`; tests may shorten it. */
  sleep?: (ms: number) => Promise<void>;
}

/** What became of a reply (see `Delivery.reply`). */
type ReplyOutcome =
  /** `keyboardMessageId`: the message that carries the reply's buttons, if any. */
  | { kind: 'sent'; keyboardMessageId?: number }
  | { kind: 'deferred'; rest: Outbound; retryAfterMs: number }
  | { kind: 'blocked'; error: unknown }
  | { kind: 'failed'; error: unknown };

/** What is left of `message` when only `parts` (its last ones) remain to be sent. */
function restOf(message: Outbound, parts: MessagePart[]): Outbound {
  const texts = parts.map((p) => (p.kind === 'text' ? p.text : (p.caption ?? ''))).filter((t) => t.length > 0);
  const file = parts.find((p) => p.kind === 'photo' || p.kind === 'document');
  return {
    text: texts.join('\n'),
    ...(parts.some((p) => p.keyboard) && message.buttons ? { buttons: message.buttons } : {}),
    ...(file && message.file ? { file: message.file } : {}),
    ...(parts.some((p) => p.kind === 'media') && message.media ? { media: message.media } : {}),
    ...(message.expectsReply ? { expectsReply: true } : {}),
  };
}

/** Renders and sends messages; see the file comment for the 429 policies. */
export class Delivery {
  readonly #o: DeliveryOptions;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(opts: DeliveryOptions) {
    this.#o = opts;
    this.#sleep = opts.sleep ?? ((ms) => delay(ms));
  }

  /**
   * Sends one reply to an update, pacing every message and waiting out 429s within the bounds.
   * @returns `sent`; `deferred` when Telegram asked to wait longer than the bounds allow, with
   *   what is left of the message (`rest`) and how long to wait; `blocked` on a 403 (the bot was
   *   blocked or removed); `failed` otherwise. Nothing is logged here: the caller decides.
   */
  async reply(chatId: string, message: Outbound, context: { replyTo?: number } = {}): Promise<ReplyOutcome> {
    let parts: MessagePart[] = [];
    let delivered = 0;
    let keyboardMessageId: number | undefined;
    try {
      parts = await this.#plan(chatId, message, context);
      for (const part of parts) {
        const id = await this.#deliver(chatId, part, { pace: true });
        if (part.keyboard) keyboardMessageId = id;
        delivered += 1;
      }
      return { kind: 'sent', ...(keyboardMessageId === undefined ? {} : { keyboardMessageId }) };
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === 'rate-limited') {
        return { kind: 'deferred', rest: delivered === 0 ? message : restOf(message, parts.slice(delivered)), retryAfterMs: failure.retryAfterMs };
      }
      if (error instanceof TelegramError && error.code === 403) return { kind: 'blocked', error };
      return { kind: 'failed', error };
    }
  }

  /**
   * Sends for the outbox (the dispatcher has paced the first message).
   * @returns the ids of the message that carries the buttons, if any, and of the last one sent.
   * @throws SendError: `retryAfterMs` on a 429 before anything was delivered, `permanent` when
   *   the chat is gone or the bot blocked (403, 400).
   */
  async send(chatId: string, message: Outbound): Promise<{ keyboard?: number; last?: number }> {
    let delivered = 0;
    let keyboardMessageId: number | undefined;
    let last: number | undefined;
    try {
      const parts = await this.#plan(chatId, message, {});
      for (const part of parts) {
        const id = delivered === 0 ? await this.#sendPart(chatId, part) : await this.#deliver(chatId, part, { pace: true });
        if (part.keyboard) keyboardMessageId = id;
        last = id ?? last;
        delivered += 1;
      }
      return { keyboard: keyboardMessageId, last };
    } catch (error) {
      throw toSendError(error, this.#o.token);
    }
  }

  /** The messages to send; a prompt to type an answer gets `force_reply` in groups (see render.ts). */
  async #plan(chatId: string, message: Outbound, context: { replyTo?: number }): Promise<MessagePart[]> {
    const prompt = message.expectsReply && isGroupChat(chatId) ? context : undefined;
    const parts = planParts(message, await renderKeyboard(message.buttons, this.#o.store), prompt);
    if (parts.length === 0) this.#o.log.debug('telegram: empty reply not sent');
    return parts;
  }

  /** Sends one part, pacing first and retrying after 429s within the bounds. */
  async #deliver(chatId: string, part: MessagePart, opts: { pace: boolean }): Promise<number | undefined> {
    const { pacer, log, maxAttempts, maxWaitMs } = this.#o;
    return withRetryAfter(
      async () => {
        if (opts.pace) await pacer.acquire('telegram', chatId);
        return this.#sendPart(chatId, part);
      },
      {
        attempts: maxAttempts,
        maxWaitMs,
        sleep: this.#sleep,
        retryAfterMs: (error) => {
          const failure = classifyFailure(error);
          return failure.kind === 'rate-limited' ? failure.retryAfterMs : undefined;
        },
        onWait: (retryAfterMs, attempt) => {
          log.warn({ chatId, retryAfterMs, attempt }, 'telegram rate limit: waiting retry_after');
          pacer.pause('telegram', chatId, retryAfterMs);
        },
      },
    );
  }

  /**
   * One API call; returns the sent message's id. A photo Telegram will not take (dimensions,
   * format) goes again as a document.
   */
  async #sendPart(chatId: string, part: MessagePart): Promise<number | undefined> {
    const { telegram } = this.#o;
    const markup = part.keyboard ? { reply_markup: part.keyboard } : {};
    if (part.kind === 'text') {
      const prompt = part.forceReply ? { reply_markup: part.forceReply } : {};
      // The message answered may be gone by now: send anyway.
      const answers = part.replyTo === undefined ? {} : { reply_parameters: { message_id: part.replyTo, allow_sending_without_reply: true } };
      return (await telegram.sendMessage(chatId, part.text, { ...markup, ...prompt, ...answers })).message_id;
    }
    if (part.kind === 'media') return this.#sendMedia(chatId, part, markup);
    const file = { source: Buffer.from(part.file.data.buffer, part.file.data.byteOffset, part.file.data.byteLength), filename: part.file.name };
    const answers = part.replyTo === undefined ? {} : { reply_parameters: { message_id: part.replyTo, allow_sending_without_reply: true } };
    const extra = { ...markup, ...answers, ...(part.caption !== undefined ? { caption: part.caption } : {}) };
    if (part.kind === 'photo') {
      try {
        return (await telegram.sendPhoto(chatId, file, extra)).message_id;
      } catch (error) {
        if (!(error instanceof TelegramError) || error.code !== 400 || isChatNotFound(error)) throw error;
        this.#o.log.info({ chatId, err: describeError(error, this.#o.token) }, 'telegram refused the photo; sending it as a document');
      }
    }
    return (await telegram.sendDocument(chatId, file, extra)).message_id;
  }

  /**
   * A person's photo or file by its `file_id`, with the method of its kind (a file_id cannot change
   * type). When Telegram refuses the reference (400: unknown to this bot, expired) the caption goes
   * alone as text, which names what was sent: the words are never lost with the file.
   */
  async #sendMedia(chatId: string, part: Extract<MessagePart, { kind: 'media' }>, markup: { reply_markup?: InlineKeyboard }): Promise<number | undefined> {
    const { telegram, log, token } = this.#o;
    const answers = part.replyTo === undefined ? {} : { reply_parameters: { message_id: part.replyTo, allow_sending_without_reply: true } };
    const extra = { ...markup, ...answers, ...(part.caption !== undefined ? { caption: part.caption } : {}) };
    const { kind, ref } = part.media;
    try {
      switch (kind) {
        case 'photo':
          return (await telegram.sendPhoto(chatId, ref, extra)).message_id;
        case 'video':
          return (await telegram.sendVideo(chatId, ref, extra)).message_id;
        case 'voice':
          return (await telegram.sendVoice(chatId, ref, extra)).message_id;
        case 'document':
          return (await telegram.sendDocument(chatId, ref, extra)).message_id;
      }
    } catch (error) {
      if (!(error instanceof TelegramError) || error.code !== 400 || isChatNotFound(error)) throw error;
      log.warn({ chatId, kind, err: describeError(error, token) }, 'telegram refused the file reference; sending the words alone');
    }
    if (part.caption === undefined) return undefined;
    return (await telegram.sendMessage(chatId, part.caption, { ...markup, ...answers })).message_id;
  }
}
