import { describe, expect, it } from 'vitest';
import { SendPacer } from '../../../adapters/wechat/pacer.ts';
import { ShownOptions } from '../../../adapters/wechat/shown-options.ts';
import { SendError } from '../../../src/lib/errors.ts';

/** A clock that only moves when the pacer sleeps. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
  };
}

describe('SendPacer', () => {
  it('sends one at a time, in order, at least the interval apart', async () => {
    const time = fakeTime();
    const pacer = new SendPacer({ intervalMs: 1000, now: time.now, sleep: time.sleep });
    const log: string[] = [];
    let inFlight = 0;
    const send = (name: string, takesMs: number) =>
      pacer.run(async () => {
        inFlight += 1;
        expect(inFlight).toBe(1);
        log.push(`${name}@${time.now()}`);
        time.advance(takesMs);
        inFlight -= 1;
        return name;
      });
    const results = await Promise.all([send('a', 200), send('b', 0), send('c', 0)]);
    expect(results).toEqual(['a', 'b', 'c']);
    // a starts at once; b waits 1 s after a ended (at 200); c 1 s after b.
    expect(log).toEqual(['a@0', 'b@1200', 'c@2200']);
  });

  it('does not wait when the last send is long past', async () => {
    const time = fakeTime();
    const pacer = new SendPacer({ intervalMs: 1000, now: time.now, sleep: time.sleep });
    await pacer.run(async () => undefined);
    time.advance(5000);
    await pacer.run(async () => undefined);
    expect(time.sleeps).toEqual([]);
  });

  it('keeps going after a failed send, and refuses queued sends once closed', async () => {
    const pacer = new SendPacer({ intervalMs: 0 });
    await expect(pacer.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(pacer.run(async () => 'ok')).resolves.toBe('ok');
    let release!: () => void;
    let running!: () => void;
    const firstRuns = new Promise<void>((resolve) => (running = resolve));
    const first = pacer.run(
      () =>
        new Promise<string>((resolve) => {
          release = () => resolve('first');
          running();
        }),
    );
    const queued = pacer.run(async () => 'queued');
    await firstRuns;
    const closing = pacer.close();
    release();
    await expect(first).resolves.toBe('first');
    await expect(queued).rejects.toBeInstanceOf(SendError);
    await closing;
  });
});

describe('ShownOptions', () => {
  const opt = (label: string) => ({ label, action: `a:${label}` });

  it('forgets the least recently shown chat beyond its limit, and clears on no options', () => {
    const shown = new ShownOptions(2);
    shown.set('c1', [opt('1')]);
    shown.set('c2', [opt('2')]);
    shown.set('c1', [opt('1b')]);
    shown.set('c3', [opt('3')]);
    expect(shown.get('c2')).toEqual([]);
    expect(shown.get('c1')).toEqual([opt('1b')]);
    expect(shown.size).toBe(2);
    shown.set('c1', []);
    expect(shown.get('c1')).toEqual([]);
    expect(shown.size).toBe(1);
  });
});
