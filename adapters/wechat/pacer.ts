/**
 * Paces one WeChat account's sends. WeChat publishes no limits, but accounts that send fast get
 * risk-controlled, so every message of the account goes through one queue: one at a time, in the
 * order asked (so messages to one chat keep their order), at least `intervalMs` apart.
 */
import { SendError } from '../../src/lib/errors.ts';

/** Default gap between two messages of one account. */
export const DEFAULT_PACE_MS = 1_000;

interface SendPacerOptions {
  /** Least time between the end of one send and the start of the next. */
  intervalMs: number;
  /** Milliseconds clock; injected by tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A first-in first-out queue of sends with a minimum gap; see the file comment. */
export class SendPacer {
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #tail: Promise<void> = Promise.resolve();
  #lastEnd = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(opts: SendPacerOptions) {
    this.#intervalMs = Math.max(0, opts.intervalMs);
    this.#now = opts.now ?? Date.now;
    this.#sleep = opts.sleep ?? defaultSleep;
  }

  /**
   * Runs `send` after every send queued before it, waiting out the gap first. Resolves or rejects
   * with `send`'s outcome; a send still queued when the pacer closes rejects with a retryable
   * `SendError`.
   */
  run<T>(send: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(async () => {
      this.#throwIfClosed();
      const wait = this.#lastEnd + this.#intervalMs - this.#now();
      if (wait > 0) await this.#sleep(wait);
      this.#throwIfClosed();
      try {
        return await send();
      } finally {
        this.#lastEnd = this.#now();
      }
    });
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Refuses new and queued sends and waits for the one in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#tail;
  }

  #throwIfClosed(): void {
    if (this.#closed) throw new SendError('the WeChat adapter is stopping; message not sent');
  }
}
