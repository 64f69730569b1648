/**
 * Conversation tests written as transcripts: what the customer types (or `[label]` for a button
 * they tap), and the gist of the answer (a piece of text it contains, a pattern it matches, or
 * several that must all hold; `not` what it must not say).
 */
import { expect } from 'vitest';

/** Anything that says a line and shows the replies' text (the harness's and the unit tests' chats). */
interface Speaker {
  say(text: string): Promise<unknown>;
  /** Taps the button whose label contains `label`, for `[label]` lines. */
  tap?(label: string): Promise<unknown>;
  /** The replies' text (with the buttons' labels, where the chat shows them). */
  readonly text: string;
}

type Gist = string | RegExp | readonly (string | RegExp)[];

/** One line and the gist of its answer; `not`: what the answer must not contain. */
export type Line = readonly [said: string, gist: Gist] | readonly [said: string, gist: Gist, opts: { not?: Gist }];

const list = (gist: Gist | undefined): readonly (string | RegExp)[] => (gist === undefined ? [] : Array.isArray(gist) ? gist : [gist as string | RegExp]);
const holds = (text: string, g: string | RegExp) => (typeof g === 'string' ? text.includes(g) : g.test(text));

/**
 * Says each line in turn and checks the answer's gist before the next. `opts.never`: text no
 * answer may contain unless its line expects it (the "not understood" apology); `opts.log`: the
 * conversation so far, printed when a line fails.
 */
export async function transcript(chat: Speaker, lines: readonly Line[], opts: { never?: string; log?: () => string } = {}): Promise<void> {
  for (const [said, gist, lineOpts] of lines) {
    const tapped = /^\[(.+)\]$/.exec(said)?.[1];
    if (tapped && chat.tap) await chat.tap(tapped);
    else await chat.say(said);
    const text = chat.text;
    const wanted = list(gist);
    const failures = [
      ...wanted.filter((g) => !holds(text, g)).map((g) => `expected ${String(g)}`),
      ...list(lineOpts?.not).filter((g) => holds(text, g)).map((g) => `did not expect ${String(g)}`),
      ...(opts.never && !wanted.includes(opts.never) && text.includes(opts.never) ? [`answered "${opts.never}"`] : []),
    ];
    expect(failures, `${opts.log ? `${opts.log()}\n\n^ ` : ''}after "${said}": ${failures.join('; ')}`).toEqual([]);
  }
}
