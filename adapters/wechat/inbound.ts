/**
 * Turns a Wechaty message into what the core reads. Private chats are customer conversations
 * (chat id = user id = the contact id); rooms (群) can be staff channels (chat id = the room id,
 * user id = who wrote). The bot's own messages and anything but text are not for the core.
 */
import { types, type Message } from 'wechaty';
import { pickOption } from '../console/console-chat.ts';
import type { Button, InboundInput } from '../../src/contracts/messages.ts';
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
  at: Date;
  /** Where replies go: the room, or the contact in a private chat. */
  conversation: Conversation;
}

/** A message the core does not get, and why (for the log line). */
interface SkippedMessage {
  kind: 'skip';
  reason: 'own message' | 'not text';
  chatId: string;
  chatType: 'private' | 'group';
  messageId: string;
  type: string;
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
  if (type !== types.Message.Text) return { kind: 'skip', reason: 'not text', ...base, type: types.Message[type] ?? String(type) };
  const text = room ? await msg.mentionText().catch(() => msg.text()) : msg.text();
  const name = talker.name();
  return {
    kind: 'text',
    ...base,
    userId: talker.id,
    ...(name ? { displayName: name.slice(0, 256) } : {}),
    text,
    at: msg.date(),
    conversation: room ?? talker,
  };
}

/** The core's inbound for a read message: a pressed option's action, or the text as typed. */
export function toInbound(read: ReadMessage, shown: Button[]): InboundInput {
  const action = pickOption(read.text, shown);
  return {
    channel: 'wechat',
    chatId: read.chatId,
    userId: read.userId,
    displayName: read.displayName,
    messageId: read.messageId,
    ...(action !== undefined ? { action } : { text: read.text }),
    at: read.at,
    chatType: read.chatType,
  };
}
