/**
 * The one inbound shape every adapter produces and the one outbound shape it renders.
 * Adapters validate with `inboundSchema` before calling the core; the core validates again, so a
 * malformed event is refused at the edge with a log line instead of failing deep inside a flow,
 * and every text and id is made storable (`storableText`) before anything reads it.
 */
import { z } from 'zod';

export const CHANNELS = ['console', 'telegram', 'wechat', 'slack'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Longest text the core reads; longer messages get a polite "too long" answer. */
export const MAX_TEXT_LENGTH = 2000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as every database can store it: well-formed Unicode (a lone surrogate becomes U+FFFD), no
 * NUL (PostgreSQL refuses it in text), one normal form (NFC), whatever the platform delivered.
 */
function storableText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '').normalize('NFC');
}

const text = z.string().transform(storableText);
const id = text.pipe(z.string().min(1).max(256));

/** What a person can send besides words: a photo, any other file, a video, a voice note. */
const MEDIA_KINDS = ['photo', 'document', 'video', 'voice'] as const;

/**
 * A photo or file as its platform refers to it, never its bytes: Telegram's `file_id`, Slack's
 * file id, WeChat's message id (see each adapter's inbound.ts). A reference is only
 * good on the platform it came from, so the core passes media on within one platform and says in
 * words elsewhere that something was sent (issue #15 must 3).
 */
export const mediaSchema = z.object({
  kind: z.enum(MEDIA_KINDS),
  ref: text.pipe(z.string().min(1).max(2048)),
  /** The file's name, when the platform gives one (documents). */
  name: text.pipe(z.string().max(256)).optional(),
  mime: z.string().max(128).regex(/^[\w.+-]+\/[\w.+-]+$/).optional(),
  /** Bytes, when the platform says. */
  size: z.number().int().nonnegative().optional(),
});
export type Media = z.infer<typeof mediaSchema>;

/**
 * Media on its way to a chat. `from`: the platform the reference belongs to, when the message goes
 * to another one; the outbox dispatcher then asks that platform for the bytes (`Sender.fetchMedia`)
 * and sends them as `Outbound.file` when they are small enough and of a type it carries, or else
 * sends `unshown` (a line saying something was sent that cannot be shown there) as the text.
 */
export type CarriedMedia = Media & { from?: Channel; unshown?: string };

export const inboundSchema = z
  .object({
    channel: z.enum(CHANNELS),
    /** Where replies go (a private chat, a group, a Slack DM channel). */
    chatId: id,
    /** Who wrote, stable on the platform. */
    userId: id,
    displayName: text.pipe(z.string().max(256)).optional(),
    /** The platform's id for this message or button press; a redelivery carries the same id. */
    messageId: id,
    /** What the person typed (a photo's caption too). Any length and content; the core decides what to do with it. */
    text: text.optional(),
    /** A photo or file sent with (or instead of) the text. */
    media: mediaSchema.optional(),
    /** A button's payload (see `Button.action`); untrusted, parsed by the flow. */
    action: text.optional(),
    /**
     * The platform's id of the message this one answers: the message replied to (Telegram
     * `reply_to_message`), or the thread's parent (Slack `thread_ts`). A staff reply to a handover
     * post is relayed to its customer by it.
     */
    replyTo: id.optional(),
    /**
     * The text of the message this one quotes, where the platform delivers a quote as text and no
     * id (a WeChat reply-with-quote): a staff reply quoting a handover's post or relayed line (its
     * number RG… is in the text) is relayed to its customer by it.
     */
    quoted: text.transform((s) => s.slice(0, MAX_TEXT_LENGTH)).optional(),
    /** When the platform says the message was sent. */
    at: z.coerce.date(),
    /** Private chats are customer conversations; groups and channels may be staff rooms. */
    chatType: z.enum(['private', 'group']).default('private'),
  })
  .refine((m) => m.text !== undefined || m.action !== undefined || m.media !== undefined, 'an inbound message needs text, an action or media');

export type Inbound = z.infer<typeof inboundSchema>;
export type InboundInput = z.input<typeof inboundSchema>;

/** A choice offered to the person; `action` comes back as `Inbound.action` when pressed. */
export interface Button {
  label: string;
  action: string;
}

/** One reply. Adapters render buttons natively (inline keyboards, Block Kit) or as numbered options. */
export interface Outbound {
  text: string;
  /** Rows of buttons. */
  buttons?: Button[][];
  /** A file to send with the text (reports); the console saves it and prints the path. */
  file?: { name: string; mime: string; data: Uint8Array };
  /**
   * A person's photo or file passed on by reference, with `text` as its caption. An adapter that
   * cannot send it (the reference expired, a download failed) sends the text alone, which names
   * what was sent. Adapters only ever get media of their own platform: see `CarriedMedia`.
   */
  media?: CarriedMedia;
  /**
   * A prompt whose answer is free text (a resolution, a reason). Platforms where a bot in a group
   * sees only commands and replies to its own messages (Telegram's privacy mode) render it so the
   * person's client answers with a reply (Telegram `force_reply`).
   */
  expectsReply?: boolean;
  /**
   * The platform's id of a message in the same chat to answer (a Telegram reply, a Slack thread
   * reply): a customer's message relayed under its handover post. Ignored where the platform has
   * no replies.
   */
  replyTo?: string;
}
