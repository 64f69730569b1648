/**
 * The console adapter: a terminal chat as one customer. Buttons are printed as numbered options
 * and chosen by typing the number or the label. Reads lines until the end of input, so the same
 * code serves an interactive session and a scripted one (`npm run chat < script.txt`).
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Button, InboundInput, Outbound } from '../../src/contracts/messages.ts';

export interface ConsoleChatOptions {
  /** The dialogue core's entry point. */
  handle: (inbound: InboundInput) => Promise<Outbound[]>;
  userId: string;
  displayName?: string;
  /** A staff room instead of the user's own chat. */
  room?: string;
  /**
   * Messages delivered to this chat by the outbox (escalations in a room, notices to a customer),
   * fetched after each line and, interactively, every `pollMs`. `ref` is the delivered message's
   * id: a typed line answers the last one shown (as a reply does on Telegram), which is how staff
   * talk to a handed-over customer from a console room.
   */
  deliveries?: () => Promise<(Outbound & { ref?: string })[]>;
  /** Runs after each line, before deliveries are fetched (e.g. one outbox dispatcher tick). */
  settle?: () => Promise<unknown>;
  pollMs?: number;
  /** Saves a reply's file (a report's chart or spreadsheet) and returns where it went. */
  saveFile?: (file: NonNullable<Outbound['file']>) => Promise<string>;
  input: Readable;
  output: Writable;
  /** Echo each input line (for transcripts of scripted runs). */
  echo: boolean;
  /** Show a prompt before each line (interactive terminals). */
  prompt: boolean;
  now: () => Date;
}

/** Renders replies as text with numbered options; returns the options in order. */
export function renderReplies(replies: Outbound[]): { text: string; options: Button[] } {
  const options: Button[] = [];
  const blocks = replies.map((reply) => {
    const lines = [reply.text];
    for (const row of reply.buttons ?? []) {
      for (const button of row) {
        options.push(button);
        lines.push(`  ${options.length}. ${button.label}`);
      }
    }
    return lines.join('\n');
  });
  return { text: blocks.join('\n\n'), options };
}

/** A typed line -> the pressed button's action, when it names one of the last options. */
export function pickOption(line: string, options: Button[]): string | undefined {
  const trimmed = line.trim();
  if (/^\d{1,3}$/.test(trimmed)) return options[Number(trimmed) - 1]?.action;
  return options.find((o) => o.label === trimmed)?.action;
}

/** Runs the chat until the input ends. */
export async function runConsoleChat(opts: ConsoleChatOptions): Promise<void> {
  const rl = createInterface({ input: opts.input, terminal: false });
  // Take the iterator now: it buffers lines that arrive while earlier deliveries are shown.
  const lines = rl[Symbol.asyncIterator]();
  let options: Button[] = [];
  /** The last delivered message shown; a typed line replies to it until a prompt asks for an answer. */
  let replyTo: string | undefined;
  const write = (s: string) => opts.output.write(s);
  const show = async (incoming: (Outbound & { ref?: string })[], label?: string) => {
    if (incoming.length === 0) return;
    for (const message of incoming) {
      if (message.ref !== undefined) replyTo = message.ref;
      else if (message.expectsReply) replyTo = undefined;
    }
    const replies: Outbound[] = [];
    for (const reply of incoming) {
      const saved = reply.file && opts.saveFile ? await opts.saveFile(reply.file) : undefined;
      replies.push(saved ? { ...reply, text: `${reply.text}\n  [file] ${saved}` } : reply);
    }
    const rendered = renderReplies(replies);
    // Earlier buttons stay pressable, as they do on every chat platform (the core refuses stale ones).
    if (rendered.options.length > 0) options = rendered.options;
    write(`${label ? `${label}\n` : ''}${rendered.text}\n\n`);
  };
  const delivered = async () => show((await opts.deliveries?.()) ?? [], opts.room ? `[${opts.room}]` : '[通知 notice]');
  await delivered();
  let busy = false;
  const poll =
    opts.prompt && opts.deliveries
      ? setInterval(() => {
          if (busy) return;
          busy = true;
          opts.settle?.()
            .then(delivered)
            .catch(() => undefined)
            .finally(() => (busy = false));
        }, opts.pollMs ?? 1000)
      : undefined;
  if (opts.prompt) write('> ');
  try {
    for await (const line of lines) {
      if (opts.echo) write(`> ${line}\n`);
      const action = pickOption(line, options);
      busy = true;
      const replies = await opts.handle({
        channel: 'console',
        chatId: opts.room ?? opts.userId,
        userId: opts.userId,
        displayName: opts.displayName,
        chatType: opts.room ? 'group' : 'private',
        messageId: randomUUID(),
        ...(action !== undefined ? { action } : { text: line, ...(replyTo !== undefined ? { replyTo } : {}) }),
        at: opts.now(),
      });
      await show(replies);
      if (replies.length === 0 && opts.room) write('\n');
      await opts.settle?.();
      await delivered();
      busy = false;
      if (opts.prompt) write('> ');
    }
  } finally {
    if (poll) clearInterval(poll);
  }
}

/** Saves report files under `dir` (data/reports/ by default) with a unique name. */
export async function saveToFolder(dir: string, file: NonNullable<Outbound['file']>): Promise<string> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  await mkdir(dir, { recursive: true });
  const safe = file.name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 120) || 'file';
  const path = join(dir, `${Date.now()}-${safe}`);
  await writeFile(path, file.data);
  return path;
}
