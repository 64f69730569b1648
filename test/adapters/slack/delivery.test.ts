import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { retryOnRateLimit } from '../../../adapters/slack/delivery.ts';
import { toSendError } from '../../../adapters/slack/errors.ts';
import { SendError } from '../../../src/lib/errors.ts';

const rateLimited = (seconds: number) => new webApi.WebAPIRateLimitedError(seconds);

describe('retryOnRateLimit', () => {
  it('waits out Retry-After and tries again, within the bounds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await retryOnRateLimit(
      async () => {
        calls += 1;
        if (calls < 3) throw rateLimited(2);
        return 'sent';
      },
      { attempts: 3, maxWaitMs: 30_000, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('sent');
    expect(waits).toEqual([2000, 2000]);
  });

  it('gives up after the last attempt, on a wait beyond the bound, and on other errors', async () => {
    const sleep = async () => {};
    await expect(retryOnRateLimit(() => Promise.reject(rateLimited(1)), { attempts: 2, maxWaitMs: 5000, sleep })).rejects.toBeInstanceOf(
      webApi.WebAPIRateLimitedError,
    );
    let calls = 0;
    const tooLong = () => {
      calls += 1;
      return Promise.reject(rateLimited(60));
    };
    await expect(retryOnRateLimit(tooLong, { attempts: 5, maxWaitMs: 30_000, sleep })).rejects.toThrow();
    expect(calls).toBe(1);
    await expect(retryOnRateLimit(() => Promise.reject(new Error('boom')), { attempts: 5, maxWaitMs: 1, sleep })).rejects.toThrow('boom');
  });
});

describe('toSendError', () => {
  it('maps a rate limit to retryAfterMs, known dead ends to permanent, the rest to retryable', () => {
    expect(toSendError('chat.postMessage', rateLimited(3))).toMatchObject({ retryAfterMs: 3000, permanent: false });
    const platform = (error: string) => new webApi.WebAPIPlatformError({ ok: false, error } as never);
    expect(toSendError('chat.postMessage', platform('channel_not_found'))).toMatchObject({ permanent: true, message: 'slack chat.postMessage failed: channel_not_found' });
    expect(toSendError('chat.postMessage', platform('internal_error'))).toMatchObject({ permanent: false });
    expect(toSendError('chat.postMessage', new Error('socket hang up'))).toBeInstanceOf(SendError);
  });
});
