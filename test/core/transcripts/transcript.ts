/**
 * Conversations written as transcripts: each line is what the customer types (or `[label]` for a
 * button they tap) and the gist expected back (text the answer contains, a pattern, or several).
 * They run through the real DialogueCore on the in-memory store with a set clock, and fail with
 * the whole conversation so far. No answer may say "not understood" unless the line expects it.
 */
import { expect } from 'vitest';
import { loadCompany } from '../../../src/config/company.ts';
import { loadSettings } from '../../../src/config/env.ts';
import type { Company } from '../../../src/contracts/company.ts';
import type { Button, Outbound } from '../../../src/contracts/messages.ts';
import { DialogueCore } from '../../../src/core/engine.ts';
import { ManualClock } from '../../../src/domain/clock.ts';
import { zh } from '../../../src/i18n/zh.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { MemoryCoreStore } from '../../support/memory-store.ts';

/** What an answer must contain: text, a pattern, or all of several. */
type Gist = string | RegExp | readonly (string | RegExp)[];
/** A customer line and the gist of the answer; `[label]` taps the button whose label contains it. */
export type Line = readonly [said: string, gist: Gist] | readonly [said: string, gist: Gist, opts: { not?: Gist }];

let messageSeq = 0;

/** One customer of a company, talking to a fresh core on an empty store. */
export function customer(opts: { now: string; displayName?: string; company?: Company; userId?: string }) {
  const store = new MemoryCoreStore();
  const clock = new ManualClock(opts.now);
  const settings = loadSettings({});
  const company = opts.company ?? loadCompany();
  const newCore = () => new DialogueCore({ store, company, clock, log: silentLogger, complaints: settings.complaints, survey: settings.survey });
  let core = newCore();
  const userId = opts.userId ?? 'customer';
  const log: string[] = [];
  let replies: Outbound[] = [];
  const buttons = (): Button[] => replies.flatMap((r) => (r.buttons ?? []).flat());
  const shown = (out: Outbound[]) =>
    out.map((r) => `  bot: ${r.text.replaceAll('\n', '\n       ')}${r.buttons ? `\n       [${r.buttons.flat().map((b) => b.label).join('] [')}]` : ''}`).join('\n');

  async function send(said: string): Promise<Outbound[]> {
    messageSeq += 1;
    const tapped = /^\[(.+)\]$/.exec(said)?.[1];
    let fields: { text?: string; action?: string } = { text: said };
    if (tapped) {
      const button = buttons().find((b) => b.label.includes(tapped));
      if (!button) throw new Error(`${log.join('\n')}\n\nno button "${tapped}" to tap`);
      fields = { action: button.action };
    }
    replies = await core.handle({
      channel: 'console', chatId: userId, userId, chatType: 'private', displayName: opts.displayName,
      messageId: `t${messageSeq}`, at: clock.now(), ...fields,
    });
    log.push(`customer: ${said}`, shown(replies));
    return replies;
  }

  /** Plays the lines in order, checking each answer's gist. */
  async function talk(lines: readonly Line[]): Promise<void> {
    for (const [said, gist, lineOpts] of lines) {
      const out = await send(said);
      const text = out.map((r) => [r.text, ...(r.buttons ?? []).flat().map((b) => b.label)].join('\n')).join('\n');
      const wanted = Array.isArray(gist) ? gist : [gist];
      const unwanted = lineOpts?.not === undefined ? [] : Array.isArray(lineOpts.not) ? lineOpts.not : [lineOpts.not];
      const expectsNotUnderstood = wanted.some((g) => g === zh.notUnderstood);
      const failures = [
        ...wanted.filter((g) => !(typeof g === 'string' ? text.includes(g) : g.test(text))).map((g) => `expected ${String(g)}`),
        ...unwanted.filter((g) => (typeof g === 'string' ? text.includes(g) : g.test(text))).map((g) => `did not expect ${String(g)}`),
        ...(!expectsNotUnderstood && text.includes(zh.notUnderstood) ? ['answered "not understood"'] : []),
      ];
      expect(failures, `${log.join('\n')}\n\n^ after "${said}": ${failures.join('; ')}`).toEqual([]);
    }
  }

  /** A new core on the same store, as after a process restart: nothing cached survives. */
  function restart(): void {
    core = newCore();
    log.push('(restart)');
  }

  return { store, clock, talk, send, restart, get replies() { return replies; } };
}
