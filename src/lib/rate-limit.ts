/**
 * Per-platform send limits, as data, and the limiter the dispatcher asks before each send.
 *
 * Why not a library: the npm candidates were checked (bottleneck, p-throttle, limiter,
 * rate-limiter-flexible). None takes an injected clock: bottleneck (last release 2.19.5, 2019) and
 * p-throttle read `Date.now()`, limiter reads `performance.now()`, rate-limiter-flexible's memory
 * store reads `Date.now()` and expires keys with timers; so their tests must wait in real time or
 * fake the global timers under Prisma. None of them combines several limits per send (Telegram:
 * overall + per chat + per group) with a per-chat pause after a 429 either: bottleneck and
 * p-throttle would need a group of limiters per key and chained calls, and rate-limiter-flexible
 * is a fixed-window counter meant for refusing abusive clients, not for pacing our own sends.
 * What we need is a sliding-window log (at most N sends in any window of W ms, which is how
 * Telegram words "20 messages per minute in a group"; a token bucket would let 40 through in the
 * first minute) keyed by channel and chat: a short class, so it lives here with an injectable
 * `now`/`sleep`, and its tests run in virtual time.
 *
 * Limits from ARCHITECTURE.md (published by Telegram and Slack; WeChat publishes none and
 * risk-controls accounts that send fast, so it is paced gently).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Channel } from '../contracts/messages.ts';

/** At most `count` sends in any window of `perMs` milliseconds. */
interface Rate {
  count: number;
  perMs: number;
}

/** One platform's limits. A missing rate means no limit of that kind. */
export interface ChannelLimits {
  /** All chats of the channel together (the bot's overall limit). */
  overall?: Rate;
  /** Each chat alone (a Slack channel is a chat here). */
  perChat?: Rate;
  /** Each group chat alone, on top of `perChat`. Group chats are those whose id starts with '-' (Telegram's convention). */
  perGroup?: Rate;
  /** What a platform's 429 pauses: the chat that got it (default) or every chat of the channel. */
  pauseScope?: 'chat' | 'channel';
}

export type RateLimits = Partial<Record<Channel, ChannelLimits>>;

/** Telegram: 30/s overall, 1/s per chat, 20/min per group. Slack: 1/s per channel. WeChat: 1 per 2 s overall. Console: none. */
export const DEFAULT_LIMITS: Readonly<Record<Channel, ChannelLimits>> = {
  telegram: {
    overall: { count: 30, perMs: 1000 },
    perChat: { count: 1, perMs: 1000 },
    perGroup: { count: 20, perMs: 60_000 },
    pauseScope: 'chat',
  },
  slack: { perChat: { count: 1, perMs: 1000 }, pauseScope: 'chat' },
  wechat: { overall: { count: 1, perMs: 2000 }, pauseScope: 'channel' },
  console: {},
};

/** Group chats get the per-group limit: Telegram gives them negative ids. */
export function isGroupChat(chatId: string): boolean {
  return chatId.startsWith('-');
}

/** The times of the last sends under one rate, oldest first, never more than `count` of them. */
class SlidingWindow {
  #times: number[] = [];
  /** Moves one recorded send from when its slot was taken to when the platform accepted it. */
  restamp(from: number, to: number): void {
    const i = this.#times.lastIndexOf(from);
    if (i >= 0) {
      this.#times[i] = to;
      this.#times.sort((a, b) => a - b);
    }
  }
  constructor(readonly rate: Rate) {}

  /** Milliseconds from `now` until one more send fits; 0 when it fits now. */
  wait(now: number): number {
    this.#prune(now);
    if (this.#times.length < this.rate.count) return 0;
    return this.#times[0]! + this.rate.perMs - now;
  }

  record(now: number): void {
    this.#times.push(now);
    if (this.#times.length > this.rate.count) this.#times.shift();
  }

  /** True when nothing recorded still counts, so the window can be forgotten. */
  idle(now: number): boolean {
    this.#prune(now);
    return this.#times.length === 0;
  }

  #prune(now: number): void {
    while (this.#times.length > 0 && this.#times[0]! <= now - this.rate.perMs) this.#times.shift();
  }
}

interface RateLimiterOptions {
  /** Replaces the defaults channel by channel (a channel given here uses only what is given). */
  limits?: RateLimits;
  /** Milliseconds since the epoch; inject a test clock to run in virtual time. Default `Date.now`. */
  now?: () => number;
  /** Waits `ms` (by the same clock as `now`). Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** How many `tryAcquire` calls between sweeps of windows nobody has used for a while. */
const SWEEP_EVERY = 1000;

/**
 * Paces sends so each platform's limits hold, per channel and per chat, and holds a chat (or a
 * whole channel) back after a 429 for as long as the platform asked. One instance per process,
 * shared by every chat's send loop; all state is in memory (several instances on one database
 * each keep their own pace, which the platform's 429 then corrects).
 */
export class RateLimiter {
  readonly #limits: Record<string, ChannelLimits>;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #windows = new Map<string, SlidingWindow>();
  /** Key ("<channel>" or "<channel>\0<chat>") -> time until which sends there wait. */
  readonly #pauses = new Map<string, number>();
  #calls = 0;
  readonly #last = new Map<string, { at: number; windows: SlidingWindow[] }>();
  /**
   * The send to `chatId` has completed: count its slot from now. The platform counts a message
   * when it arrives, which can be tens of milliseconds after the slot was taken; counting from the
   * slot alone let a burst one window later overlap the first one and draw 429s.
   */
  completed(channel: Channel, chatId: string): void {
    const key = `${channel}\0${chatId}`;
    const last = this.#last.get(key);
    if (!last) return;
    this.#last.delete(key);
    const now = this.#now();
    for (const w of last.windows) w.restamp(last.at, now);
  }

  constructor(options: RateLimiterOptions = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
  }

  /**
   * Takes a send slot for `chatId` if every limit allows one now and returns 0; otherwise takes
   * nothing and returns the milliseconds to wait before asking again. Synchronous, so concurrent
   * send loops never both take the last slot.
   */
  tryAcquire(channel: Channel, chatId: string): number {
    const now = this.#now();
    if (++this.#calls % SWEEP_EVERY === 0) this.#sweep(now);
    const windows = this.#windowsFor(channel, chatId);
    let wait = Math.max(0, this.#pauseLeft(channel, chatId, now));
    for (const w of windows) wait = Math.max(wait, w.wait(now));
    if (wait > 0) return wait;
    for (const w of windows) w.record(now);
    this.#last.set(`${channel}\0${chatId}`, { at: now, windows });
    return 0;
  }

  /** Waits until a send to `chatId` is allowed and takes the slot. */
  async acquire(channel: Channel, chatId: string): Promise<void> {
    for (let wait = this.tryAcquire(channel, chatId); wait > 0; wait = this.tryAcquire(channel, chatId)) {
      await this.#sleep(wait);
    }
  }

  /**
   * Holds sends back for `ms` after a platform's 429 (Telegram `retry_after`, Slack
   * `Retry-After`): to this chat, or to the whole channel when its limits say `pauseScope: 'channel'`.
   */
  pause(channel: Channel, chatId: string, ms: number): void {
    if (!(ms > 0)) return;
    const key = this.#limits[channel]?.pauseScope === 'channel' ? channel : `${channel}\0${chatId}`;
    const until = this.#now() + ms;
    this.#pauses.set(key, Math.max(until, this.#pauses.get(key) ?? 0));
  }

  #pauseLeft(channel: Channel, chatId: string, now: number): number {
    const channelWide = this.#pauses.get(channel) ?? 0;
    const chat = this.#pauses.get(`${channel}\0${chatId}`) ?? 0;
    return Math.max(channelWide, chat) - now;
  }

  #windowsFor(channel: Channel, chatId: string): SlidingWindow[] {
    const limits = this.#limits[channel] ?? {};
    const windows: SlidingWindow[] = [];
    const add = (key: string, rate: Rate | undefined) => {
      if (!rate) return;
      let window = this.#windows.get(key);
      if (!window) {
        window = new SlidingWindow(rate);
        this.#windows.set(key, window);
      }
      windows.push(window);
    };
    add(`overall\0${channel}`, limits.overall);
    add(`chat\0${channel}\0${chatId}`, limits.perChat);
    if (isGroupChat(chatId)) add(`group\0${channel}\0${chatId}`, limits.perGroup);
    return windows;
  }

  /** Forgets windows and pauses that no longer hold anything back, so memory follows active chats. */
  #sweep(now: number): void {
    for (const [key, w] of this.#windows) if (w.idle(now)) this.#windows.delete(key);
    for (const [key, until] of this.#pauses) if (until <= now) this.#pauses.delete(key);
  }
}
