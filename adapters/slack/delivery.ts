/**
 * Keeps a conversation's replies in order and waits out Slack's rate limits on them.
 *
 * Slack allows about one chat.postMessage per second per channel and answers bursts with HTTP 429
 * and Retry-After. Direct replies are waited out here (a bounded number of times, a bounded wait),
 * one chat at a time so a wait never lets a later reply overtake; messages sent through the outbox
 * are not: the adapter's `send()` throws and the dispatcher reschedules.
 */
import { rateLimitDelayMs } from './errors.ts';

/** Runs tasks of one key one after another, in the order given; different keys run side by side. */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `task` after every task queued before it under `key`; resolves or rejects with its outcome. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}

export interface RateLimitRetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** A Retry-After longer than this is not waited out: the error is thrown at once. */
  maxWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Called before each wait (for a log line). */
  onWait?: (waitMs: number, attempt: number) => void;
}

/**
 * Runs `call`, and when Slack answers 429 waits its Retry-After and runs it again, within the
 * bounds of `opts`. Any other failure, or a limit beyond the bounds, is thrown as is.
 */
export async function retryOnRateLimit<T>(call: () => Promise<T>, opts: RateLimitRetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const waitMs = rateLimitDelayMs(error);
      if (waitMs === undefined || attempt >= opts.attempts || waitMs > opts.maxWaitMs) throw error;
      opts.onWait?.(waitMs, attempt);
      await opts.sleep(waitMs);
    }
  }
}
