import { describe, expect, it } from 'vitest';
import { callbackKey, decodeCallbackData, encodeCallbackData, isCallbackKey, MemoryCallbackDataStore } from '../../../adapters/telegram/callback-data.ts';

describe('callback data', () => {
  it('sends actions of up to 64 UTF-8 bytes as they are', async () => {
    const store = new MemoryCallbackDataStore();
    const fits = 'a'.repeat(64);
    expect(await encodeCallbackData(fits, store)).toBe(fits);
    expect(await encodeCallbackData('预'.repeat(21), store)).toBe('预'.repeat(21)); // 63 bytes
    expect(store.size).toBe(0);
  });

  it('stores longer ones behind ~ + base64url(sha256[0..16])', async () => {
    const store = new MemoryCallbackDataStore();
    const long = '预'.repeat(22); // 66 bytes, 22 characters
    const key = await encodeCallbackData(long, store);
    expect(key).toBe(callbackKey(long));
    expect(key).toMatch(/^~[A-Za-z0-9_-]{22}$/);
    expect(Buffer.byteLength(key)).toBeLessThanOrEqual(64);
    expect(await decodeCallbackData(key, store)).toBe(long);
    expect(await encodeCallbackData(long, store)).toBe(key); // same action, same entry
    expect(store.size).toBe(1);
  });

  it('never mistakes a literal action for a key, and passes unknown keys through', async () => {
    const store = new MemoryCallbackDataStore();
    const tricky = callbackKey('something');
    const encoded = await encodeCallbackData(tricky, store);
    expect(encoded).not.toBe(tricky);
    expect(await decodeCallbackData(encoded, store)).toBe(tricky);
    expect(await decodeCallbackData('menu:home', store)).toBe('menu:home');
    const unknown = callbackKey('forgotten');
    expect(isCallbackKey(unknown)).toBe(true);
    expect(await decodeCallbackData(unknown, store)).toBe(unknown);
  });

  it('is bounded and forgets the least recently used first', async () => {
    const store = new MemoryCallbackDataStore({ maxEntries: 2 });
    const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(70));
    const ka = await store.put(a!);
    const kb = await store.put(b!);
    await store.get(ka); // a is fresh again
    await store.put(c!);
    expect(store.size).toBe(2);
    expect(await store.get(ka)).toBe(a);
    expect(await store.get(kb)).toBeUndefined();
  });
});
