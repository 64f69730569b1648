/**
 * Turns a Wechaty message into what the core reads. Private chats are customer conversations
 * (chat id = user id = the contact id); rooms (群) can be staff channels (chat id = the room id,
 * user id = who wrote). Images, attachments, videos and voice messages reach the core as media
 * whose reference is the message id: the puppet keeps the message, and sending it on asks the
 * puppet for its file again (`messageFile`, what `Message.toFileBox()` does), so no bytes wait in
 * the outbox. A message the puppet no longer has (a restart, its cache) leaves the words alone.
 * The bot's own messages and other kinds (emoticons, links, mini programs) are not for the core.
 * A reply-with-quote that the puppet delivers as text is split into the reply and the quoted text
 * (`Inbound.quoted`): WeChat gives no id of the quoted message, and a staff member quoting a
 * handover's post or relayed line is answering that handover (its number is in the quoted text).
 */
import { types, type Message } from 'wechaty';
import { pickOption } from '../console/console-chat.ts';
import type { Button, InboundInput, Media } from '../../src/contracts/messages.ts';
import type { Conversation } from './outbound.ts';

/** The parts of a Wechaty message the adapter reads (a real `Message` fits). */
export type WechatMessage = Pick<Message, 'id' | 'self' | 'talker' | 'room' | 'text' | 'type' | 'date' | 'mentionText'>;

/** A text message for the core, before its text is matched against the options shown. */
interface ReadMessage {
  kind: 'text';
  chatId: string;
  chatType: 'private' | 'group';
  userId: string;
  displayName?: string;
  messageId: string;
  text: string;
  /** An image, attachment, video or voice message, by its message id. */
  media?: Media;
  /** The text of the message this one quotes (a reply-with-quote), without the quoted sender's name. */
  quoted?: string;
  at: Date;
  /** Where replies go: the room, or the contact in a private chat. */
  conversation: Conversation;
}

/** A message the core does not get, and why (for the log line). */
interface SkippedMessage {
  kind: 'skip';
  reason: 'own message' | 'not text or media';
  chatId: string;
  chatType: 'private' | 'group';
  messageId: string;
  type: string;
}

/** Wechaty's message types that are a person's photo or file, and what the core calls them. */
const MEDIA_KINDS = new Map<types.Message, Media['kind']>([
  [types.Message.Image, 'photo'],
  [types.Message.Attachment, 'document'],
  [types.Message.Video, 'video'],
  [types.Message.Audio, 'voice'],
]);

/** The line between the quote and the reply: "- - - - - - - - - - - - - - -" (fifteen dashes). */
const QUOTE_TEXT = /^「([\s\S]*?)」[ \t]*\r?\n[ \t]*(?:-[ \t]*){5,}\r?\n([\s\S]*)$/;
/** A quote as the raw app message some puppets pass on as text: `<appmsg>` of type 57 with a `<refermsg>`. */
const QUOTE_XML = /<appmsg\b[\s\S]*?<title>([\s\S]*?)<\/title>[\s\S]*?<type>57<\/type>[\s\S]*?<refermsg>[\s\S]*?<content>([\s\S]*?)<\/content>/;

function unescapeXml(text: string): string {
  return text
    .replace(/^<!\[CDATA\[([\s\S]*)\]\]>$/, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * A reply-with-quote split into the reply and the quoted text. Puppets that deliver it as text
 * (padlocal, wechat4u, the iPad and web protocols) write 「昵称：被引用的内容」, a line of
 * "- - - - - - - - - - - - - - -", then the reply; some pass on the raw app message (type 57,
 * the reply in `<title>`, the quoted text in `<refermsg><content>`). Anything else is the text as is.
 */
export function splitQuote(text: string): { text: string; quoted?: string } {
  const plain = QUOTE_TEXT.exec(text);
  if (plain) {
    const inner = plain[1] ?? '';
    const colon = inner.search(/[：:]/);
    return { text: (plain[2] ?? '').trim(), quoted: (colon >= 0 ? inner.slice(colon + 1) : inner).trim() };
  }
  const xml = text.trimStart().startsWith('<') ? QUOTE_XML.exec(text) : null;
  if (xml) return { text: unescapeXml((xml[1] ?? '').trim()).trim(), quoted: unescapeXml((xml[2] ?? '').trim()).trim() };
  return { text };
}

/**
 * Reads one message. In rooms, the text is taken without @mentions (so "@客服小安 1" reads "1").
 * @throws when the puppet cannot tell who wrote the message.
 */
export async function readMessage(msg: WechatMessage): Promise<ReadMessage | SkippedMessage> {
  const room = msg.room();
  const talker = msg.talker();
  const chatType = room ? 'group' : 'private';
  const chatId = room ? room.id : talker.id;
  const type = msg.type();
  const base = { chatId, chatType, messageId: msg.id } as const;
  if (msg.self()) return { kind: 'skip', reason: 'own message', ...base, type: types.Message[type] ?? String(type) };
  const mediaKind = MEDIA_KINDS.get(type);
  if (type !== types.Message.Text && !mediaKind) return { kind: 'skip', reason: 'not text or media', ...base, type: types.Message[type] ?? String(type) };
  const { text, quoted }: { text: string; quoted?: string } = mediaKind ? { text: '' } : splitQuote(room ? await msg.mentionText().catch(() => msg.text()) : msg.text());
  const name = talker.name();
  return {
    kind: 'text',
    ...base,
    userId: talker.id,
    ...(name ? { displayName: name.slice(0, 256) } : {}),
    text,
    ...(mediaKind ? { media: { kind: mediaKind, ref: msg.id } } : {}),
    ...(quoted ? { quoted } : {}),
    at: msg.date(),
    conversation: room ?? talker,
  };
}

/** The core's inbound for a read message: a pressed option's action, or the text as typed. */
export function toInbound(read: ReadMessage, shown: Button[]): InboundInput {
  const action = read.media ? undefined : pickOption(read.text, shown);
  return {
    channel: 'wechat',
    chatId: read.chatId,
    userId: read.userId,
    displayName: read.displayName,
    messageId: read.messageId,
    ...(action !== undefined ? { action } : { text: read.text }),
    ...(read.media ? { media: read.media } : {}),
    ...(action === undefined && read.quoted ? { quoted: read.quoted } : {}),
    at: read.at,
    chatType: read.chatType,
  };
}
