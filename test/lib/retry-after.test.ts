import { describe, expect, it } from 'vitest';
import { withRetryAfter } from '../../src/lib/retry-after.ts';

class Limited extends Error {
  constructor(readonly waitMs: number) {
    super('rate limited');
  }
}
const retryAfterMs = (error: unknown) => (error instanceof Limited ? error.waitMs : undefined);

describe('withRetryAfter', () => {
  it('waits the asked time and calls again, telling onWait first', async () => {
    const waits: number[] = [];
    const told: [number, number][] = [];
    let calls = 0;
    const result = await withRetryAfter(
      async () => {
        calls += 1;
        if (calls < 3) throw new Limited(calls * 1000);
        return 'sent';
      },
      { attempts: 3, maxWaitMs: 5000, retryAfterMs, sleep: async (ms) => void waits.push(ms), onWait: (ms, attempt) => void told.push([ms, attempt]) },
    );
    expect(result).toBe('sent');
    expect(waits).toEqual([1000, 2000]);
    expect(told).toEqual([
      [1000, 1],
      [2000, 2],
    ]);
  });

  it('throws after the last attempt, on a wait beyond the bound, and on any other error at once', async () => {
    const sleep = async () => {};
    let calls = 0;
    const limited = (waitMs: number) => () => {
      calls += 1;
      return Promise.reject(new Limited(waitMs));
    };
    await expect(withRetryAfter(limited(1), { attempts: 2, maxWaitMs: 10, retryAfterMs, sleep })).rejects.toBeInstanceOf(Limited);
    expect(calls).toBe(2);
    calls = 0;
    await expect(withRetryAfter(limited(60_000), { attempts: 5, maxWaitMs: 10, retryAfterMs, sleep })).rejects.toBeInstanceOf(Limited);
    expect(calls).toBe(1);
    await expect(withRetryAfter(() => Promise.reject(new Error('boom')), { attempts: 5, maxWaitMs: 10, retryAfterMs, sleep })).rejects.toThrow('boom');
  });
});
