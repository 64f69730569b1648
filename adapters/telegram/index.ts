/**
 * The Telegram adapter, through telegraf: long polling by default, or a webhook behind a secret
 * token. Each update becomes one core inbound (see inbound.ts); the core's replies go back to the
 * same chat in order, paced within Telegram's limits (see delivery.ts). `send()` lets the outbox
 * reach any chat, customers' and staff groups'.
 *
 * Updates of one chat are handled one after another in arrival order; different chats run side
 * by side, and polling goes on while a slow chat waits (see polling.ts, which also retries 409 and
 * reports a lasting conflict or a revoked token as fatal through `AdapterDeps.onFatal`). A button
 * press is answered (`answerCbQuery`) before anything else, so the client stops spinning whatever
 * happens next.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Telegraf, type Context } from 'telegraf';
import type { Update } from 'telegraf/types';
import { inboundSchema, type InboundInput, type Media, type Outbound } from '../../src/contracts/messages.ts';
import { AdapterStartError, SendError } from '../../src/lib/errors.ts';
import { BoundedCache } from '../../src/lib/bounded-cache.ts';
import { KeyedQueue } from '../../src/lib/keyed-queue.ts';
import { isGroupChat, RateLimiter } from '../../src/lib/rate-limit.ts';
import type { AdapterDeps, AdapterFatal, LateReply, PlatformAdapter } from '../../src/contracts/adapter.ts';
import { DEFAULT_CONFLICT_EXIT_AFTER_MS } from './config.ts';
import { decodeCallbackData, MemoryCallbackDataStore, type CallbackDataStore } from './callback-data.ts';
import type { TelegramConfig } from './config.ts';
import { Delivery, type SendPacer } from './delivery.ts';
import { describeError } from './errors.ts';
import { readUpdate } from './inbound.ts';
import { Poller } from './polling.ts';
import { startWebhookServer, type WebhookServer } from './webhook.ts';


export { MemoryCallbackDataStore, type CallbackDataStore } from './callback-data.ts';
export type { SendPacer } from './delivery.ts';

/** Telegram gives no type with a photo's or voice note's file: its path's extension tells it. */
const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
};

function mimeByName(name: string): string {
  return MIME_BY_EXTENSION[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/** The update kinds the bot asks Telegram for. */
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface TelegramAdapterOptions {
  /** Where actions longer than 64 bytes wait for their button (default: in memory, bounded). */
  callbackStore?: CallbackDataStore;
  /**
   * Paces the adapter's replies (default: its own `RateLimiter` with Telegram's limits). Pass the
   * outbox dispatcher's limiter so replies and outbox sends share one budget.
   */
  pacer?: SendPacer;
  /** Tries per reply message when Telegram answers 429, the first included. Default 4. */
  maxReplyAttempts?: number;
  /** Longest `retry_after` a reply waits for before it is given up (logged). Default 60 000 ms. */
  maxReplyWaitMs?: number;
  /** The time given to button presses (Telegram does not date them), and the poller's clock. Default: the system clock. */
  now?: () => Date;
  /** Waits `ms` (polling backoff, reply retry waits); tests pass a virtual one. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Polling: most updates in hand at once (1-100, Telegram's getUpdates limit). Default 100. */
  maxUpdatesInFlight?: number;
  /** Polling: pause between polls while updates are in hand and nothing new came. Default 1000 ms. */
  idlePollMs?: number;
}

/** A `PlatformAdapter` for Telegram, plus what operators and tests need to see. */
export interface TelegramAdapter extends PlatformAdapter {
  readonly channel: 'telegram';
  /** The local webhook server's port once started in webhook mode; undefined otherwise. */
  readonly webhookPort: number | undefined;
}

/**
 * Builds the Telegram adapter. Nothing connects until `start()`.
 * @param config from `telegramConfigFromEnv`.
 */
export function createTelegramAdapter(config: TelegramConfig, deps: AdapterDeps, opts: TelegramAdapterOptions = {}): TelegramAdapter {
  return new TelegramBotAdapter(config, deps, opts);
}

class TelegramBotAdapter implements TelegramAdapter {
  readonly channel = 'telegram' as const;
  readonly #config: TelegramConfig;
  readonly #deps: AdapterDeps;
  readonly #bot: Telegraf;
  readonly #store: CallbackDataStore;
  readonly #delivery: Delivery;
  readonly #now: () => Date;
  /** Each chat's updates, one after another. */
  readonly #chats = new KeyedQueue();
  #state: 'idle' | 'starting' | 'running' | 'stopped' = 'idle';
  #poller: Poller | undefined;
  /** The open prompt with buttons (its message id) of each chat, or each staff member in a group. */
  readonly #prompts = new BoundedCache<string, number>(10_000);
  /** Chats whose replies go to the outbox until this time (ms), after a long rate limit. */
  readonly #deferred = new Map<string, number>();
  #fatal = false;
  #server: WebhookServer | undefined;

  constructor(config: TelegramConfig, deps: AdapterDeps, opts: TelegramAdapterOptions) {
    this.#config = config;
    this.#deps = deps;
    this.#now = opts.now ?? (() => new Date());
    this.#store = opts.callbackStore ?? new MemoryCallbackDataStore();
    // webhookReply off: every call is a real request whose errors are seen, and a webhook
    // response ends only after the update is handled (an early answer would acknowledge it).
    // handlerTimeout: an update is finished when its replies are sent, however long a 429 makes that.
    this.#bot = new Telegraf(config.token, { telegram: { apiRoot: config.apiRoot, webhookReply: false }, handlerTimeout: Number.POSITIVE_INFINITY });
    this.#bot.catch((error, ctx) => {
      deps.log.error({ updateId: ctx.update?.update_id, err: describeError(error, config.token) }, 'telegram update failed');
    });
    this.#bot.use((ctx) => this.#onUpdate(ctx));
    this.#delivery = new Delivery({
      telegram: this.#bot.telegram,
      store: this.#store,
      pacer: opts.pacer ?? new RateLimiter(),
      log: deps.log,
      token: config.token,
      maxAttempts: opts.maxReplyAttempts ?? 4,
      maxWaitMs: opts.maxReplyWaitMs ?? 60_000,
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
    });
    this.#sleep = opts.sleep ?? ((ms) => delay(ms));
    this.#maxInFlight = Math.min(100, Math.max(1, opts.maxUpdatesInFlight ?? 100));
    this.#idlePollMs = opts.idlePollMs ?? 1000;
  }

  readonly #sleep: (ms: number) => Promise<void>;
  readonly #maxInFlight: number;
  readonly #idlePollMs: number;

  /** Reports the adapter fatally stuck, once; without an `onFatal` it is logged. */
  #reportFatal(fatal: Omit<AdapterFatal, 'channel'>): void {
    if (this.#fatal) return;
    this.#fatal = true;
    const full: AdapterFatal = { channel: 'telegram', ...fatal };
    if (this.#deps.onFatal) this.#deps.onFatal(full);
    else this.#deps.log.fatal({ exitCode: fatal.exitCode }, fatal.message);
  }

  get webhookPort(): number | undefined {
    return this.#server?.port;
  }

  /**
   * Checks the token (getMe), then starts polling or the webhook server and registers the webhook.
   * Resolves once updates can arrive.
   * @throws AdapterStartError when Telegram refuses the token or the webhook (token redacted), or
   *   when the adapter was started before.
   */
  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new AdapterStartError(`telegram adapter cannot start: it is ${this.#state}`);
    this.#state = 'starting';
    const log = this.#deps.log;
    try {
      this.#bot.botInfo = await this.#bot.telegram.getMe();
      if (this.#config.mode === 'polling') {
        // A webhook left over from webhook mode would make getUpdates fail with 409.
        await this.#bot.telegram.deleteWebhook();
        this.#poller = new Poller({
          telegram: this.#bot.telegram,
          allowedUpdates: ALLOWED_UPDATES,
          handle: (update) => this.#bot.handleUpdate(update),
          log,
          token: this.#config.token,
          maxInFlight: this.#maxInFlight,
          conflictExitAfterMs: this.#config.conflictExitAfterMs ?? DEFAULT_CONFLICT_EXIT_AFTER_MS,
          timeoutSeconds: 50,
          idlePollMs: this.#idlePollMs,
          onFatal: (fatal) => this.#reportFatal(fatal),
          now: () => this.#now().getTime(),
          sleep: this.#sleep,
        });
        this.#poller.start();
      } else {
        const { webhook } = this.#config;
        this.#server = await startWebhookServer({
          path: webhook.path,
          secret: webhook.secret,
          port: webhook.port,
          log,
          onUpdate: (update, res) => this.#bot.handleUpdate(update as Update, res),
        });
        await this.#bot.telegram.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
      }
    } catch (error) {
      await this.#server?.close();
      this.#server = undefined;
      this.#state = 'stopped';
      // The cause is the redacted summary: the raw error's message can hold the token (request URLs).
      const summary = describeError(error, this.#config.token);
      throw new AdapterStartError(
        `telegram adapter failed to start: ${summary.method ? `${summary.method}: ` : ''}${summary.code} ${summary.message}`,
        { cause: summary },
      );
    }
    this.#state = 'running';
    log.info({ mode: this.#config.mode, bot: this.#bot.botInfo.username }, 'telegram adapter started');
  }

  /**
   * Stops receiving and waits for the updates in hand to be handled. Polling acknowledges the
   * last handled update to Telegram; the webhook stays registered for the next start.
   */
  async stop(): Promise<void> {
    if (this.#state !== 'running') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopped';
    await this.#poller?.stop();
    await this.#server?.close();
    this.#server = undefined;
    await this.#chats.idle();
    // Every update in hand is finished: confirm them, so the next start does not get them again.
    if (!this.#fatal) await this.#poller?.confirm();
    this.#deps.log.info('telegram adapter stopped');
  }

  /**
   * See `PlatformAdapter.send` and `Delivery.send`. A private chat that answers 403 (the person
   * blocked the bot) is also recorded as unreachable.
   */
  async send(chatId: string, message: Outbound): Promise<string | undefined> {
    try {
      const { keyboard, last } = await this.#delivery.send(chatId, message);
      // A prompt to a customer (a survey question); a staff room's posts keep their buttons.
      if (keyboard !== undefined && !isGroupChat(chatId)) this.#prompts.set(chatId, keyboard);
      // Telegram's message_id: a staff member's reply to it (a handover post) is matched by it.
      return last === undefined ? undefined : String(last);
    } catch (error) {
      if (error instanceof SendError && error.permanent && (error.cause as { code?: unknown } | undefined)?.code === 'TELEGRAM_403') {
        await this.#markUnreachable(chatId);
      }
      throw error;
    }
  }

  /**
   * A person's file by its `file_id` (getFile, then the file's download URL, which carries the
   * token: it never reaches a log or an error). Telegram serves bot downloads up to 20 MB.
   * @throws Error (token redacted) when Telegram refuses the id or the download fails.
   */
  async fetchMedia(media: Media, opts: { maxBytes: number }): Promise<NonNullable<Outbound['file']> | undefined> {
    if ((media.size ?? 0) > opts.maxBytes) return undefined;
    const token = this.#config.token;
    try {
      const link = await this.#bot.telegram.getFileLink(media.ref);
      const response = await fetch(link, { signal: AbortSignal.timeout(30_000) });
      if (!response.ok) throw new Error(`telegram file download failed: HTTP ${response.status}`);
      const data = new Uint8Array(await response.arrayBuffer());
      if (data.byteLength > opts.maxBytes) return undefined;
      const name = media.name ?? link.pathname.split('/').pop() ?? media.kind;
      return { name, mime: media.mime ?? mimeByName(name), data };
    } catch (error) {
      const summary = describeError(error, token);
      throw new Error(`telegram file not fetched: ${summary.code} ${summary.message}`);
    }
  }

  async #onUpdate(ctx: Context): Promise<void> {
    const { log } = this.#deps;
    const read = readUpdate(ctx.update, this.#now, this.#bot.botInfo?.username);
    switch (read.kind) {
      case 'invalid':
        log.warn({ updateId: read.updateId, issues: read.issues }, 'telegram: malformed update ignored');
        return;
      case 'ignored':
        log.debug({ updateId: read.updateId, reason: read.reason }, 'telegram: update ignored');
        if (read.queryId !== undefined) await this.#answer(ctx, read.queryId);
        return;
      case 'message':
        await this.#serialize(read.inbound.chatId, () => this.#turn(read.inbound, { replyTo: read.messageRef }));
        return;
      case 'callback': {
        // Answered at once, but the press takes its place in the chat's queue now, before any
        // later update of the chat.
        const answered = this.#answer(ctx, read.queryId);
        await this.#serialize(read.inbound.chatId, async () => {
          await answered;
          let action: string;
          try {
            action = await decodeCallbackData(read.data, this.#store);
          } catch (error) {
            // A store that cannot answer makes the press stale, not lost.
            log.error({ err: describeError(error) }, 'telegram: callback store failed');
            action = read.data;
          }
          await this.#turn({ ...read.inbound, action }, {});
        });
        return;
      }
    }
  }

  /** Stops the client's spinner; failures (a query too old, say) are only logged. */
  async #answer(ctx: Context, queryId: string): Promise<void> {
    try {
      await ctx.telegram.answerCbQuery(queryId);
    } catch (error) {
      this.#deps.log.debug({ err: describeError(error, this.#config.token) }, 'telegram: answerCbQuery failed');
    }
  }

  /**
   * One inbound through the core, its replies back in order.
   * @param context `replyTo`: the person's message, which a prompt to type an answer replies to.
   */
  async #turn(inbound: InboundInput, context: { replyTo?: number | undefined }): Promise<void> {
    const { log, handle } = this.#deps;
    const checked = inboundSchema.safeParse(inbound);
    if (!checked.success) {
      log.warn({ issues: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'telegram: inbound refused');
      return;
    }
    const promptKey = this.#promptKey(inbound.chatId, inbound.userId);
    await this.#spend(inbound.chatId, promptKey);
    let replies: Outbound[];
    try {
      replies = await handle(inbound);
    } catch (error) {
      log.error({ chatId: inbound.chatId, err: describeError(error) }, 'telegram: core failed');
      return;
    }
    const replyTo = context.replyTo;
    for (const [i, reply] of replies.entries()) {
      const late = { chatId: inbound.chatId, key: `telegram:${inbound.chatId}:${inbound.messageId}:reply:${i}` };
      // A chat whose earlier reply went to the outbox gets the later ones there too, in order.
      const deferredUntil = this.#deferred.get(inbound.chatId);
      if (deferredUntil !== undefined && deferredUntil > this.#now().getTime()) {
        if (!(await this.#handOver({ ...late, message: reply, notBefore: new Date(deferredUntil) }))) return;
        continue;
      }
      this.#deferred.delete(inbound.chatId);
      const outcome = await this.#delivery.reply(inbound.chatId, reply, replyTo === undefined ? {} : { replyTo });
      switch (outcome.kind) {
        case 'sent':
          if (outcome.keyboardMessageId !== undefined) this.#prompts.set(promptKey, outcome.keyboardMessageId);
          continue;
        case 'deferred': {
          const until = this.#now().getTime() + outcome.retryAfterMs;
          this.#deferred.set(inbound.chatId, until);
          if (!(await this.#handOver({ ...late, message: outcome.rest, notBefore: new Date(until) }))) return;
          continue;
        }
        case 'blocked':
          log.warn({ chatId: inbound.chatId, err: describeError(outcome.error, this.#config.token) }, 'telegram: the chat blocked the bot; marked unreachable');
          await this.#markUnreachable(inbound.chatId);
          return;
        case 'failed':
          log.error({ chatId: inbound.chatId, err: describeError(outcome.error, this.#config.token) }, 'telegram reply not delivered');
          return;
      }
    }
  }

  /**
   * Whose answer spends a prompt's buttons: in a private chat its person; in a group the staff
   * member the prompt answered (others' messages there leave it alone).
   */
  #promptKey(chatId: string, userId: string): string {
    return isGroupChat(chatId) ? `${chatId}\0${userId}` : chatId;
  }

  /**
   * The prompt `key` had open is answered (a press or a message): its buttons are removed, so
   * they cannot be pressed again. Failures (the message deleted, too old to edit) are only logged.
   */
  async #spend(chatId: string, key: string): Promise<void> {
    const messageId = this.#prompts.get(key);
    if (messageId === undefined) return;
    this.#prompts.delete(key);
    try {
      await this.#bot.telegram.editMessageReplyMarkup(chatId, messageId, undefined, undefined);
    } catch (error) {
      this.#deps.log.debug({ chatId, err: describeError(error, this.#config.token) }, 'telegram: spent buttons not removed');
    }
  }

  /** Hands a late reply to the outbox; false (logged) when there is no outbox or it failed. */
  async #handOver(late: Omit<LateReply, 'channel'>): Promise<boolean> {
    const { log, enqueue } = this.#deps;
    if (!enqueue) {
      log.error({ chatId: late.chatId }, 'telegram reply not delivered (rate limited, and no outbox to hand it to)');
      return false;
    }
    try {
      await enqueue({ channel: 'telegram', ...late });
      log.warn({ chatId: late.chatId, notBefore: late.notBefore.toISOString() }, 'telegram reply rate limited; handed to the outbox');
      return true;
    } catch (error) {
      log.error({ chatId: late.chatId, err: describeError(error) }, 'telegram reply not delivered (outbox refused it)');
      return false;
    }
  }

  /** Records that a private chat blocked the bot (a group that removed it is no customer); failures are logged. */
  async #markUnreachable(chatId: string): Promise<void> {
    if (isGroupChat(chatId)) return;
    try {
      await this.#deps.markUnreachable?.('telegram', chatId);
    } catch (error) {
      this.#deps.log.error({ chatId, err: describeError(error) }, 'telegram: could not record the chat as unreachable');
    }
  }

  /** Runs the chat's work after whatever that chat is already doing; a failure is logged, not thrown. */
  async #serialize(chatId: string, run: () => Promise<void>): Promise<void> {
    await this.#chats.run(chatId, run).catch((error: unknown) => {
      this.#deps.log.error({ chatId, err: describeError(error, this.#config.token) }, 'telegram: update handling failed');
    });
  }
}
