/**
 * The WeChat adapter, through Wechaty and the puppet named by `WECHATY_PUPPET`. Private chats are
 * customer conversations, rooms can be staff channels. Options are shown as numbered lines and
 * answered by number or label; files go out as FileBox with a text fallback; every send of the
 * account is paced (WeChat risk-controls accounts that send fast).
 */
import { qrcodeValueToImageUrl, types, WechatyBuilder, type Message, type Wechaty } from 'wechaty';
import type { AdapterDeps, PlatformAdapter } from '../../src/contracts/adapter.ts';
import { inboundSchema, type Outbound } from '../../src/contracts/messages.ts';
import { SendError } from '../../src/lib/errors.ts';
import { KeyedQueue } from '../../src/lib/keyed-queue.ts';
import type { WechatConfig } from './config.ts';
import { readMessage, toInbound, type WechatMessage } from './inbound.ts';
import { deliverReplies, type Conversation } from './outbound.ts';
import { DEFAULT_PACE_MS, SendPacer } from './pacer.ts';
import { loadPuppet, type WechatyPuppet } from './puppet.ts';
import { ShownOptions } from './shown-options.ts';



interface WechatAdapterOptions {
  /** A puppet instance (tests inject a `PuppetMock`); default: the package `config.puppet` names. */
  puppet?: WechatyPuppet;
  /** Least gap between two messages the account sends; default 1000 ms. Tests use 0. */
  paceMs?: number;
  /** How many chats' last shown options are remembered; default 10 000. */
  optionsLimit?: number;
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
 * package is a ConfigError naming WECHATY_PUPPET) and resolves once the account is logged in
 * (with a QR-code puppet, after the scan; the QR link is logged).
 */
export function createWechatAdapter(config: WechatConfig, deps: AdapterDeps, opts: WechatAdapterOptions = {}): WechatAdapter {
  const log = deps.log.child({ adapter: 'wechat' });
  const shown = new ShownOptions(opts.optionsLimit);
  // One chat's work one piece after another, so an answer like "2" is read against the options
  // of the reply before it, even when the customer types faster than the bot replies.
  const chats = new KeyedQueue();
  const paceMs = opts.paceMs ?? DEFAULT_PACE_MS;
  let pacer = new SendPacer({ intervalMs: paceMs });
  let bot: Wechaty | undefined;
  let starting: Promise<void> | undefined;

  async function onMessage(msg: WechatMessage): Promise<void> {
    try {
      const read = await readMessage(msg);
      if (read.kind === 'skip') {
        const fields = { chatId: read.chatId, chatType: read.chatType, messageId: read.messageId, type: read.type };
        // The core reads text only: an image or voice from a customer gets no answer, but is logged.
        if (read.reason === 'not text' && read.chatType === 'private') log.info(fields, 'non-text WeChat message not answered');
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
        const options = await deliverReplies(read.conversation, replies, { pacer, log });
        // Earlier options stay answerable until new ones are shown (the core refuses stale ones),
        // so a reply without options in a staff room does not disarm the post above it.
        if (options.length > 0) shown.set(read.chatId, options);
      });
    } catch (error) {
      log.error({ err: error, messageId: msg.id }, 'WeChat message not handled');
    }
  }

  async function findConversation(running: Wechaty, chatId: string): Promise<Conversation | undefined> {
    const room = () => running.Room.find({ id: chatId });
    const contact = () => running.Contact.find({ id: chatId });
    for (const find of ROOM_ID.test(chatId) ? [room, contact] : [contact, room]) {
      const found = await find();
      if (found) return found;
    }
    return undefined;
  }

  async function connect(): Promise<void> {
    const puppet = opts.puppet ?? (await loadPuppet(config));
    const created = WechatyBuilder.build({ name: config.name, puppet });
    created.on('scan', (qrcode, status) => {
      log.info({ status: types.ScanStatus[status], url: qrcodeValueToImageUrl(qrcode) }, 'WeChat: scan the QR code to log in');
    });
    created.on('login', (user) => log.info({ userId: user.id }, 'WeChat logged in'));
    created.on('logout', (user) => log.warn({ userId: user.id }, 'WeChat logged out'));
    created.on('error', (error) => log.warn({ err: error }, 'WeChat error'));
    created.on('message', (msg: Message) => void onMessage(msg));
    const loggedIn = new Promise<void>((resolve) => created.once('login', () => resolve()));
    pacer = new SendPacer({ intervalMs: paceMs });
    bot = created;
    await created.start();
    if (!created.isLoggedIn) await loggedIn;
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

    /**
     * Sends to a room or contact by id (room first when the id ends in @chatroom).
     * @throws SendError, permanent when no room or contact has the id; retryable when the account
     *   is not logged in or the puppet fails to send the text.
     */
    async send(chatId: string, message: Outbound) {
      const running = bot;
      if (!running?.isLoggedIn) throw new SendError('WeChat is not logged in');
      const target = await findConversation(running, chatId);
      if (!target) throw new SendError(`no WeChat room or contact with id ${chatId}`, { permanent: true });
      await chats.run(chatId, async () => {
        let options: Awaited<ReturnType<typeof deliverReplies>>;
        try {
          options = await deliverReplies(target, [message], { pacer, log });
        } catch (error) {
          if (error instanceof SendError) throw error;
          throw new SendError('WeChat send failed', { cause: error });
        }
        // A message without options leaves the chat's open options as they were.
        if (options.length > 0) shown.set(chatId, options);
      });
    },
  };
}
