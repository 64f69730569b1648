import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/lib/bounded-cache.ts';
import { KeyedQueue } from '../../src/lib/keyed-queue.ts';
import { cleanLine, withoutControls } from '../../src/lib/text.ts';

describe('KeyedQueue', () => {
  it('runs one key in order and other keys side by side, and forgets idle keys', async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const a1 = queue.run('a', async () => {
      await gate;
      order.push('a1');
    });
    const a2 = queue.run('a', async () => {
      order.push('a2');
    });
    await queue.run('b', async () => {
      order.push('b1');
    });
    expect(order).toEqual(['b1']);
    release();
    await Promise.all([a1, a2]);
    expect(order).toEqual(['b1', 'a1', 'a2']);
    await queue.idle();
    expect(queue.size).toBe(0);
  });

  it('goes on after a failed task and rejects only that task', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('a', async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    await expect(queue.run('a', async () => 2)).resolves.toBe(2);
  });
});

describe('BoundedCache', () => {
  it('drops the least recently used entry past its limit', () => {
    const evicted: string[] = [];
    const cache = new BoundedCache<string, number>(2, { onEvict: (key) => evicted.push(key) });
    cache.set('a', 1).set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(evicted).toEqual(['b']);
    expect(() => new BoundedCache(0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('control characters', () => {
  it('become spaces; cleanLine also collapses whitespace', () => {
    expect(withoutControls('a\u0000b\u202ec\nd')).toBe('a b c\nd');
    expect(cleanLine('  a\u200b\t b \n')).toBe('a b');
  });
});
