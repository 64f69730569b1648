/**
 * A map that keeps at most `limit` entries, dropping the least recently used. The one bounded
 * cache of the project (conversations a process served last, options a chat was shown, long
 * button payloads, statements prepared).
 */
import { DeskError, ErrorCode } from './errors.ts';

export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #limit: number;
  readonly #onEvict: ((key: K, value: V) => void) | undefined;

  constructor(limit: number, options: { onEvict?: (key: K, value: V) => void } = {}) {
    if (!(limit >= 1)) throw new DeskError(ErrorCode.InvalidArgument, `BoundedCache limit must be at least 1, not ${limit}`);
    this.#limit = limit;
    this.#onEvict = options.onEvict;
  }

  /** The value, marked as just used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** The value without marking it used. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Stores `value` as the most recently used, dropping the oldest entry past the limit. */
  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.#limit) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      const evicted = this.#entries.get(oldest.value) as V;
      this.#entries.delete(oldest.value);
      this.#onEvict?.(oldest.value, evicted);
    }
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
