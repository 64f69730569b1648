/**
 * WeChat has no buttons, so options go out as numbered lines (`renderReplies`) and the customer
 * answers "2" or the label. This remembers, per chat, the options last shown, so the answer can be
 * turned back into the button's action (`pickOption`). Bounded: the least recently used chats are
 * forgotten first, and a forgotten chat's "2" simply reaches the core as text.
 */
import type { Button } from '../../src/contracts/messages.ts';
import { BoundedCache } from '../../src/lib/bounded-cache.ts';

/** Chats remembered by default; a few hundred bytes each. */
const DEFAULT_SHOWN_OPTIONS_LIMIT = 10_000;

export class ShownOptions {
  readonly #byChat: BoundedCache<string, Button[]>;

  constructor(limit = DEFAULT_SHOWN_OPTIONS_LIMIT) {
    this.#byChat = new BoundedCache(Math.max(1, limit));
  }

  /** The options last shown in a chat (empty when none are open). Reading does not refresh the chat. */
  get(chatId: string): Button[] {
    return this.#byChat.peek(chatId) ?? [];
  }

  /** Records what a chat was just shown; no options clears the chat's entry. */
  set(chatId: string, options: Button[]): void {
    if (options.length === 0) this.#byChat.delete(chatId);
    else this.#byChat.set(chatId, options);
  }

  get size(): number {
    return this.#byChat.size;
  }
}
