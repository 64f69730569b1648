/**
 * Turns a Wechaty message into what the core reads. Private chats are customer conversations
 * (chat id = user id = the contact id); rooms (群) can be staff channels (chat id = the room id,
 * user id = who wrote). Images, attachments, videos and voice messages reach the core as media
 * whose reference is the message id: the puppet keeps the message, and sending it on asks the
 * puppet for its file again (`messageFile`, what `Message.toFileBox()` does), so no bytes wait in
 * the outbox. A message the puppet no longer has (a restart, its cache) leaves the words alone.
 * The bot's own messages and other kinds (emoticons, links, mini programs) are not for the core.
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
  const text = mediaKind ? '' : room ? await msg.mentionText().catch(() => msg.text()) : msg.text();
  const name = talker.name();
  return {
    kind: 'text',
    ...base,
    userId: talker.id,
    ...(name ? { displayName: name.slice(0, 256) } : {}),
    text,
    ...(mediaKind ? { media: { kind: mediaKind, ref: msg.id } } : {}),
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
    at: read.at,
    chatType: read.chatType,
  };
}
