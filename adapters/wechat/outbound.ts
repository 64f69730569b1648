/**
 * Renders the core's replies for WeChat and sends them through the account's pacer: files first as
 * FileBox, then one text message with every reply and its options as numbered lines. A puppet that
 * cannot send files (or fails to) gets the text plus a line saying the file could not be sent here.
 * A person's photo or file (`Outbound.media`, a message id of this account) is loaded from the
 * puppet and sent the same way; when the puppet no longer has it, the text (which names it) goes alone.
 */
import { FileBox, type FileBoxInterface } from 'file-box';
import { renderReplies } from '../console/console-chat.ts';
import type { Button, Outbound } from '../../src/contracts/messages.ts';
import type { Logger } from '../../src/lib/log.ts';
import type { SendPacer } from './pacer.ts';

/** A contact or a room, as far as sending goes (Wechaty's `Contact` and `Room` both fit). */
export interface Conversation {
  readonly id: string;
  say(sayable: string | FileBoxInterface): Promise<unknown>;
}

interface DeliverOptions {
  pacer: SendPacer;
  log: Logger;
  /** The file of a message this account received (`Message.toFileBox()`), for `Outbound.media`. */
  loadMedia?: (messageId: string) => Promise<FileBoxInterface>;
}

/**
 * A file as a FileBox. Base64 rather than Buffer: every puppet can serialize it (the service
 * puppet sends it over gRPC, the mock stores it as JSON), where a Buffer box cannot be serialized.
 */
export function toFileBox(file: NonNullable<Outbound['file']>): FileBoxInterface {
  return FileBox.fromBase64(Buffer.from(file.data).toString('base64'), file.name);
}

/** The line added in place of a file that could not be sent, in the reply's language. */
function fileNotSentLine(name: string, replyText: string): string {
  return /\p{Script=Han}/u.test(replyText)
    ? `（文件「${name}」无法在微信里发送，请联系我们另行获取。）`
    : `(The file "${name}" could not be sent here; please ask us for it.)`;
}

/** The id of a message `say()` returned: Wechaty 1.x returns the sent Message when the puppet gives its id. */
function sentId(said: unknown): string | undefined {
  const id = typeof said === 'object' && said !== null && 'id' in said ? (said as { id: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * Sends replies to one conversation and returns the options shown (empty when none) and the id of
 * the text message when the puppet gave one (stored as the message's platform reference).
 * @throws the puppet's error when the text itself cannot be sent; file failures are caught,
 *   logged and replaced by a line in the text.
 */
export async function deliverReplies(conversation: Conversation, replies: Outbound[], opts: DeliverOptions): Promise<{ options: Button[]; ref?: string }> {
  const { pacer, log } = opts;
  const notes: string[] = [];
  for (const reply of replies) {
    if (reply.media) {
      const { ref, kind } = reply.media;
      try {
        if (!opts.loadMedia) throw new Error('no puppet to load the message from');
        const box = await opts.loadMedia(ref);
        await pacer.run(() => conversation.say(box));
      } catch (error) {
        log.warn({ err: error, chatId: conversation.id, kind }, 'WeChat media not passed on; sending the words alone');
      }
    }
    if (!reply.file) continue;
    const file = reply.file;
    try {
      await pacer.run(() => conversation.say(toFileBox(file)));
    } catch (error) {
      log.warn({ err: error, chatId: conversation.id, file: file.name, mime: file.mime }, 'WeChat file not sent; sending a text note instead');
      notes.push(fileNotSentLine(file.name, reply.text));
    }
  }
  const rendered = renderReplies(replies);
  const text = [rendered.text, ...notes].filter((part) => part.trim() !== '').join('\n\n');
  const ref = text === '' ? undefined : sentId(await pacer.run(() => conversation.say(text)));
  return { options: rendered.options, ...(ref ? { ref } : {}) };
}
