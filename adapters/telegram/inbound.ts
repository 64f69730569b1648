/**
 * A Telegram update as the core's inbound shape. Only the fields read here are validated (zod),
 * so a malformed update is refused with the paths that were wrong instead of crashing a handler.
 *
 * - A message: `messageId` is the update id, unique per bot and the same when Telegram redelivers,
 *   so the core answers a redelivered update once.
 * - A button press (callback query): `messageId` is `cb:<callback_query.id>`, its callback data is
 *   returned for the caller to resolve through the callback store.
 * - Private chats are `chatType: 'private'`; groups and supergroups `'group'` (staff rooms).
 * - A photo (the largest size), document, video or voice note is the inbound's `media` by its
 *   `file_id`, which this bot can send again to any chat; the caption is the text.
 * - Updates without a person (channel posts, anonymous senders) and kinds the bot does not handle
 *   are ignored.
 * - A command addressed to a bot (`/join@desk_bot code`, the form Telegram clients insert in
 *   groups) reaches the core in its plain form (`/join code`) when addressed to this bot, and is
 *   ignored when addressed to another bot.
 */
import { z } from 'zod';
import { mediaSchema, type InboundInput, type Media } from '../../src/contracts/messages.ts';

const userSchema = z.object({
  id: z.number().int(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});

const chatSchema = z.object({
  id: z.number().int(),
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
});

/** A file Telegram holds; `file_id` resends it from this bot to any chat (Bot API "Sending files"). */
const fileSchema = z.object({
  file_id: z.string().min(1).max(2048),
  file_size: z.number().int().nonnegative().optional(),
});
const namedFileSchema = fileSchema.extend({ file_name: z.string().optional(), mime_type: z.string().optional() });

const messageSchema = z.object({
  message_id: z.number().int().optional(),
  date: z.number().int().nonnegative(),
  chat: chatSchema,
  from: userSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  /** The sizes of a photo, the largest last (PhotoSize). */
  photo: z.array(fileSchema).min(1).optional(),
  document: namedFileSchema.optional(),
  video: namedFileSchema.optional(),
  voice: fileSchema.extend({ mime_type: z.string().optional() }).optional(),
  /** The message this one replies to (in privacy mode a group message reaches the bot only as a reply to the bot, or a command). */
  reply_to_message: z.object({ message_id: z.number().int() }).optional(),
});

const callbackQuerySchema = z.object({
  id: z.string().min(1).max(200),
  from: userSchema,
  /** Absent for buttons on inline-mode messages, which this bot does not send. */
  message: z.object({ chat: chatSchema, message_id: z.number().int().optional() }).optional(),
  /** Absent for game buttons. */
  data: z.string().optional(),
});

const updateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: messageSchema.optional(),
  callback_query: callbackQuerySchema.optional(),
});

/** What an update asks of the adapter. */
type ReadUpdate =
  /** `messageRef`: Telegram's id of the person's message in its chat (for replying to it). */
  | { kind: 'message'; inbound: InboundInput; messageRef?: number }
  /**
   * `inbound` lacks the action: resolve `data` through the callback store first. `messageRef`:
   * the bot's message the button is on.
   */
  | { kind: 'callback'; queryId: string; data: string; inbound: Omit<InboundInput, 'action' | 'text'>; messageRef?: number }
  /** Nothing for the core; a callback query still gets answered (`queryId`). */
  | { kind: 'ignored'; updateId: number; reason: string; queryId?: string }
  | { kind: 'invalid'; updateId?: number; issues: string[] };

const DISPLAY_NAME_MAX = 256;

/** A name part written in Chinese characters only (张, 师傅, 桂兰). */
const HAN_ONLY = /^\p{Script=Han}+$/u;

/**
 * First and last name, or the username when there is no name. A name in Chinese characters reads
 * family name first, with no space (Telegram's first_name 伟, last_name 张: 张伟, not "伟 张").
 */
function displayName(user: z.infer<typeof userSchema>): string | undefined {
  const first = user.first_name.trim();
  const last = user.last_name?.trim() ?? '';
  const chinese = HAN_ONLY.test(first) && HAN_ONLY.test(last);
  const name = chinese ? `${last}${first}` : [first, last].filter(Boolean).join(' ');
  const chosen = name || user.username;
  return chosen ? chosen.slice(0, DISPLAY_NAME_MAX) : undefined;
}

function chatType(chat: z.infer<typeof chatSchema>): 'private' | 'group' {
  return chat.type === 'private' ? 'private' : 'group';
}

/**
 * The photo (its largest size), document, video or voice note of a message, by `file_id`. A
 * name or mime type the core would not take is left out rather than refusing the message.
 */
function mediaOf(m: z.infer<typeof messageSchema>): Media | undefined {
  const largest = m.photo?.at(-1);
  const found: { kind: Media['kind']; file: z.infer<typeof namedFileSchema> } | undefined = largest
    ? { kind: 'photo', file: largest }
    : m.document
      ? { kind: 'document', file: m.document }
      : m.video
        ? { kind: 'video', file: m.video }
        : m.voice
          ? { kind: 'voice', file: m.voice }
          : undefined;
  if (!found) return undefined;
  const { file } = found;
  const name = file.file_name?.slice(0, 256);
  const mime = mediaSchema.shape.mime.safeParse(file.mime_type).data;
  return { kind: found.kind, ref: file.file_id, ...(name ? { name } : {}), ...(mime ? { mime } : {}), ...(file.file_size === undefined ? {} : { size: file.file_size }) };
}

/** `/command@botname` at the start of a message (Telegram's bot command entity form). */
const ADDRESSED_COMMAND = /^(\s*\/[A-Za-z0-9_]+)@([A-Za-z0-9_]+)(?=\s|$)/;

/**
 * The text with `@<botUsername>` taken off a leading command; `undefined` when the command is
 * addressed to another bot. Usernames compare case-insensitively, as Telegram's do.
 */
function commandFor(text: string, botUsername: string | undefined): string | undefined {
  const match = ADDRESSED_COMMAND.exec(text);
  if (!match) return text;
  if (botUsername === undefined || match[2]!.toLowerCase() !== botUsername.toLowerCase()) return undefined;
  return match[1]! + text.slice(match[0].length);
}

/**
 * Reads one update. Never throws.
 * @param now the time of a button press (Telegram does not date callback queries).
 * @param botUsername this bot's username (getMe), for commands addressed `/command@username`.
 */
export function readUpdate(raw: unknown, now: () => Date, botUsername?: string): ReadUpdate {
  const parsed = updateSchema.safeParse(raw);
  if (!parsed.success) {
    const updateId = typeof raw === 'object' && raw !== null && 'update_id' in raw && typeof raw.update_id === 'number' ? raw.update_id : undefined;
    // Paths and messages only: values may hold a customer's text.
    return { kind: 'invalid', updateId, issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
  }
  const update = parsed.data;
  const updateId = update.update_id;

  if (update.message) {
    const m = update.message;
    if (!m.from) return { kind: 'ignored', updateId, reason: 'message without a user (channel or anonymous sender)' };
    if (m.chat.type === 'channel') return { kind: 'ignored', updateId, reason: 'channel message' };
    // A photo's caption is what the person wrote; the photo, document, video or voice note goes
    // with it by reference. A sticker has no text, and the core answers it by asking for words.
    const text = commandFor(m.text ?? m.caption ?? '', botUsername);
    const media = mediaOf(m);
    if (text === undefined) return { kind: 'ignored', updateId, reason: 'command addressed to another bot' };
    return {
      kind: 'message',
      ...(m.message_id === undefined ? {} : { messageRef: m.message_id }),
      inbound: {
        channel: 'telegram',
        chatId: String(m.chat.id),
        userId: String(m.from.id),
        displayName: displayName(m.from),
        messageId: String(updateId),
        text,
        ...(media ? { media } : {}),
        ...(m.reply_to_message ? { replyTo: String(m.reply_to_message.message_id) } : {}),
        at: new Date(m.date * 1000),
        chatType: chatType(m.chat),
      },
    };
  }

  if (update.callback_query) {
    const q = update.callback_query;
    if (!q.message) return { kind: 'ignored', updateId, reason: 'button press without a chat', queryId: q.id };
    if (q.data === undefined) return { kind: 'ignored', updateId, reason: 'button press without data', queryId: q.id };
    return {
      kind: 'callback',
      queryId: q.id,
      data: q.data,
      ...(q.message.message_id === undefined ? {} : { messageRef: q.message.message_id }),
      inbound: {
        channel: 'telegram',
        chatId: String(q.message.chat.id),
        userId: String(q.from.id),
        displayName: displayName(q.from),
        messageId: `cb:${q.id}`,
        at: now(),
        chatType: chatType(q.message.chat),
      },
    };
  }

  return { kind: 'ignored', updateId, reason: 'update kind not handled' };
}
