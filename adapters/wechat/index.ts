/**
 * The WeChat adapter, through Wechaty and the puppet named by `WECHATY_PUPPET`. Private chats are
 * customer conversations, rooms can be staff channels. Options are shown as numbered lines and
 * answered by number or label; files go out as FileBox with a text fallback; every send of the
 * account is paced (WeChat risk-controls accounts that send fast).
 */
import type { FileBoxInterface } from 'file-box';
import qrcode from 'qrcode';
import { qrcodeValueToImageUrl, types, WechatyBuilder, type Message, type Wechaty } from 'wechaty';
import type { AdapterDeps, PlatformAdapter } from '../../src/contracts/adapter.ts';
import { inboundSchema, type Outbound } from '../../src/contracts/messages.ts';
import { SendError } from '../../src/lib/errors.ts';
import { KeyedQueue } from '../../src/lib/keyed-queue.ts';
import type { WechatPersonalConfig } from './config.ts';
import { readMessage, toInbound, type WechatMessage } from './inbound.ts';
import { deliverReplies, type Conversation } from './outbound.ts';
import { DEFAULT_PACE_MS, SendPacer } from './pacer.ts';
import { loadPuppet, type WechatyPuppet } from './puppet.ts';
import { ShownOptions } from './shown-options.ts';

/** Where the login QR code is drawn (process.stderr); drawn only when it is a terminal. */
interface Terminal {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

interface WechatAdapterOptions {
  /** A puppet instance (tests inject a `PuppetMock`); default: the package `config.puppet` names. */
  puppet?: WechatyPuppet;
  /** Least gap between two messages the account sends; default 1000 ms. Tests use 0. */
  paceMs?: number;
  /** How many chats' last shown options are remembered; default 10 000. */
  optionsLimit?: number;
  /** Where the login QR code is drawn when it is a terminal; default process.stderr. */
  terminal?: Terminal;
}

/** The adapter, plus the hooks tests and diagnostics use. */
export interface WechatAdapter extends PlatformAdapter {
  /** The running Wechaty instance (undefined before start and after stop). */
  readonly bot: Wechaty | undefined;
  /**
   * Handles one message as `bot.on('message')` does: skips own and non-text messages, asks the
   * core, sends the replies. Never throws (failures are logged).
   */
  onMessage(msg: WechatMessage): Promise<void>;
}

/** Room ids end with this on WeChat (`...@chatroom`). */
const ROOM_ID = /@chatroom$/;

/**
 * Builds the WeChat adapter. Nothing connects until `start()`, which loads the puppet (a missing
 * package is a ConfigError naming WECHATY_PUPPET) and resolves once the puppet is started, without
 * waiting for the account to log in: a QR-code puppet may wait for a scan for hours, and the rest of
 * the process (outbox, sweeps, other platforms, signal handling) must not wait with it. Until the
 * login, `send()` fails with a retryable SendError, so the outbox sends WeChat's messages later.
 * The QR code is drawn on stderr when it is a terminal, and its link logged.
 */
export function createWechatAdapter(config: WechatPersonalConfig, deps: AdapterDeps, opts: WechatAdapterOptions = {}): WechatAdapter {
  const log = deps.log.child({ adapter: 'wechat' });
  const shown = new ShownOptions(opts.optionsLimit);
  // One chat's work one piece after another, so an answer like "2" is read against the options
  // of the reply before it, even when the customer types faster than the bot replies.
  const chats = new KeyedQueue();
  const paceMs = opts.paceMs ?? DEFAULT_PACE_MS;
  let pacer = new SendPacer({ intervalMs: paceMs });
  let bot: Wechaty | undefined;
  let starting: Promise<void> | undefined;

  /** A received message's file, as `Message.toFileBox()` loads it (puppet.messageFile). */
  async function loadMedia(messageId: string): Promise<FileBoxInterface> {
    if (!bot) throw new Error('WeChat is not running');
    return bot.puppet.messageFile(messageId);
  }

  async function onMessage(msg: WechatMessage): Promise<void> {
    try {
      const read = await readMessage(msg);
      if (read.kind === 'skip') {
        const fields = { chatId: read.chatId, chatType: read.chatType, messageId: read.messageId, type: read.type };
        // An emoticon, link or mini program from a customer gets no answer, but is logged.
        if (read.reason === 'not text or media' && read.chatType === 'private') log.info(fields, 'WeChat message of another kind not answered');
        else log.debug(fields, `WeChat ${read.reason} ignored`);
        return;
      }
      await chats.run(read.chatId, async () => {
        const parsed = inboundSchema.safeParse(toInbound(read, shown.get(read.chatId)));
        if (!parsed.success) {
          log.warn({ messageId: read.messageId, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'WeChat message refused');
          return;
        }
        const replies = await deps.handle(parsed.data);
        if (replies.length === 0) return;
        const { options } = await deliverReplies(read.conversation, replies, { pacer, log, loadMedia });
        // Earlier options stay answerable until new ones are shown (the core refuses stale ones),
        // so a reply without options in a staff room does not disarm the post above it.
        if (options.length > 0) shown.set(read.chatId, options);
      });
    } catch (error) {
      log.error({ err: error, messageId: msg.id }, 'WeChat message not handled');
    }
  }

  /**
   * The room or contact with `chatId` (room first when the id ends in @chatroom). Wechaty's
   * `Room.find`/`Contact.find` by id answer undefined for any failure, a puppet outage as well as an
   * unknown id (the error goes to the 'error' event), so when neither finds the id the adapter asks
   * the puppet's lists whether it knows the id at all.
   * @throws SendError, permanent only when the puppet answered and lists no such room or contact;
   *   retryable when the puppet failed (or timed out) looking it up.
   */
  async function findConversation(running: Wechaty, chatId: string): Promise<Conversation> {
    const room = () => running.Room.find({ id: chatId });
    const contact = () => running.Contact.find({ id: chatId });
    for (const find of ROOM_ID.test(chatId) ? [room, contact] : [contact, room]) {
      try {
        const found = await find();
        if (found) return found;
      } catch (error) {
        throw new SendError(`the WeChat puppet failed to look up ${chatId}`, { cause: error });
      }
    }
    let known: boolean;
    try {
      const [rooms, contacts] = await Promise.all([running.puppet.roomList(), running.puppet.contactList()]);
      known = rooms.includes(chatId) || contacts.includes(chatId);
    } catch (error) {
      throw new SendError(`the WeChat puppet failed to look up ${chatId}`, { cause: error });
    }
    if (!known) throw new SendError(`no WeChat room or contact with id ${chatId}`, { permanent: true });
    throw new SendError(`the WeChat puppet failed to load ${chatId}, which it lists`);
  }

  /** Draws the login QR code on the terminal, when there is one (never into a log file). */
  async function drawQrCode(value: string): Promise<void> {
    const terminal = opts.terminal ?? process.stderr;
    if (!terminal.isTTY) return;
    try {
      terminal.write(`${await qrcode.toString(value, { type: 'terminal', small: true })}\n`);
    } catch (error) {
      log.warn({ err: error }, 'WeChat QR code not drawn; open the logged URL instead');
    }
  }

  async function connect(): Promise<void> {
    const puppet = opts.puppet ?? (await loadPuppet(config));
    const created = WechatyBuilder.build({ name: config.name, puppet });
    let logins = 0;
    created.on('scan', (value, status) => {
      log.info({ status: types.ScanStatus[status], url: qrcodeValueToImageUrl(value) }, 'WeChat: scan the QR code to log in');
      if (value && (status === types.ScanStatus.Waiting || status === types.ScanStatus.Timeout)) void drawQrCode(value);
    });
    created.on('login', (user) => {
      logins += 1;
      if (logins === 1) log.info({ userId: user.id }, 'WeChat logged in');
      else log.info({ userId: user.id, logins }, 'WeChat logged in again (reconnected)');
    });
    created.on('logout', (user, reason) => log.warn({ userId: user.id, reason }, 'WeChat logged out'));
    created.on('error', (error) => log.warn({ err: error }, 'WeChat error'));
    created.on('message', (msg: Message) => void onMessage(msg));
    pacer = new SendPacer({ intervalMs: paceMs });
    bot = created;
    await created.start();
    if (!created.isLoggedIn) log.info('WeChat started; waiting for the account to log in (sends are retried until then)');
  }

  return {
    channel: 'wechat',
    get bot() {
      return bot;
    },
    onMessage,

    start() {
      starting ??= connect().catch((error: unknown) => {
        starting = undefined;
        throw error;
      });
      return starting;
    },

    async stop() {
      const running = bot;
      if (!running) return;
      await pacer.close();
      await chats.idle();
      bot = undefined;
      starting = undefined;
      await running.stop();
    },

    /** A received message's file, for a chat on another platform (see `Sender.fetchMedia`). */
    async fetchMedia(media, opts) {
      const box = await loadMedia(media.ref);
      const data = new Uint8Array(await box.toBuffer());
      if (data.byteLength > opts.maxBytes) return undefined;
      return { name: box.name, mime: box.mediaType || media.mime || 'application/octet-stream', data };
    },

    /**
     * Sends to a room or contact by id (room first when the id ends in @chatroom); resolves with
     * the sent text's message id when the puppet gives one (a handover post's reference).
     * @throws SendError, permanent when the puppet knows no room or contact with the id; retryable
     *   when the account is not logged in (yet), or the puppet fails to look up or send.
     */
    async send(chatId: string, message: Outbound) {
      const running = bot;
      if (!running?.isLoggedIn) throw new SendError('WeChat is not logged in (waiting for a QR scan or a reconnect)');
      const target = await findConversation(running, chatId);
      return chats.run(chatId, async () => {
        let sent: Awaited<ReturnType<typeof deliverReplies>>;
        try {
          sent = await deliverReplies(target, [message], { pacer, log, loadMedia });
        } catch (error) {
          if (error instanceof SendError) throw error;
          throw new SendError('WeChat send failed', { cause: error });
        }
        // A message without options leaves the chat's open options as they were.
        if (sent.options.length > 0) shown.set(chatId, sent.options);
        return sent.ref;
      });
    },
  };
}
