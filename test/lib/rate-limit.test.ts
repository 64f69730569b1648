import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/contracts/messages.ts';
import { DEFAULT_LIMITS, RateLimiter, isGroupChat, type RateLimits } from '../../src/lib/rate-limit.ts';

/**
 * Virtual time: `sleep` parks a task until the clock reaches its time, and `run` moves the clock
 * from one parked task to the next, so minutes of pacing take milliseconds.
 */
class VirtualTime {
  ms = 0;
  #timers: { at: number; resolve: () => void }[] = [];
  readonly now = (): number => this.ms;
  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.#timers.push({ at: this.ms + ms, resolve });
    });

  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const tracked = work.finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (done || this.#timers.length === 0) continue;
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers[0]!.at;
      this.ms = Math.max(this.ms, next);
      const due = this.#timers.filter((t) => t.at <= this.ms);
      this.#timers = this.#timers.filter((t) => t.at > this.ms);
      for (const t of due) t.resolve();
    }
    return tracked;
  }
}

function limiter(limits?: RateLimits) {
  const time = new VirtualTime();
  return { time, limiter: new RateLimiter({ limits, now: time.now, sleep: time.sleep }) };
}

/** The largest number of `times` inside any window of `windowMs` (a window is [t, t + windowMs)). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (sorted[i]! - sorted[j]! >= windowMs) j += 1;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

async function sendAll(l: RateLimiter, time: VirtualTime, sends: [Channel, string][]): Promise<number[]> {
  const times: number[] = [];
  // Each chat's messages go one after another; chats run concurrently, as in the dispatcher.
  const byChat = new Map<string, [Channel, string][]>();
  for (const s of sends) byChat.set(s.join('/'), [...(byChat.get(s.join('/')) ?? []), s]);
  await time.run(
    Promise.all(
      [...byChat.values()].map(async (chat) => {
        for (const [channel, chatId] of chat) {
          await l.acquire(channel, chatId);
          times.push(time.ms);
        }
      }),
    ),
  );
  return times;
}

describe('RateLimiter (virtual time)', () => {
  it('sends 100 messages to one Telegram chat no faster than 1 per second', async () => {
    const { time, limiter: l } = limiter();
    const times = await sendAll(l, time, Array.from({ length: 100 }, () => ['telegram', '42'] as [Channel, string]));
    expect(times).toHaveLength(100);
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    // ...and no slower than the limit requires.
    expect(times.at(-1)).toBe(99_000);
  });

  it('keeps Telegram under 30 per second overall across many chats', async () => {
    const { time, limiter: l } = limiter();
    const sends = Array.from({ length: 200 }, (_, i) => ['telegram', `u${i % 100}`] as [Channel, string]);
    const times = await sendAll(l, time, sends);
    expect(times).toHaveLength(200);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(30);
    expect(Math.max(...times)).toBeLessThan(8000); // 200 / 30 per second, not one chat at a time
  });

  it('holds a Telegram group to 20 per minute on top of 1 per second', async () => {
    const { time, limiter: l } = limiter();
    expect(isGroupChat('-1001234')).toBe(true);
    const times = await sendAll(l, time, Array.from({ length: 45 }, () => ['telegram', '-1001234'] as [Channel, string]));
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(20);
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(times[19]).toBe(19_000);
    expect(times[20]).toBe(60_000);
  });

  it('paces Slack per channel and WeChat gently overall; console is unlimited', async () => {
    const { time, limiter: l } = limiter();
    const slack = await sendAll(l, time, [['slack', 'C1'], ['slack', 'C1'], ['slack', 'C2']]);
    expect(slack.sort((a, b) => a - b)).toEqual([0, 0, 1000]);
    const start = time.ms;
    const wechat = await sendAll(l, time, [['wechat', 'a'], ['wechat', 'b'], ['wechat', 'c']]);
    expect(wechat.map((t) => t - start).sort((a, b) => a - b)).toEqual([0, 2000, 4000]);
    for (let i = 0; i < 1000; i += 1) expect(l.tryAcquire('console', 'c')).toBe(0);
  });

  it("honours a 429's retry-after: per chat on Telegram, channel-wide on WeChat", () => {
    const { time, limiter: l } = limiter();
    l.pause('telegram', 'a', 5000);
    expect(l.tryAcquire('telegram', 'a')).toBe(5000);
    expect(l.tryAcquire('telegram', 'b')).toBe(0);
    time.ms = 4999;
    expect(l.tryAcquire('telegram', 'a')).toBe(1);
    time.ms = 5000;
    expect(l.tryAcquire('telegram', 'a')).toBe(0);

    l.pause('wechat', 'x', 10_000);
    expect(l.tryAcquire('wechat', 'y')).toBe(10_000);
    time.ms = 15_000;
    expect(l.tryAcquire('wechat', 'y')).toBe(0);
  });

  it('takes limits as data: a channel given replaces its defaults', () => {
    const { time, limiter: l } = limiter({ console: { perChat: { count: 2, perMs: 100 } }, telegram: {} });
    expect(DEFAULT_LIMITS.console).toEqual({});
    expect([l.tryAcquire('console', 'c'), l.tryAcquire('console', 'c'), l.tryAcquire('console', 'c')]).toEqual([0, 0, 100]);
    time.ms = 100;
    expect(l.tryAcquire('console', 'c')).toBe(0);
    for (let i = 0; i < 50; i += 1) expect(l.tryAcquire('telegram', '1')).toBe(0);
  });
});
