/**
 * Button actions as Telegram callback data. Telegram carries at most 64 bytes of `callback_data`
 * per inline button (Bot API, InlineKeyboardButton). An action that fits is sent as is; a longer
 * one is kept in a `CallbackDataStore` behind a short key, `~` + base64url of the first 16 bytes
 * of its SHA-256 (23 characters), and looked up again when the button is pressed.
 */
import { createHash } from 'node:crypto';
import { BoundedCache } from '../../src/lib/bounded-cache.ts';

/** Telegram's limit on `callback_data`, in UTF-8 bytes. */
const CALLBACK_DATA_MAX_BYTES = 64;

const KEY_PREFIX = '~';
const KEY_SHAPE = /^~[A-Za-z0-9_-]{22}$/;

/**
 * Where long actions wait for their button to be pressed. The in-memory default forgets them on
 * restart (a press then reaches the core as an unknown action, answered as a stale button); back
 * it with the database to keep them across restarts and instances.
 */
export interface CallbackDataStore {
  /** Stores `action` and returns its key (the same key for the same action). */
  put(action: string): Promise<string>;
  /** The action stored under `key`, or undefined when unknown (forgotten, evicted, forged). */
  get(key: string): Promise<string | undefined>;
}

/** The short key a long action is stored under: deterministic, so a repeated action reuses its entry. */
export function callbackKey(action: string): string {
  return KEY_PREFIX + createHash('sha256').update(action, 'utf8').digest().subarray(0, 16).toString('base64url');
}

/** True for data shaped like a store key. */
export function isCallbackKey(data: string): boolean {
  return KEY_SHAPE.test(data);
}

/**
 * Whether an action must go through the store: too long for Telegram, empty (Telegram needs at
 * least 1 byte), or starting with the key prefix (so a literal action is never mistaken for a key).
 */
function needsKey(action: string): boolean {
  return action.length === 0 || action.startsWith(KEY_PREFIX) || Buffer.byteLength(action, 'utf8') > CALLBACK_DATA_MAX_BYTES;
}

/** The default store: a bounded map that drops the least recently used entries first. */
export class MemoryCallbackDataStore implements CallbackDataStore {
  readonly #entries: BoundedCache<string, string>;

  /** @param opts.maxEntries how many actions to keep (default 10 000). */
  constructor(opts: { maxEntries?: number } = {}) {
    this.#entries = new BoundedCache(Math.max(1, opts.maxEntries ?? 10_000));
  }

  async put(action: string): Promise<string> {
    const key = callbackKey(action);
    this.#entries.set(key, action);
    return key;
  }

  /** Pressed buttons stay fresh: the same keyboard is often pressed again. */
  async get(key: string): Promise<string | undefined> {
    return this.#entries.get(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The callback data for a button's action: the action itself when it fits, else its store key. */
export async function encodeCallbackData(action: string, store: CallbackDataStore): Promise<string> {
  return needsKey(action) ? store.put(action) : action;
}

/**
 * The action behind pressed callback data. Data that is not a key is the action itself; a key the
 * store does not know is returned unchanged, so the core answers it as a stale button.
 */
export async function decodeCallbackData(data: string, store: CallbackDataStore): Promise<string> {
  if (!isCallbackKey(data)) return data;
  return (await store.get(data)) ?? data;
}
