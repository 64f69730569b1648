/**
 * A customer for transcript tests (`test/support/transcript.ts`): the real DialogueCore on the
 * in-memory store with a set clock, showing buttons' labels with the replies, failing with the
 * whole conversation so far, and never allowed to answer "not understood" unless a line expects it.
 */
import { loadCompany } from '../../../src/config/company.ts';
import { loadSettings } from '../../../src/config/env.ts';
import type { Company } from '../../../src/contracts/company.ts';
import type { Button, Outbound } from '../../../src/contracts/messages.ts';
import { DialogueCore } from '../../../src/core/engine.ts';
import { ManualClock } from '../../../src/domain/clock.ts';
import { zh } from '../../../src/i18n/zh.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { MemoryCoreStore } from '../../support/memory-store.ts';
import { transcript, type Line } from '../../support/transcript.ts';

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

  async function send(said: string, fields: { text?: string; action?: string } = { text: said }): Promise<Outbound[]> {
    messageSeq += 1;
    replies = await core.handle({
      channel: 'console', chatId: userId, userId, chatType: 'private', displayName: opts.displayName,
      messageId: `t${messageSeq}`, at: clock.now(), ...fields,
    });
    log.push(`customer: ${said}`, shown(replies));
    return replies;
  }

  const chat = {
    say: (text: string) => send(text),
    tap: (label: string) => {
      const button = buttons().find((b) => b.label.includes(label));
      if (!button) throw new Error(`${log.join('\n')}\n\nno button "${label}" to tap`);
      return send(`[${label}]`, { action: button.action });
    },
    get text() {
      return replies.map((r) => [r.text, ...(r.buttons ?? []).flat().map((b) => b.label)].join('\n')).join('\n');
    },
  };

  /** Plays the lines in order, checking each answer's gist. */
  const talk = (lines: readonly Line[]) => transcript(chat, lines, { never: zh.notUnderstood, log: () => log.join('\n') });

  /** A new core on the same store, as after a process restart: nothing cached survives. */
  function restart(): void {
    core = newCore();
    log.push('(restart)');
  }

  return { store, clock, talk, send, restart, get replies() { return replies; } };
}
