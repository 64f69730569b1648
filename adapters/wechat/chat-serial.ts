/**
 * Runs the work of one chat one piece after another, so an answer like "2" is read against the
 * options of the reply before it, even when the customer types faster than the bot replies.
 * Different chats run side by side; an idle chat keeps no entry.
 */
export class ChatSerial {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `work` after the chat's earlier work settles; resolves or rejects with its outcome. */
  run<T>(chatId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(chatId) ?? Promise.resolve();
    const current = previous.then(work);
    const tail = current.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(chatId, tail);
    void tail.then(() => {
      if (this.#tails.get(chatId) === tail) this.#tails.delete(chatId);
    });
    return current;
  }

  /** Resolves once every chat's queued work has settled. */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }
}
