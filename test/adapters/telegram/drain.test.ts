/**
 * The outbox drain of test/bench/telegram-drain.ts, small: 60 queued messages to 60 chats through
 * the real dispatcher (real clock, default limits) and the real Telegram adapter, against the fake
 * Bot API enforcing Telegram's limits. The dispatcher must pace to the limits, never hit them.
 *
 * The time check is a lower bound set by the platform's rule, not a speed target: at most 30
 * messages in any one second means 60 messages span at least one second (30 at once, the next 30
 * a second later), so a faster drain would have broken the rule.
 */
import { describe, expect, it } from 'vitest';
import { drainTelegram } from '../../bench/telegram-drain.ts';

const COUNT = 60;
const PER_SECOND = 30;

describe('outbox drain on Telegram', () => {
  it(`sends ${COUNT} queued messages to ${COUNT} chats within Telegram's limits, with no 429`, async () => {
    const run = await drainTelegram(COUNT);

    expect(run.http429).toBe(0);
    // One message to each chat, none twice.
    expect(run.sent).toHaveLength(COUNT);
    expect(new Set(run.sent.map((m) => m.chatId)).size).toBe(COUNT);
    // No one-second window of accepted messages holds more than 30.
    const times = run.sent.map((m) => m.at).sort((a, b) => a - b);
    for (let i = PER_SECOND; i < times.length; i += 1) expect(times[i]! - times[i - PER_SECOND]!).toBeGreaterThanOrEqual(1000);
    // The rule's lower bound on wall time: (ceil(60 / 30) - 1) s, less a little timer slack.
    expect(run.seconds).toBeGreaterThanOrEqual((Math.ceil(COUNT / PER_SECOND) - 1) * 0.95);
    expect(run.theoreticalSeconds).toBe(COUNT / PER_SECOND);
  }, 30_000);
});
