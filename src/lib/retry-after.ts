/**
 * The one "wait out the platform's retry-after" loop: when a call is rate limited (Telegram's 429
 * `retry_after`, Slack's 429 `Retry-After`), wait as long as the platform asked and call again, a
 * bounded number of times and never longer than a bounded wait. Adapters use it for direct
 * replies, which must arrive in order; outbox sends do not wait (the dispatcher reschedules).
 */

export interface RetryAfterOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** A wait longer than this is not waited out: the error is thrown at once. */
  maxWaitMs: number;
  /** The wait the platform asked for in ms, or undefined when `error` is not a rate limit. */
  retryAfterMs: (error: unknown) => number | undefined;
  /** Waits `ms` (injected so tests run in no time). */
  sleep: (ms: number) => Promise<void>;
  /** Called before each wait, e.g. to log it or to pause other sends to the chat. */
  onWait?: (waitMs: number, attempt: number) => void;
}

/**
 * Runs `call`, and while it fails with a rate limit waits the platform's retry-after and runs it
 * again, within the bounds of `opts`. Any other failure, or a limit beyond the bounds, is thrown
 * as is.
 */
export async function withRetryAfter<T>(call: () => Promise<T>, opts: RetryAfterOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const waitMs = opts.retryAfterMs(error);
      if (waitMs === undefined || attempt >= opts.attempts || waitMs > opts.maxWaitMs) throw error;
      opts.onWait?.(waitMs, attempt);
      await opts.sleep(waitMs);
    }
  }
}
