/**
 * Conversation tests written as transcripts: what the customer types, and the gist of the answer
 * (a piece of text it contains, or a pattern it matches).
 */
import { expect } from 'vitest';

/** Anything that says a line and shows the replies' text (the harness's and the unit tests' chats). */
interface Speaker {
  say(text: string): Promise<unknown>;
  readonly text: string;
}

/** One line and the gist of its answer. */
export type Line = readonly [said: string, gist: string | RegExp];

/** Says each line in turn and checks the answer's gist before the next. */
export async function transcript(chat: Speaker, lines: readonly Line[]): Promise<void> {
  for (const [said, gist] of lines) {
    await chat.say(said);
    if (typeof gist === 'string') expect(chat.text, `after "${said}"`).toContain(gist);
    else expect(chat.text, `after "${said}"`).toMatch(gist);
  }
}
