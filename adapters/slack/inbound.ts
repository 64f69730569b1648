/**
 * Turns Slack's events into the core's one inbound shape. Pure functions of the payload (and a
 * fallback time), validated with zod at this edge: a payload that does not fit is a value saying
 * why it was skipped, never an exception.
 *
 * Ids: a message's `ts` is unique within its channel and stays the same when Slack retries the
 * event, so `messageId` is `<channel>:<ts>`; a button press is `act:<channel>:<action_ts>` (or
 * `act:<trigger_id>` when Slack sends no action_ts). The core stores each id once, which is what
 * makes a retried event (X-Slack-Retry-Num) answered once.
 */
import { z } from 'zod';
import { mediaSchema, type InboundInput, type Media } from '../../src/contracts/messages.ts';

/** Slack timestamps: seconds since the epoch with a microsecond suffix, e.g. "1732327200.000100". */
const slackTs = z.string().regex(/^\d{1,12}(\.\d{1,9})?$/);
const slackId = z.string().min(1).max(200);

const messageEventSchema = z.object({
  type: z.enum(['message', 'app_mention']),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  user: slackId.optional(),
  channel: slackId,
  channel_type: z.string().optional(),
  text: z.string().optional(),
  ts: slackTs,
  /** The thread's parent, on a reply in a thread (a staff reply under a handover post). */
  thread_ts: slackTs.optional(),
  /** Files shared with the message (subtype `file_share`); the first is passed on, by its id. */
  files: z
    .array(z.object({ id: slackId, name: z.string().optional(), mimetype: z.string().optional(), size: z.number().int().nonnegative().optional() }))
    .optional(),
  user_profile: z
    .object({ display_name: z.string().optional(), real_name: z.string().optional() })
    .optional(),
});

const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: slackId, name: z.string().optional(), username: z.string().optional() }),
  channel: z.object({ id: slackId }).optional(),
  container: z.object({ channel_id: slackId.optional() }).optional(),
  trigger_id: z.string().min(1).max(200).optional(),
  actions: z
    .array(
      z.object({
        type: z.string(),
        action_id: z.string(),
        value: z.string().optional(),
        action_ts: slackTs.optional(),
      }),
    )
    .min(1),
});

/** A slash command's payload (form fields; https://docs.slack.dev/interactivity/implementing-slash-commands). */
const slashCommandSchema = z.object({
  command: z.string(),
  text: z.string().default(''),
  channel_id: slackId,
  user_id: slackId,
  user_name: z.string().optional(),
  trigger_id: z.string().min(1).max(200),
});

/** The staff commands the slash command and bare words stand for (the core's `/join`, `/done`, `/report`, `/jobs`, `/customer`, `/end`). */
export const STAFF_WORDS = ['join', 'done', 'report', 'jobs', 'customer', 'end'] as const;
type StaffWord = (typeof STAFF_WORDS)[number];
const STAFF_WORD = new RegExp(`^(${STAFF_WORDS.join('|')})(?=\\s|$)`, 'i');

/** `join X` -> `/join X` (also `Done`, `REPORT 2026-10`); undefined when the text is not a staff word. */
function staffCommandText(text: string): { word: StaffWord; text: string } | undefined {
  const trimmed = text.trim();
  const match = STAFF_WORD.exec(trimmed);
  if (!match?.[1]) return undefined;
  const word = match[1].toLowerCase() as StaffWord;
  const rest = trimmed.slice(match[1].length).trim();
  return { word, text: rest ? `/${word} ${rest}` : `/${word}` };
}

/** Either an inbound event for the core, or why the payload was skipped (for a debug log). */
export type Translation = { inbound: InboundInput } | { skipped: string };

/** A Slack timestamp as a date; `fallback` when absent or unreadable. */
function slackTsToDate(ts: string | undefined, fallback: Date): Date {
  const seconds = ts === undefined ? Number.NaN : Number(ts);
  return Number.isFinite(seconds) ? new Date(Math.round(seconds * 1000)) : fallback;
}

/**
 * Slack message text as the person typed it: links and mentions (`<https://x|label>`, `<@U1>`)
 * become their label or target, and the `&amp; &lt; &gt;` escapes are undone.
 */
export function slackTextToPlain(text: string): string {
  return text
    .replace(/<([^<>|]*)\|([^<>]*)>/g, '$2')
    .replace(/<(?:mailto:|tel:)?([^<>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Direct-message channel ids start with D; C and G are channels and group conversations. */
function isDirectChannelId(id: string): boolean {
  return id.startsWith('D');
}

/** Escapes a string for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A `message` (or `app_mention`) event -> inbound text. Only plain messages and file shares from
 * people count (the first shared file is the inbound's media, by its id): bot messages and other
 * subtypes (edits, deletions, joins...) are skipped. A DM
 * (`channel_type: im`) is a customer conversation, any other channel a group (staff) conversation.
 *
 * A leading mention of the bot (`<@UBOT> ...`, given `botUserId`) is taken off. In a DM, or after
 * such a mention, the staff words `join <code>`, `done [number]` and `report [period]` are the
 * core's `/join`, `/done` and `/report` (Slack keeps `/join` for itself and treats any message
 * starting with `/` as a slash command, so staff cannot type them); elsewhere they stay text.
 * A mention in a channel arrives twice (as `message` and `app_mention`) with the same channel and
 * ts, so the same message id: the core answers it once.
 */
export function messageToInbound(event: unknown, fallbackAt: Date, botUserId?: string): Translation {
  const parsed = messageEventSchema.safeParse(event);
  if (!parsed.success) return { skipped: `malformed message event (${issuePaths(parsed.error)})` };
  const m = parsed.data;
  if (m.subtype !== undefined && m.subtype !== 'file_share') return { skipped: `message subtype ${m.subtype}` };
  if (m.bot_id !== undefined) return { skipped: 'bot message' };
  if (m.user === undefined) return { skipped: 'message without a user' };
  const isDirect = m.channel_type !== undefined ? m.channel_type === 'im' : isDirectChannelId(m.channel);
  const displayName = m.user_profile?.display_name || m.user_profile?.real_name || undefined;
  let raw = m.text ?? '';
  let mentioned = false;
  if (botUserId !== undefined) {
    const mention = new RegExp(`^\\s*<@${escapeRegExp(botUserId)}(?:\\|[^>]*)?>[\\s:,，：]*`);
    mentioned = mention.test(raw);
    raw = raw.replace(mention, '');
  }
  const plain = slackTextToPlain(raw);
  const text = isDirect || mentioned ? (staffCommandText(plain)?.text ?? plain) : plain;
  const media = mediaOf(m.files?.[0]);
  return {
    inbound: {
      channel: 'slack',
      chatId: m.channel,
      userId: m.user,
      ...(displayName !== undefined ? { displayName: displayName.slice(0, 256) } : {}),
      messageId: `${m.channel}:${m.ts}`,
      text,
      ...(media ? { media } : {}),
      ...(m.thread_ts !== undefined && m.thread_ts !== m.ts ? { replyTo: m.thread_ts } : {}),
      at: slackTsToDate(m.ts, fallbackAt),
      chatType: isDirect ? 'private' : 'group',
    },
  };
}

/**
 * A shared Slack file as media, by its file id: the adapter asks files.info for its URL when it
 * passes the file on (a Slack Connect share may come without one, `file_access: check_file_info`).
 * A mime type the core would refuse is left out rather than refusing the message.
 */
function mediaOf(file: { id: string; name?: string; mimetype?: string; size?: number } | undefined): Media | undefined {
  if (!file) return undefined;
  const mime = mediaSchema.shape.mime.safeParse(file.mimetype).data;
  const kind: Media['kind'] = mime?.startsWith('image/') ? 'photo' : mime?.startsWith('video/') ? 'video' : mime?.startsWith('audio/') ? 'voice' : 'document';
  const name = file.name?.slice(0, 256);
  return { kind, ref: file.id, ...(name ? { name } : {}), ...(mime ? { mime } : {}), ...(file.size === undefined ? {} : { size: file.size }) };
}

/**
 * A `block_actions` payload -> inbound action: the pressed button's value, in the conversation
 * the message with the button is in.
 */
export function blockActionToInbound(body: unknown, fallbackAt: Date): Translation {
  const parsed = blockActionsSchema.safeParse(body);
  if (!parsed.success) return { skipped: `malformed block_actions payload (${issuePaths(parsed.error)})` };
  const b = parsed.data;
  const action = b.actions[0];
  if (action === undefined) return { skipped: 'block_actions without an action' };
  if (action.type !== 'button' || action.value === undefined || action.value === '') {
    return { skipped: `action ${action.type} without a value` };
  }
  const chatId = b.channel?.id ?? b.container?.channel_id;
  if (chatId === undefined) return { skipped: 'block_actions without a channel' };
  const pressId = action.action_ts !== undefined ? `${chatId}:${action.action_ts}` : b.trigger_id;
  if (pressId === undefined) return { skipped: 'block_actions without action_ts or trigger_id' };
  const displayName = b.user.name || b.user.username || undefined;
  return {
    inbound: {
      channel: 'slack',
      chatId,
      userId: b.user.id,
      ...(displayName !== undefined ? { displayName: displayName.slice(0, 256) } : {}),
      messageId: `act:${pressId}`,
      action: action.value,
      at: slackTsToDate(action.action_ts, fallbackAt),
      chatType: isDirectChannelId(chatId) ? 'private' : 'group',
    },
  };
}

/** A slash command: the core's inbound text, or a request for the usage (empty, `help`, anything else). */
type CommandTranslation = { inbound: InboundInput; word: StaffWord } | { usage: true } | { skipped: string };

/**
 * A slash command invocation (`/jiazheng join X`) -> the core's `/join X` (`done`, `report` alike),
 * in the conversation it was typed in. Empty text, `help` or an unknown subcommand ask for the
 * usage. Slash commands carry no message ts and are not retried by Slack: the id is the
 * invocation's trigger_id.
 */
export function slashCommandToInbound(body: unknown, at: Date): CommandTranslation {
  const parsed = slashCommandSchema.safeParse(body);
  if (!parsed.success) return { skipped: `malformed slash command (${issuePaths(parsed.error)})` };
  const c = parsed.data;
  const staff = staffCommandText(c.text);
  if (staff === undefined) return { usage: true };
  return {
    word: staff.word,
    inbound: {
      channel: 'slack',
      chatId: c.channel_id,
      userId: c.user_id,
      ...(c.user_name ? { displayName: c.user_name.slice(0, 256) } : {}),
      messageId: `cmd:${c.trigger_id}`,
      text: staff.text,
      at,
      chatType: isDirectChannelId(c.channel_id) ? 'private' : 'group',
    },
  };
}

function issuePaths(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? i.path.join('.') : '(root)')).join(', ');
}
