/**
 * Waits out Slack's rate limits on direct replies.
 *
 * Slack allows about one chat.postMessage per second per channel and answers bursts with HTTP 429
 * and Retry-After. Direct replies are waited out here (a bounded number of times, a bounded wait;
 * the adapter runs one chat's replies one after another, so a wait never lets a later reply
 * overtake); messages sent through the outbox are not: the adapter's `send()` throws and the
 * dispatcher reschedules.
 */
import { withRetryAfter, type RetryAfterOptions } from '../../src/lib/retry-after.ts';
import { rateLimitDelayMs } from './errors.ts';

type RateLimitRetryOptions = Omit<RetryAfterOptions, 'retryAfterMs'>;

/**
 * Runs `call`, and when Slack answers 429 waits its Retry-After and runs it again, within the
 * bounds of `opts`. Any other failure, or a limit beyond the bounds, is thrown as is.
 */
export function retryOnRateLimit<T>(call: () => Promise<T>, opts: RateLimitRetryOptions): Promise<T> {
  return withRetryAfter(call, { ...opts, retryAfterMs: rateLimitDelayMs });
}
