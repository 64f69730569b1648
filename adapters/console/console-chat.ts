/**
 * The console adapter: a terminal chat as one customer. Buttons are printed as numbered options
 * and chosen by typing the number or the label. Reads lines until the end of input, so the same
 * code serves an interactive session and a scripted one (`npm run chat < script.txt`).
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Button, InboundInput, Outbound } from '../../src/core/types.ts';

export interface ConsoleChatOptions {
  /** The dialogue core's entry point. */
  handle: (inbound: InboundInput) => Promise<Outbound[]>;
  userId: string;
  displayName?: string;
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
  let options: Button[] = [];
  const write = (s: string) => opts.output.write(s);
  if (opts.prompt) write('> ');
  for await (const line of rl) {
    if (opts.echo) write(`> ${line}\n`);
    const action = pickOption(line, options);
    const replies = await opts.handle({
      channel: 'console',
      chatId: opts.userId,
      userId: opts.userId,
      displayName: opts.displayName,
      messageId: randomUUID(),
      ...(action !== undefined ? { action } : { text: line }),
      at: opts.now(),
    });
    const rendered = renderReplies(replies);
    if (rendered.options.length > 0 || replies.length > 0) options = rendered.options;
    write(`${rendered.text}\n\n`);
    if (opts.prompt) write('> ');
  }
}
