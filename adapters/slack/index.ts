/**
 * The Slack adapter, on Bolt for JavaScript. Direct messages to the bot are customer conversations;
 * messages in channels the bot is in reach the core as group (staff) conversations. Replies render
 * buttons as Block Kit, and a pressed button comes back as an inbound action. Staff commands come
 * as the app's slash command (`/jiazheng join|done|report`, see commands.ts) or as the bare words
 * in a DM or after an @-mention (inbound.ts). People are named from users.info (names.ts). A file
 * a person shares (a photo to a handover) is passed on by downloading it with the bot token and
 * uploading it with files.uploadV2 (needs the files:read and files:write scopes).
 *
 * Transport: Socket Mode when an app token is configured, otherwise the Events API over HTTP,
 * where Bolt's HTTPReceiver verifies every request's v0 signature (HMAC-SHA256 over
 * `v0:timestamp:body`) and answers 401 to a forged one or one dated more than 5 minutes from now,
 * either way (http-guard.ts adds the "ahead" half). Events are acknowledged before the core runs
 * (Slack wants an answer within 3 s); a retried event carries the same message id, which the core
 * answers once.
 *
 * Two Web API clients, both refusing to wait out rate limits on their own: direct replies wait
 * out Retry-After here (bounded, in order per conversation, see delivery.ts); `send()`, used by the
 * outbox dispatcher, never waits and throws `SendError` for the dispatcher to reschedule.
 */
import type { AddressInfo } from 'node:net';
import {
  App,
  HTTPReceiver,
  SocketModeReceiver,
  webApi,
  type AppOptions,
  type Logger as BoltLogger,
  type ReceiverEvent,
  type RespondFn,
} from '@slack/bolt';
import type { AdapterDeps, PlatformAdapter } from '../../src/contracts/adapter.ts';
import type { InboundInput, Media, Outbound } from '../../src/contracts/messages.ts';
import { boltLogger } from './bolt-logger.ts';
import type { SlackConfig, SlackHttpConfig, SlackSocketConfig } from './config.ts';
import { guardHttpReceiver } from './http-guard.ts';
import { retryOnRateLimit } from './delivery.ts';
import { describeSlackError, slackErrorCode, toSendError } from './errors.ts';
import { AdapterStartError } from '../../src/lib/errors.ts';
import { KeyedQueue } from '../../src/lib/keyed-queue.ts';
import { commandUsage, responseTypeOf, withSlackCommand } from './commands.ts';
import { blockActionToInbound, messageToInbound, slashCommandToInbound, type Translation } from './inbound.ts';
import { SlackNames } from './names.ts';
import { escapeMrkdwn, renderButtons, renderMessage } from './render.ts';

export { slackConfigFromEnv } from './config.ts';

/** Tuning and test seams; every field has a production default. */
interface SlackAdapterOptions {
  /** Tries of one direct reply when Slack answers 429, the first included (default 3). */
  replyAttempts?: number;
  /** Longest Retry-After a direct reply waits out (default 30 s); beyond it the reply is dropped and logged. */
  maxReplyWaitMs?: number;
  /** Timeout of one Web API request in ms (default 10 s). */
  requestTimeoutMs?: number;
  /** Time used when Slack sends no timestamp with an event, and the clock of the names cache. */
  now?: () => Date;
  /** How long a person's name from users.info is kept (default 1 hour). */
  nameTtlMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The Slack adapter, with what tests and the process need beyond the common contract. */
export interface SlackAdapter extends PlatformAdapter {
  readonly channel: 'slack';
  /** HTTP mode, once started: the port the events endpoint listens on (useful with SLACK_PORT=0). */
  readonly port: number | undefined;
  /**
   * Resolves once every event received so far has been handled and its replies sent (or given up).
   * Events are acknowledged before they are handled, so tests await this after each request.
   */
  idle(): Promise<void>;
}

/** Replies to a slash command go back through its response_url, shown to all or to one person. */
interface ResponseUrl {
  respond: RespondFn;
  responseType: 'ephemeral' | 'in_channel';
}

/** Largest file passed on from one Slack conversation to another (a handover relay); larger ones leave the words alone. */
const MEDIA_MAX_BYTES = 20 * 1024 * 1024;
/** files.info answers for a file the workspace no longer has: its words go alone. */
const FILE_GONE = new Set(['file_not_found', 'file_deleted']);

/** Retries of requests that failed on the network or with a 5xx, for replies (not for `send()`). */
const REPLY_RETRY = { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000, randomize: true };

/**
 * Builds the adapter; nothing connects until `start()`.
 * @param config from `slackConfigFromEnv`.
 */
export function createSlackAdapter(config: SlackConfig, deps: AdapterDeps, options: SlackAdapterOptions = {}): SlackAdapter {
  return new SlackBoltAdapter(config, deps, options);
}

/** Bolt calls `processEvent` for every request or socket message; this hook sees each one first. */
type EventHook = (event: ReceiverEvent, process: (event: ReceiverEvent) => Promise<void>) => Promise<void>;

/** Bolt's App, with a hook around event processing so the adapter knows what is in flight. */
class HookedApp extends App {
  readonly #hook: EventHook;

  constructor(options: AppOptions, hook: EventHook) {
    super(options);
    this.#hook = hook;
  }

  override processEvent(event: ReceiverEvent): Promise<void> {
    return this.#hook(event, (e) => super.processEvent(e));
  }
}

class SlackBoltAdapter implements SlackAdapter {
  readonly channel = 'slack' as const;
  readonly #config: SlackConfig;
  readonly #deps: AdapterDeps;
  readonly #app: HookedApp;
  /** For `send()`: no retries, no waiting on rate limits. */
  readonly #sendClient: webApi.WebClient;
  readonly #chats = new KeyedQueue();
  readonly #names: SlackNames;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #replyAttempts: number;
  readonly #maxReplyWaitMs: number;
  readonly #now: () => Date;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #timeoutMs: number;
  #port: number | undefined;
  #started = false;

  constructor(config: SlackConfig, deps: AdapterDeps, options: SlackAdapterOptions) {
    this.#config = config;
    this.#deps = deps;
    this.#replyAttempts = Math.max(1, options.replyAttempts ?? 3);
    this.#maxReplyWaitMs = options.maxReplyWaitMs ?? 30_000;
    this.#now = options.now ?? (() => new Date());
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const timeout = options.requestTimeoutMs ?? 10_000;
    this.#timeoutMs = timeout;
    const logger = boltLogger(deps.log);

    this.#sendClient = new webApi.WebClient(config.botToken, {
      slackApiUrl: config.apiUrl,
      logger,
      timeout,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });

    this.#names = new SlackNames(this.#sendClient, {
      ttlMs: options.nameTtlMs ?? 60 * 60_000,
      now: () => this.#now().getTime(),
      log: deps.log,
    });

    const receiver = config.mode === 'socket' ? this.#socketReceiver(config, logger) : this.#httpReceiver(config, logger);

    this.#app = new HookedApp(
      {
        token: config.botToken,
        receiver,
        logger,
        // app.client sends direct replies: rate limits come back as errors and are waited out here.
        clientOptions: { slackApiUrl: config.apiUrl, timeout, rejectRateLimitedCalls: true, retryConfig: REPLY_RETRY },
        // auth.test runs in start(), so a bad token fails the start instead of the first event.
        deferInitialization: true,
        convoStore: false,
        ignoreSelf: true,
      },
      (event, process) => this.#onEvent(event, process),
    );
    this.#app.message(async ({ message, context }) => {
      await this.#converse(messageToInbound(message, this.#now(), context.botUserId));
    });
    // A mention in a channel also arrives as a message event: same channel and ts, answered once.
    this.#app.event('app_mention', async ({ event, context }) => {
      await this.#converse(messageToInbound(event, this.#now(), context.botUserId));
    });
    // Acknowledged at once (Slack wants it within 3 s, and shows nothing for a bare ack); the
    // answers follow through the response_url (see commands.ts for which are ephemeral).
    this.#app.command(config.command, async ({ ack, command, respond }) => {
      await ack();
      const translation = slashCommandToInbound(command, this.#now());
      if ('usage' in translation) {
        await respond({ response_type: 'ephemeral', text: escapeMrkdwn(commandUsage(config.command)), replace_original: false });
        return;
      }
      if ('skipped' in translation) {
        this.#deps.log.warn({ reason: translation.skipped }, 'slack slash command ignored');
        return;
      }
      await this.#converse(translation, { respond, responseType: responseTypeOf(translation.word) });
    });
    this.#app.action(/.*/, async ({ ack, body }) => {
      await ack();
      await this.#converse(blockActionToInbound(body, this.#now()));
    });
    this.#app.error(async (error) => {
      deps.log.error({ err: error }, 'slack event failed');
    });
  }

  /**
   * Socket Mode. The SDK reconnects by itself (auto-reconnect on, its defaults): after the socket
   * closes or errors, after a `disconnect` message from Slack (refresh_requested, warning), and
   * when pongs stop coming (clientPingTimeout 5 s) or Slack's pings stop (serverPingTimeout 30 s);
   * it waits 5 s before a new apps.connections.open, longer after repeated failures. It says so at
   * debug level only, which the Bolt logger drops, so the drop and the recovery are logged here.
   */
  #socketReceiver(config: SlackSocketConfig, logger: BoltLogger): SocketModeReceiver {
    const receiver = new SocketModeReceiver({
      appToken: config.appToken,
      logger,
      // Socket Mode's own client (apps.connections.open) keeps its patient default retries.
      installerOptions: { clientOptions: { slackApiUrl: config.apiUrl } },
    });
    let lost = false;
    receiver.client.on('close', () => {
      if (!this.#started || lost) return;
      lost = true;
      this.#deps.log.warn('slack socket mode connection lost; reconnecting');
    });
    receiver.client.on('connected', () => {
      if (!lost) return;
      lost = false;
      this.#deps.log.info('slack socket mode reconnected');
    });
    return receiver;
  }

  #httpReceiver(config: SlackHttpConfig, logger: BoltLogger): HTTPReceiver {
    const receiver = new HTTPReceiver({
      signingSecret: config.signingSecret,
      endpoints: [config.eventsPath],
      port: config.port,
      // Answer Slack at ack() time, before the core runs, to stay within its 3 s.
      processBeforeResponse: false,
      logger,
    });
    guardHttpReceiver(receiver, { signingSecret: config.signingSecret, endpoints: [config.eventsPath], log: this.#deps.log });
    return receiver;
  }

  get port(): number | undefined {
    return this.#port;
  }

  async start(): Promise<void> {
    try {
      await this.#app.init();
    } catch (error) {
      throw new AdapterStartError(`Slack refused the bot token (auth.test: ${describeSlackError(error)})`, { cause: error });
    }
    try {
      const started: unknown = await this.#app.start();
      if (this.#config.mode === 'http') {
        const address = (started as { address(): AddressInfo | string | null }).address();
        this.#port = typeof address === 'object' && address !== null ? address.port : this.#config.port;
      }
    } catch (error) {
      throw new AdapterStartError(`Slack adapter could not start (${describeSlackError(error)})`, { cause: error });
    }
    this.#started = true;
    this.#deps.log.info(
      this.#config.mode === 'http'
        ? { mode: 'http', port: this.#port, path: this.#config.eventsPath }
        : { mode: 'socket' },
      'slack adapter started',
    );
  }

  async stop(): Promise<void> {
    if (this.#started) {
      this.#started = false;
      await this.#app.stop();
    }
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Resolves with the message's `ts` (a staff reply in its thread is matched by it). */
  async send(chatId: string, message: Outbound): Promise<string | undefined> {
    try {
      return await this.#deliver(this.#sendClient, chatId, { ...message, text: withSlackCommand(message.text, this.#config.command) });
    } catch (error) {
      throw toSendError(message.file || message.media ? 'files.uploadV2' : 'chat.postMessage', error);
    }
  }

  /**
   * Sees every event before Bolt: refuses bodies Bolt cannot route, acknowledges what no listener
   * did (payload types this adapter does not serve), and tracks the rest until done. Malformed or
   * unserved requests are acknowledged all the same: a redelivery would not fare better.
   */
  #onEvent(event: ReceiverEvent, process: (event: ReceiverEvent) => Promise<void>): Promise<void> {
    const problem = envelopeProblem(event.body);
    if (problem !== undefined) {
      this.#deps.log.warn({ problem }, 'slack request acknowledged and ignored: malformed body');
      return Promise.resolve(event.ack());
    }
    let acked = false;
    const ack: ReceiverEvent['ack'] = (response) => {
      acked = true;
      return event.ack(response);
    };
    const work = process({ ...event, ack }).then(async () => {
      if (acked) return;
      this.#deps.log.debug('slack request acknowledged: no listener for it');
      await ack();
    });
    const tracked = work.then(
      () => undefined,
      () => undefined,
    );
    this.#inFlight.add(tracked);
    void tracked.then(() => this.#inFlight.delete(tracked));
    return work;
  }

  /** Hands one inbound event to the core and sends its replies, after earlier events of the same chat. */
  async #converse(translation: Translation, via?: ResponseUrl): Promise<void> {
    if ('skipped' in translation) {
      this.#deps.log.debug({ reason: translation.skipped }, 'slack event ignored');
      return;
    }
    const event = translation.inbound;
    await this.#chats.run(event.chatId, async () => {
      // Slack's display or real name; the event's own name (profile, handle) when Slack cannot tell.
      const name = await this.#names.nameOf(event.userId);
      const inbound = name !== undefined ? { ...event, displayName: name } : event;
      const replies = await this.#handle(inbound);
      for (const [index, reply] of replies.entries()) {
        try {
          const slackReply = { ...reply, text: withSlackCommand(reply.text, this.#config.command) };
          const deliver =
            via !== undefined && !reply.file
              ? () => this.#respond(via, slackReply)
              : async () => {
                  await this.#deliver(this.#app.client, inbound.chatId, slackReply);
                };
          await retryOnRateLimit(deliver, {
            attempts: this.#replyAttempts,
            maxWaitMs: this.#maxReplyWaitMs,
            sleep: this.#sleep,
            onWait: (waitMs, attempt) =>
              this.#deps.log.info({ chatId: inbound.chatId, waitMs, attempt }, 'slack rate limit: waiting before replying'),
          });
        } catch (error) {
          // The rest of this turn's replies would read out of context without this one.
          this.#deps.log.error(
            { chatId: inbound.chatId, messageId: inbound.messageId, err: error, undelivered: replies.length - index },
            'slack reply not delivered',
          );
          return;
        }
      }
    });
  }

  async #handle(inbound: InboundInput): Promise<Outbound[]> {
    try {
      return await this.#deps.handle(inbound);
    } catch (error) {
      // The core promises not to throw; if it does, the event is dropped with a log line.
      this.#deps.log.error({ chatId: inbound.chatId, err: error }, 'core failed on a slack event');
      return [];
    }
  }

  /** Answers through a slash command's response_url (text and buttons; files go through #deliver). */
  async #respond(via: ResponseUrl, message: Outbound): Promise<void> {
    const rendered = renderMessage(message);
    this.#warnDropped('response_url', rendered.dropped.length);
    await via.respond({
      response_type: via.responseType,
      replace_original: false,
      text: rendered.text,
      ...(rendered.blocks ? { blocks: rendered.blocks } : {}),
    });
  }

  /**
   * Sends one rendered message (text and buttons, or a file with the text as its comment), in the
   * thread of `message.replyTo` when given; resolves with the text message's `ts`.
   */
  async #deliver(client: webApi.WebClient, chatId: string, message: Outbound): Promise<string | undefined> {
    if (message.media) return this.#passOn(client, chatId, message, message.media);
    if (message.file) {
      // In the thread of `replyTo` (a photo carried from another platform under its handover post).
      const destination = message.replyTo !== undefined ? { channel_id: chatId, thread_ts: message.replyTo } : { channel_id: chatId };
      await client.filesUploadV2({
        ...destination,
        file: Buffer.from(message.file.data),
        filename: message.file.name,
        title: message.file.name,
        ...(message.text ? { initial_comment: escapeMrkdwn(message.text) } : {}),
      });
      const rows = (message.buttons ?? []).filter((row) => row.length > 0);
      if (rows.length > 0) {
        const { actions, dropped } = renderButtons(rows);
        this.#warnDropped(chatId, dropped.length);
        const fallback = rows.flat().map((b) => b.label).join(' | ');
        await client.chat.postMessage({ channel: chatId, text: escapeMrkdwn(fallback), blocks: actions });
      }
      return undefined;
    }
    const rendered = renderMessage(message);
    this.#warnDropped(chatId, rendered.dropped.length);
    const posted = await client.chat.postMessage({
      channel: chatId,
      text: rendered.text,
      ...(rendered.blocks ? { blocks: rendered.blocks } : {}),
      ...(message.replyTo !== undefined ? { thread_ts: message.replyTo } : {}),
    });
    return typeof posted.ts === 'string' ? posted.ts : undefined;
  }

  /**
   * A person's Slack file in another conversation (a handover relay): downloaded with the bot token
   * from the URL files.info gives, uploaded with files.uploadV2 into the thread of `replyTo`, the
   * text as its comment. A file Slack no longer has, or one over MEDIA_MAX_BYTES, leaves the text
   * alone (it names what was sent).
   * @throws what the Web API or the download throws otherwise (the outbox retries).
   */
  async #passOn(client: webApi.WebClient, chatId: string, message: Outbound, media: Media): Promise<string | undefined> {
    const { media: _passed, ...words } = message;
    const file = await this.#download(client, media.ref, MEDIA_MAX_BYTES);
    if (!file) return this.#deliver(client, chatId, words);
    const comment = message.text.trim() ? { initial_comment: escapeMrkdwn(message.text) } : {};
    const destination = message.replyTo !== undefined ? { channel_id: chatId, thread_ts: message.replyTo } : { channel_id: chatId };
    await client.filesUploadV2({ ...destination, file: file.data, filename: file.name, title: file.name, ...comment });
    return undefined;
  }

  /** A person's Slack file, for a chat on another platform (see `Sender.fetchMedia`). */
  async fetchMedia(media: Media, opts: { maxBytes: number }): Promise<NonNullable<Outbound['file']> | undefined> {
    const file = await this.#download(this.#sendClient, media.ref, Math.min(opts.maxBytes, MEDIA_MAX_BYTES));
    return file && { name: file.name, mime: file.mime ?? media.mime ?? 'application/octet-stream', data: new Uint8Array(file.data) };
  }

  /** The bytes, name and type of a Slack file; undefined when Slack no longer has it or it is over `maxBytes`. */
  async #download(client: webApi.WebClient, fileId: string, maxBytes: number): Promise<{ data: Buffer; name: string; mime?: string } | undefined> {
    let info: webApi.FilesInfoResponse;
    try {
      info = await client.files.info({ file: fileId });
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === undefined || !FILE_GONE.has(code)) throw error;
      this.#deps.log.warn({ fileId, code }, 'slack file to pass on is gone; sending the words alone');
      return undefined;
    }
    const file = info.file;
    const url = file?.url_private_download ?? file?.url_private;
    if (!file || !url || (file.size ?? 0) > maxBytes) {
      this.#deps.log.warn({ fileId, size: file?.size }, 'slack file not passed on (no URL, or too large); sending the words alone');
      return undefined;
    }
    // The URL is the one Slack's API gave; the token goes with it as Slack documents for url_private.
    const response = await fetch(url, { headers: { authorization: `Bearer ${this.#config.botToken}` }, signal: AbortSignal.timeout(this.#timeoutMs) });
    if (!response.ok) throw new Error(`slack file download failed: HTTP ${response.status}`);
    // Without the files:read scope Slack answers with its sign-in page instead of the file.
    if (response.headers.get('content-type')?.startsWith('text/html') && !file.mimetype?.startsWith('text/html')) {
      this.#deps.log.warn({ fileId }, 'slack answered a file download with a web page (missing files:read scope?); sending the words alone');
      return undefined;
    }
    const data = Buffer.from(await response.arrayBuffer());
    if (data.byteLength > maxBytes) return undefined;
    return { data, name: file.name ?? fileId, ...(file.mimetype ? { mime: file.mimetype } : {}) };
  }

  #warnDropped(chatId: string, count: number): void {
    if (count > 0) this.#deps.log.warn({ chatId, count }, 'slack buttons dropped: beyond Block Kit limits');
  }
}

/**
 * Why a request body cannot be routed by Bolt, or undefined when it can. Slack never sends these;
 * they are refused here so that a signed but malformed body cannot throw inside Bolt.
 */
function envelopeProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'not an object';
  const record = body as Record<string, unknown>;
  if ('event' in record && (typeof record.event !== 'object' || record.event === null || Array.isArray(record.event))) {
    return 'event is not an object';
  }
  if ('actions' in record) {
    const actions = record.actions;
    if (!Array.isArray(actions) || actions.length === 0) return 'actions is not a non-empty list';
    if (!actions.every((a) => typeof a === 'object' && a !== null)) return 'an action is not an object';
  }
  return undefined;
}

