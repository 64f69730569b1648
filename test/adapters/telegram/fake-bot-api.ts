/**
 * A local fake of the Telegram Bot API (node:http, port 0) for driving telegraf in tests.
 *
 * It implements what the adapter uses: getMe, getUpdates (long-poll `timeout`, `offset` confirms
 * earlier updates as Telegram does), deleteWebhook, setWebhook, sendMessage, sendPhoto and
 * sendDocument (multipart, recorded with the file's name and size), and sendPhoto, sendDocument,
 * sendVideo and sendVoice by `file_id` (Bot API "Sending files": a file_id this bot received,
 * resent with the method of its own type; another type or an unknown id is a 400), getFile and
 * the file download URL (`/file/bot<token>/<file_path>`), answerCallbackQuery. Every
 * call is recorded. Tests push updates from a given user and chat, find the buttons the bot last
 * sent to a chat, and can make the fake behave like Telegram under load: enforce its limits
 * (1 message/s per chat, 20/min per group, 30/s overall -> 429 with `retry_after`), force the next
 * K sends to 429, block a chat (403) or forget one (400 chat not found), refuse a private chat
 * whose user never wrote to the bot (`requireStart`, 403).
 *
 * Also as Telegram documents it: a second poller (`conflict()`: getUpdates answers 409
 * "terminated by other getUpdates request"), a revoked token (`revokeToken()`: every call 401),
 * privacy mode in groups (`privacyMode`: a group message reaches the bot only when it is a command
 * or a reply to one of the bot's messages), a client that answers a `force_reply` prompt with a
 * reply to it (`typeAsClient`), button presses carrying the bot's message they were pressed on,
 * and editMessageReplyMarkup / editMessageText (recorded in `edits`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface FakeChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
}

/** One request the bot made, successful or not. */
export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** Files of a multipart request. */
  files: { field: string; filename: string; size: number }[];
  /** HTTP status the fake answered. */
  status: number;
  at: number;
}

/** A message the fake accepted (a successful send). */
export interface SentMessage {
  method: SendMethod;
  chatId: string;
  messageId: number;
  text?: string;
  caption?: string;
  file?: { filename: string; size: number };
  /** The `file_id` a file was sent by (instead of an upload). */
  fileId?: string;
  keyboard?: { text: string; callback_data: string }[][];
  /** The `force_reply` markup, when the message asked for a reply. */
  forceReply?: { selective: boolean };
  /** `reply_to_message_id` (or `reply_parameters.message_id`) of the send. */
  replyTo?: number;
  at: number;
}

/** An editMessageReplyMarkup or editMessageText call the fake accepted. */
export interface EditedMessage {
  method: 'editMessageReplyMarkup' | 'editMessageText';
  chatId: string;
  messageId: number;
  text?: string;
  keyboard?: { text: string; callback_data: string }[][];
}

export interface LimitOptions {
  /** A chat may get one message per this many ms (Telegram: 1/s; a little slack for timing). */
  perChatMs?: number;
  /** Messages per minute to one group. */
  perGroupPerMinute?: number;
  /** Messages per second overall. */
  perSecond?: number;
}

type ApiResult = { status: number; body: Record<string, unknown> };

/** The send methods the fake serves, and the file field of each (sendMessage has none). */
type SendMethod = 'sendMessage' | 'sendPhoto' | 'sendDocument' | 'sendVideo' | 'sendVoice';
const FILE_FIELD: Record<Exclude<SendMethod, 'sendMessage'>, 'photo' | 'document' | 'video' | 'voice'> = {
  sendPhoto: 'photo',
  sendDocument: 'document',
  sendVideo: 'video',
  sendVoice: 'voice',
};
/** A file a person sent the bot, as `pushMedia` describes it. */
export type FakeMediaKind = 'photo' | 'document' | 'video' | 'voice';

const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;

const ok = (result: unknown): ApiResult => ({ status: 200, body: { ok: true, result } });
const fail = (code: number, description: string, parameters?: Record<string, unknown>): ApiResult => ({
  status: code,
  body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) },
});

export class FakeBotApi {
  readonly calls: ApiCall[] = [];
  readonly sent: SentMessage[] = [];
  readonly answeredQueries: string[] = [];
  /** 429s the fake answered (forced or by limits). */
  tooManyRequests = 0;
  webhook: { url: string; secret?: string } | undefined;
  /** Answer sendPhoto with 400 PHOTO_INVALID_DIMENSIONS (to test the document fallback). */
  refusePhotos = false;
  /** Privacy mode (BotFather's default): in groups only commands and replies to the bot arrive. */
  privacyMode = false;
  /**
   * "Bots can't initiate conversations with users" (core.telegram.org/bots): a send to a user's
   * private chat before that user wrote to the bot there answers 403 "Forbidden: bot can't
   * initiate conversation with a user". Off by default, so tests may send to any chat.
   */
  requireStart = false;
  /** Group messages privacy mode kept from the bot. */
  readonly withheld: Record<string, unknown>[] = [];
  readonly edits: EditedMessage[] = [];
  /** The bot's username as getMe gives it. */
  readonly botUsername = 'desk_test_bot';

  readonly #server: Server;
  readonly #token: string;
  readonly #updates: Record<string, unknown>[] = [];
  /** Updates with a smaller id are confirmed (Telegram forgets them). */
  #confirmedBelow = 0;
  #nextUpdateId = 10_000;
  #nextMessageId = 1;
  #nextQueryId = 1;
  readonly #chats = new Map<string, FakeChat>();
  readonly #pollers = new Set<() => void>();
  readonly #ackWaiters = new Set<{ id: number; resolve: () => void }>();
  readonly #blocked = new Set<string>();
  /** Private chats whose user wrote to the bot (see `requireStart`). */
  readonly #started = new Set<string>();
  readonly #unknown = new Set<string>();
  #limits: Required<LimitOptions> | undefined;
  #forced: { method: string; count: number; retryAfter: number } | undefined;
  readonly #forcedTo = new Map<string, { count: number; retryAfter: number }>();
  #conflict = false;
  #revoked = false;
  /** Messages the fake holds (sent by the bot or pushed), by chat and message id. */
  readonly #messages = new Map<string, { fromBot: boolean; keyboard?: unknown; text?: string }>();
  /** Who wrote each pushed message (chat/message id -> user id). */
  readonly #authors = new Map<string, number>();
  /** The file_ids this bot has received, with their type. */
  readonly #files = new Map<string, FakeMediaKind>();
  /** What getFile gives for a file_id, and the bytes its download serves. */
  readonly #stored = new Map<string, { path: string; bytes: Buffer }>();
  #nextFile = 1;

  private constructor(server: Server, token: string) {
    this.#server = server;
    this.#token = token;
  }

  /** Starts the fake on a free local port. */
  static async start(opts: { token: string }): Promise<FakeBotApi> {
    let fake: FakeBotApi | undefined;
    const server = createServer((req, res) => void fake?.handle(req, res));
    fake = new FakeBotApi(server, opts.token);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The Bot API root to give telegraf (`telegram.apiRoot`). */
  get apiRoot(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const wake of this.#pollers) wake();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  // ---- updates --------------------------------------------------------------------------------

  /** Queues a text message from `from` in `chat`; returns the update. */
  /**
   * Queues a text message from `from` in `chat`, optionally a reply to message `replyTo`; returns
   * the update. With `privacyMode` a group message that is neither a command nor a reply to the
   * bot is withheld (recorded in `withheld`, never delivered), as Telegram does.
   */
  pushText(opts: { chat: FakeChat; from: FakeUser; text: string; date?: number; replyTo?: number }): Record<string, unknown> {
    return this.#push(opts, { text: opts.text }, opts.text.startsWith('/'));
  }

  /**
   * Queues a photo, document, video or voice note from `from` in `chat` (optionally with a caption,
   * or as a reply to message `replyTo`), as Telegram delivers them: a photo as its sizes (PhotoSize,
   * the largest last), the others as one object with `file_id`. Returns the update and the file_id
   * the bot may send again.
   */
  pushMedia(opts: { chat: FakeChat; from: FakeUser; kind: FakeMediaKind; caption?: string; fileName?: string; mimeType?: string; bytes?: Buffer; date?: number; replyTo?: number }): { update: Record<string, unknown>; fileId: string } {
    const n = this.#nextFile++;
    const fileId = `${opts.kind.slice(0, 2).toUpperCase()}ACAgQAAxkBAAI${String(n).padStart(4, '0')}`;
    this.#files.set(fileId, opts.kind);
    if (opts.kind === 'photo') this.#files.set(`${fileId}-small`, 'photo');
    const bytes = opts.bytes ?? Buffer.from(`fake ${opts.kind} ${n}`);
    const path = { photo: `photos/file_${n}.jpg`, document: `documents/${opts.fileName ?? `file_${n}`}`, video: `videos/file_${n}.mp4`, voice: `voice/file_${n}.oga` }[opts.kind];
    this.#stored.set(fileId, { path, bytes });
    const file = { file_id: fileId, file_unique_id: `AQAD${n}`, file_size: bytes.length };
    const content: Record<string, unknown> =
      opts.kind === 'photo'
        ? { photo: [{ ...file, file_id: `${fileId}-small`, width: 90, height: 67 }, { ...file, width: 1280, height: 960 }] }
        : { [opts.kind]: { ...file, ...(opts.fileName ? { file_name: opts.fileName } : {}), ...(opts.mimeType ? { mime_type: opts.mimeType } : {}), ...(opts.kind === 'document' ? {} : { duration: 3 }) } };
    if (opts.caption !== undefined) content.caption = opts.caption;
    return { update: this.#push(opts, content, false), fileId };
  }

  #push(opts: { chat: FakeChat; from: FakeUser; date?: number; replyTo?: number }, content: Record<string, unknown>, command: boolean): Record<string, unknown> {
    this.#chats.set(String(opts.chat.id), opts.chat);
    const messageId = this.#nextMessageId++;
    const text = typeof content.text === 'string' ? content.text : undefined;
    this.#messages.set(`${opts.chat.id}/${messageId}`, { fromBot: false, ...(text === undefined ? {} : { text }) });
    this.#authors.set(`${opts.chat.id}/${messageId}`, opts.from.id);
    const replied = opts.replyTo === undefined ? undefined : this.#messages.get(`${opts.chat.id}/${opts.replyTo}`);
    const message = {
      message_id: messageId,
      date: opts.date ?? Math.floor(Date.now() / 1000),
      chat: opts.chat,
      from: { is_bot: false, ...opts.from },
      ...content,
      ...(opts.replyTo === undefined
        ? {}
        : {
            reply_to_message: {
              message_id: opts.replyTo,
              date: Math.floor(Date.now() / 1000),
              chat: opts.chat,
              ...(replied?.fromBot ? { from: { id: 424242, is_bot: true, first_name: 'Desk', username: this.botUsername } } : {}),
              ...(replied?.text === undefined ? {} : { text: replied.text }),
            },
          }),
    };
    const group = opts.chat.type === 'group' || opts.chat.type === 'supergroup';
    if (this.privacyMode && group && !command && !replied?.fromBot) {
      const withheld = { update_id: -1, message };
      this.withheld.push(withheld);
      return withheld;
    }
    return this.pushRaw({ message });
  }

  /**
   * What a Telegram client does when `from` types `text` in `chat`: when a message of the bot
   * since `from` last wrote there asked for a reply (`force_reply`, and `selective` aimed at `from`
   * or not selective), the text is sent as a reply to it; otherwise as a plain message.
   */
  typeAsClient(opts: { chat: FakeChat; from: FakeUser; text: string; date?: number }): Record<string, unknown> {
    // The newest force_reply prompt since this person last wrote here opened their reply field.
    let mine = 0;
    for (const [key, author] of this.#authors) if (author === opts.from.id && key.startsWith(`${opts.chat.id}/`)) mine = Math.max(mine, Number(key.split('/')[1]));
    const prompt = [...this.sentTo(opts.chat.id)].reverse().find((m) => m.forceReply && m.messageId > mine);
    let replyTo: number | undefined;
    if (prompt?.forceReply) {
      const target = prompt.replyTo === undefined ? undefined : this.#authors.get(`${opts.chat.id}/${prompt.replyTo}`);
      if (!prompt.forceReply.selective || target === opts.from.id) replyTo = prompt.messageId;
    }
    return this.pushText({ ...opts, ...(replyTo === undefined ? {} : { replyTo }) });
  }

  /** Queues a button press (callback query) on a message of the bot in `chat`. */
  pushPress(opts: { chat: FakeChat; from: FakeUser; data: string }): Record<string, unknown> {
    // The press carries the bot's message the button is on (the latest one with that data).
    const on = [...this.sentTo(opts.chat.id)].reverse().find((m) => m.keyboard?.flat().some((b) => b.callback_data === opts.data));
    return this.pushRaw({
      callback_query: {
        id: `q${this.#nextQueryId++}`,
        from: { is_bot: false, ...opts.from },
        message: { message_id: on?.messageId ?? this.#nextMessageId++, date: Math.floor(Date.now() / 1000), chat: opts.chat, text: on?.text ?? '…' },
        chat_instance: `ci${opts.chat.id}`,
        data: opts.data,
      },
    });
  }

  /** Queues any object as an update; `update_id` is assigned unless given. */
  pushRaw(update: Record<string, unknown>): Record<string, unknown> {
    const full = { update_id: this.#nextUpdateId++, ...update };
    const chat = (update.message as { chat?: FakeChat } | undefined)?.chat;
    if (chat?.type === 'private') this.#started.add(String(chat.id));
    this.#updates.push(full);
    for (const wake of this.#pollers) wake();
    return full;
  }

  /** Resolves once the bot has confirmed `updateId` (a getUpdates with a greater offset). */
  acknowledged(updateId: number, timeoutMs = 10_000): Promise<void> {
    if (this.#confirmedBelow > updateId) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        id: updateId,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#ackWaiters.delete(waiter);
        reject(new Error(`update ${updateId} not acknowledged within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#ackWaiters.add(waiter);
    });
  }

  /**
   * Forgets confirmations from `updateId` on, as if the bot died before its acknowledgement
   * reached Telegram: the next poller gets those updates again.
   */
  rewind(updateId: number): void {
    this.#confirmedBelow = Math.min(this.#confirmedBelow, updateId);
  }

  // ---- what the bot sent ----------------------------------------------------------------------

  sentTo(chatId: number | string): SentMessage[] {
    return this.sent.filter((m) => m.chatId === String(chatId));
  }

  /** The callback buttons of the last message with an inline keyboard sent to the chat. */
  lastKeyboard(chatId: number | string): { text: string; callback_data: string }[] {
    const withKeyboard = this.sentTo(chatId).filter((m) => m.keyboard);
    return withKeyboard.at(-1)?.keyboard?.flat() ?? [];
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  // ---- misbehaving like Telegram --------------------------------------------------------------

  /** Answers 429 when a send breaks Telegram's published limits; `undefined` turns it off. */
  enforceLimits(opts: LimitOptions | undefined = {}): void {
    this.#limits = opts && { perChatMs: 950, perGroupPerMinute: 20, perSecond: 30, ...opts };
  }

  /** The next `count` calls of `method` answer 429 with `retry_after`. */
  failNext(count: number, retryAfter = 1, method = 'sendMessage'): void {
    this.#forced = { method, count, retryAfter };
  }

  /** The next `count` sends to `chatId` answer 429 with `retry_after` (seconds). */
  failNextTo(chatId: number | string, count: number, retryAfter: number): void {
    this.#forcedTo.set(String(chatId), { count, retryAfter });
  }

  /** getUpdates answers 409 (another poller took over) until `conflict(false)`. */
  conflict(on = true): void {
    this.#conflict = on;
    // Telegram ends the older poller's pending request with the 409.
    for (const wake of this.#pollers) wake();
  }

  /** Every call answers 401 Unauthorized from now on (the token was revoked in BotFather). */
  revokeToken(): void {
    this.#revoked = true;
    for (const wake of this.#pollers) wake();
  }

  /** Telegram no longer knows the file_id (sends by it answer 400, as for another bot's id). */
  forgetFile(fileId: string): void {
    this.#files.delete(fileId);
  }

  /** Sends to the chat answer 403 "bot was blocked by the user". */
  block(chatId: number | string): void {
    this.#blocked.add(String(chatId));
  }

  /** Sends to the chat answer 400 "chat not found". */
  forget(chatId: number | string): void {
    this.#unknown.add(String(chatId));
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (download) return this.#download(download[1]!, decodeURIComponent(download[2]!), res);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const body = await readAll(req);
    const { params, files } = parseBody(req.headers['content-type'] ?? '', body);
    let result: ApiResult;
    if (!match) result = fail(404, 'Not Found');
    else if (match[1] !== this.#token || this.#revoked) result = fail(401, 'Unauthorized');
    else result = await this.call(match[2]!, params, files, req);
    if (match) this.calls.push({ method: match[2]!, params, files, status: result.status, at: Date.now() });
    if (res.destroyed) return;
    res.writeHead(result.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(result.body));
  }

  /** `https://api.telegram.org/file/bot<token>/<file_path>`: the bytes of a file getFile described. */
  #download(token: string, path: string, res: ServerResponse): void {
    const stored = [...this.#stored.values()].find((f) => f.path === path);
    this.calls.push({ method: 'download', params: { path }, files: [], status: stored && token === this.#token ? 200 : 404, at: Date.now() });
    if (token !== this.#token || this.#revoked || !stored) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(stored.bytes.length) }).end(stored.bytes);
  }

  private async call(method: string, params: Record<string, unknown>, files: ApiCall['files'], req: IncomingMessage): Promise<ApiResult> {
    switch (method) {
      case 'getMe':
        return ok({ id: 424242, is_bot: true, first_name: 'Desk', username: 'desk_test_bot', can_join_groups: true });
      case 'deleteWebhook':
        this.webhook = undefined;
        if (params.drop_pending_updates === true) this.#confirm(this.#nextUpdateId);
        return ok(true);
      case 'setWebhook':
        this.webhook = { url: String(params.url), secret: params.secret_token === undefined ? undefined : String(params.secret_token) };
        return ok(true);
      case 'getUpdates':
        return this.getUpdates(params, req);
      case 'getFile': {
        // File: its path for the download URL (Bot API getFile; downloads up to 20 MB).
        const id = String(params.file_id ?? '');
        const stored = this.#stored.get(id) ?? this.#stored.get(id.replace(/-small$/, ''));
        if (!this.#files.has(id) || !stored) return fail(400, 'Bad Request: wrong file_id or the file is temporarily unavailable');
        return ok({ file_id: id, file_unique_id: `u-${id}`, file_size: stored.bytes.length, file_path: stored.path });
      }
      case 'answerCallbackQuery': {
        const id = String(params.callback_query_id);
        if (this.answeredQueries.includes(id)) return fail(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        this.answeredQueries.push(id);
        return ok(true);
      }
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument':
      case 'sendVideo':
      case 'sendVoice':
        return this.send(method, params, files);
      case 'editMessageReplyMarkup':
      case 'editMessageText':
        return this.edit(method, params);
      default:
        return fail(404, 'Not Found');
    }
  }

  private async getUpdates(params: Record<string, unknown>, req: IncomingMessage): Promise<ApiResult> {
    if (this.webhook) return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    if (this.#conflict) return fail(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    const offset = Number(params.offset ?? 0);
    if (offset > this.#confirmedBelow) this.#confirm(offset);
    const limit = Number(params.limit ?? 100);
    const timeoutMs = Number(params.timeout ?? 0) * 1000;
    const pending = () => this.#updates.filter((u) => Number(u.update_id) >= this.#confirmedBelow).slice(0, limit);
    if (pending().length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#pollers.delete(wake);
          req.socket.off('close', wake);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        this.#pollers.add(wake);
        req.socket.once('close', wake);
      });
    }
    if (this.#revoked) return fail(401, 'Unauthorized');
    if (this.#conflict) return fail(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    return ok(pending());
  }

  #confirm(below: number): void {
    this.#confirmedBelow = below;
    for (const waiter of this.#ackWaiters) {
      if (waiter.id < below) {
        this.#ackWaiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private send(method: SendMethod, params: Record<string, unknown>, files: ApiCall['files']): ApiResult {
    const chatId = String(params.chat_id ?? '');
    if (!chatId) return fail(400, 'Bad Request: chat_id is empty');
    if (this.#blocked.has(chatId)) return fail(403, 'Forbidden: bot was blocked by the user');
    // A user's private chat has the user's (positive) id; groups have negative ids.
    if (this.requireStart && Number(chatId) > 0 && !this.#started.has(chatId)) return fail(403, "Forbidden: bot can't initiate conversation with a user");
    if (this.#unknown.has(chatId)) return fail(400, 'Bad Request: chat not found');

    const text = params.text === undefined ? undefined : String(params.text);
    const caption = params.caption === undefined ? undefined : String(params.caption);
    if (method === 'sendMessage') {
      if (!text?.trim()) return fail(400, 'Bad Request: message text is empty');
      if (text.length > TEXT_LIMIT) return fail(400, 'Bad Request: message is too long');
    } else {
      if (caption !== undefined && caption.length > CAPTION_LIMIT) return fail(400, 'Bad Request: message caption is too long');
      const field = FILE_FIELD[method];
      const byId = typeof params[field] === 'string' ? String(params[field]) : undefined;
      if (byId !== undefined) {
        // A file_id is this bot's own, and a photo cannot be resent as a document (Bot API "Sending files").
        const kind = this.#files.get(byId);
        if (kind === undefined) return fail(400, 'Bad Request: wrong file identifier/HTTP URL specified');
        if (kind !== field) return fail(400, 'Bad Request: type of file mismatch');
      } else if (!files.some((f) => f.field === field)) return fail(400, `Bad Request: there is no ${field} in the request`);
      if (method === 'sendPhoto' && this.refusePhotos && byId === undefined) return fail(400, 'Bad Request: PHOTO_INVALID_DIMENSIONS');
    }
    const markup = typeof params.reply_markup === 'string' ? JSON.parse(params.reply_markup) : params.reply_markup;
    const keyboard = (markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)?.inline_keyboard;
    for (const button of keyboard?.flat() ?? []) {
      const bytes = Buffer.byteLength(button.callback_data ?? '', 'utf8');
      if (bytes < 1 || bytes > 64) return fail(400, 'Bad Request: BUTTON_DATA_INVALID');
    }

    const forceReply = (markup as { force_reply?: boolean; selective?: boolean } | undefined)?.force_reply
      ? { selective: Boolean((markup as { selective?: boolean }).selective) }
      : undefined;
    const parameters = typeof params.reply_parameters === 'string' ? JSON.parse(params.reply_parameters) : params.reply_parameters;
    const replyToRaw = params.reply_to_message_id ?? (parameters as { message_id?: unknown } | undefined)?.message_id;
    const replyTo = replyToRaw === undefined ? undefined : Number(replyToRaw);

    const limited = this.#rateLimit(method, chatId);
    if (limited) {
      this.tooManyRequests += 1;
      return fail(429, `Too Many Requests: retry after ${limited}`, { retry_after: limited });
    }

    const now = Date.now();
    const file = files.find((f) => f.field === 'photo' || f.field === 'document');
    const fileId = method === 'sendMessage' || typeof params[FILE_FIELD[method]] !== 'string' ? undefined : String(params[FILE_FIELD[method]]);
    const message: SentMessage = {
      method,
      chatId,
      messageId: this.#nextMessageId++,
      ...(text !== undefined ? { text } : {}),
      ...(caption !== undefined ? { caption } : {}),
      ...(file ? { file: { filename: file.filename, size: file.size } } : {}),
      ...(fileId ? { fileId } : {}),
      ...(keyboard ? { keyboard } : {}),
      ...(forceReply ? { forceReply } : {}),
      ...(replyTo === undefined ? {} : { replyTo }),
      at: now,
    };
    this.sent.push(message);
    this.#messages.set(`${chatId}/${message.messageId}`, { fromBot: true, keyboard, text });
    const chat = this.#chats.get(chatId) ?? { id: Number(chatId), type: chatId.startsWith('-') ? 'supergroup' : 'private' };
    return ok({ message_id: message.messageId, date: Math.floor(now / 1000), chat, ...(text !== undefined ? { text } : {}) });
  }

  /** editMessageReplyMarkup / editMessageText on a message the bot sent to the chat. */
  private edit(method: 'editMessageReplyMarkup' | 'editMessageText', params: Record<string, unknown>): ApiResult {
    const chatId = String(params.chat_id ?? '');
    const messageId = Number(params.message_id);
    const held = this.#messages.get(`${chatId}/${messageId}`);
    if (!held) return fail(400, 'Bad Request: message to edit not found');
    if (!held.fromBot) return fail(400, "Bad Request: message can't be edited");
    const markup = typeof params.reply_markup === 'string' ? JSON.parse(params.reply_markup) : params.reply_markup;
    const keyboard = (markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)?.inline_keyboard;
    const text = method === 'editMessageText' ? String(params.text ?? '') : held.text;
    if (method === 'editMessageText' && !text?.trim()) return fail(400, 'Bad Request: message text is empty');
    if (JSON.stringify(keyboard ?? null) === JSON.stringify(held.keyboard ?? null) && text === held.text) {
      return fail(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    }
    held.keyboard = keyboard;
    held.text = text;
    const sent = this.sent.find((m) => m.chatId === chatId && m.messageId === messageId);
    if (sent) {
      if (keyboard) sent.keyboard = keyboard;
      else delete sent.keyboard;
      if (text !== undefined && sent.method === 'sendMessage') sent.text = text;
    }
    this.edits.push({ method, chatId, messageId, ...(method === 'editMessageText' ? { text } : {}), ...(keyboard ? { keyboard } : {}) });
    return ok({ message_id: messageId, chat: { id: Number(chatId) }, date: Math.floor(Date.now() / 1000), ...(text === undefined ? {} : { text }) });
  }

  /** Seconds to wait when this send breaks a limit (forced or measured); undefined when it may go. */
  #rateLimit(method: string, chatId: string): number | undefined {
    const toChat = this.#forcedTo.get(chatId);
    if (toChat && toChat.count > 0) {
      toChat.count -= 1;
      return toChat.retryAfter;
    }
    const forced = this.#forced;
    if (forced && forced.method === method && forced.count > 0) {
      forced.count -= 1;
      return forced.retryAfter;
    }
    const limits = this.#limits;
    if (!limits) return undefined;
    const now = Date.now();
    const lastToChat = this.sentTo(chatId).at(-1);
    if (lastToChat && now - lastToChat.at < limits.perChatMs) return 1;
    if (chatId.startsWith('-')) {
      const lastMinute = this.sentTo(chatId).filter((m) => m.at > now - 60_000);
      if (lastMinute.length >= limits.perGroupPerMinute) return Math.max(1, Math.ceil((lastMinute[0]!.at + 60_000 - now) / 1000));
    }
    if (this.sent.filter((m) => m.at > now - 1000).length >= limits.perSecond) return 1;
    return undefined;
  }
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON or multipart/form-data (what telegraf sends for uploads). */
function parseBody(contentType: string, body: Buffer): { params: Record<string, unknown>; files: ApiCall['files'] } {
  if (body.length === 0) return { params: {}, files: [] };
  const boundary = /multipart\/form-data;\s*boundary=(.+)$/i.exec(contentType)?.[1];
  if (!boundary) return { params: JSON.parse(body.toString('utf8')) as Record<string, unknown>, files: [] };
  const params: Record<string, unknown> = {};
  const files: ApiCall['files'] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    let start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    let part = body.subarray(start, next);
    if (part.at(-2) === 0x0d && part.at(-1) === 0x0a) part = part.subarray(0, part.length - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /\bname="([^"]*)"/.exec(headers)?.[1];
    const filename = /\bfilename="([^"]*)"/.exec(headers)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) files.push({ field: name, filename, size: content.length });
      else params[name] = content.toString('utf8');
    }
    at = next;
  }
  return { params, files };
}
