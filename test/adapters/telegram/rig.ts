/**
 * The Telegram end-to-end rig the adapter tests share: the local fake Bot API, the real telegraf
 * adapter polling it (replies unpaced, button presses dated by the harness clock) and the
 * harness's outbox dispatcher sending through it. `deliver` pushes an update and waits until the
 * bot confirmed it; `drain` runs the outbox once; each returns what reached the chat.
 */
import { createTelegramAdapter, type TelegramAdapter } from '../../../adapters/telegram/index.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { RateLimiter } from '../../../src/lib/rate-limit.ts';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import type { ComplaintSettings } from '../../../src/domain/complaints/settings.ts';
import type { Harness } from '../../support/harness.ts';
import { FakeBotApi, type FakeChat, type SentMessage } from './fake-bot-api.ts';

export const TOKEN = '123456789:TESTtoken_0123456789abcdefghijklmno';

/** The three staff rooms (front desk, department heads, general manager) as Telegram groups. */
export function telegramRooms(desk: number, heads: number, managers: number): ComplaintSettings['rooms'] {
  return {
    contact: { channel: 'telegram', chatId: String(desk) },
    department_head: { channel: 'telegram', chatId: String(heads) },
    general_manager: { channel: 'telegram', chatId: String(managers) },
  };
}

export interface TelegramRig {
  fake: FakeBotApi;
  adapter: TelegramAdapter;
  dispatcher: OutboxDispatcher;
  /** Waits until the bot confirmed the update (its replies are sent); returns what it sent to the chat. */
  deliver(chat: FakeChat, update: Record<string, unknown>): Promise<SentMessage[]>;
  /** Runs the outbox once; returns what it sent to the chat. */
  drain(chat: FakeChat): Promise<SentMessage[]>;
  stop(): Promise<void>;
}

/** Starts the fake Bot API (groups in privacy mode when asked) and the real adapter for the harness `h`. */
export async function startTelegramRig(h: Harness, opts: { privacyMode?: boolean } = {}): Promise<TelegramRig> {
  const fake = await FakeBotApi.start({ token: TOKEN });
  fake.privacyMode = opts.privacyMode ?? false;
  const adapter = createTelegramAdapter(
    { token: TOKEN, apiRoot: fake.apiRoot, mode: 'polling' },
    { handle: (i) => h.core.handle(i), log: silentLogger },
    { pacer: new RateLimiter({ limits: { telegram: {} } }), now: () => h.clock.now() },
  );
  await adapter.start();
  const dispatcher = h.dispatcher({ telegram: adapter });
  return {
    fake,
    adapter,
    dispatcher,
    async deliver(chat, update) {
      const before = fake.sentTo(chat.id).length;
      await fake.acknowledged(update.update_id as number);
      return fake.sentTo(chat.id).slice(before);
    },
    async drain(chat) {
      const before = fake.sentTo(chat.id).length;
      await dispatcher.tick();
      return fake.sentTo(chat.id).slice(before);
    },
    async stop() {
      await dispatcher.stop();
      await adapter.stop();
      await fake.close();
    },
  };
}
