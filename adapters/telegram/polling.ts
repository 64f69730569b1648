/**
 * Long polling (getUpdates) without telegraf's `launch()`, whose loop has two faults for this bot:
 * it waits until every update of a batch is handled before asking for the next batch (one chat's
 * 429 wait holds up every other chat), and one 409 Conflict or 401 ends polling for good while the
 * process lives on, deaf.
 *
 * Here each update is handed over (`handle`, which keeps each chat in order) and polling goes on at
 * once. The offset sent to Telegram confirms only updates that are fully handled: it is the lowest
 * update still in hand (or one past the last fetched). Telegram then sends the unfinished ones
 * again with each poll; they are skipped here, and after a crash the next process gets them again,
 * which is safe (the core answers a redelivered message id once) where a lost update is not. At
 * most `maxInFlight` updates are between the confirmed offset and the newest fetched one: when that
 * window is full, polling waits for the oldest to finish. While updates are in hand, a poll that
 * brings nothing new is followed by a short pause (`idlePollMs`, or until one finishes), since
 * Telegram answers at once when unconfirmed updates exist.
 *
 * Failures, as the Bot API documents them: 409 Conflict (another getUpdates poller, or a webhook
 * set) is retried with backoff; when it lasts `conflictExitAfterMs` the poller reports a fatal
 * error (exit 1) so the service manager restarts the process. 401 Unauthorized (token revoked) is
 * fatal at once (exit 2). 429 waits `retry_after`; network errors and 5xx back off and retry.
 */
import { TelegramError, type Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { AdapterFatal } from '../../src/contracts/adapter.ts';
import type { Logger } from '../../src/lib/log.ts';
import { describeError } from './errors.ts';

interface PollerOptions {
  telegram: Telegram;
  allowedUpdates: readonly string[];
  /** Handles one update fully (replies sent); never rejects. */
  handle: (update: Update) => Promise<void>;
  log: Logger;
  /** Redacted from what is logged. */
  token: string;
  /** At most this many updates between the confirmed offset and the newest fetched (1-100). */
  maxInFlight: number;
  conflictExitAfterMs: number;
  /** Long-poll timeout in seconds when nothing is in hand. */
  timeoutSeconds: number;
  /** Pause after a poll that brought nothing new while updates are in hand. */
  idlePollMs: number;
  onFatal: (fatal: Omit<AdapterFatal, 'channel'>) => void;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

export class Poller {
  readonly #o: PollerOptions;
  readonly #abort = new AbortController();
  /** Updates handed over and not finished. */
  readonly #inFlight = new Set<number>();
  /** Update ids fetched at or above the confirmed offset (in hand or finished). */
  readonly #known = new Set<number>();
  /** The newest update id fetched. */
  #newest: number | undefined;
  /** Resolves the current wait for an update to finish. */
  #wake: (() => void) | undefined;
  #done: Promise<void> = Promise.resolve();

  constructor(opts: PollerOptions) {
    this.#o = opts;
  }

  start(): void {
    this.#done = this.#loop();
  }

  /** Stops polling (aborting the pending request) and resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#wake?.();
    await this.#done;
  }

  /**
   * Confirms the finished updates to Telegram (call once every handed-over update is finished),
   * so the next process does not get them again. Failures are only logged.
   */
  async confirm(): Promise<void> {
    if (this.#newest === undefined) return;
    try {
      await this.#o.telegram.callApi('getUpdates', { offset: this.#offset(), limit: 1, timeout: 0 });
    } catch (error) {
      this.#o.log.debug({ err: describeError(error, this.#o.token) }, 'telegram: final offset not confirmed');
    }
  }

  /** The offset to send: the oldest update in hand, or one past the newest fetched. */
  #offset(): number {
    if (this.#inFlight.size > 0) return Math.min(...this.#inFlight);
    return this.#newest === undefined ? 0 : this.#newest + 1;
  }

  #finished(id: number): void {
    this.#inFlight.delete(id);
    const offset = this.#offset();
    for (const known of this.#known) if (known < offset) this.#known.delete(known);
    this.#wake?.();
  }

  /** Waits until an update finishes, `ms` pass (when given), or the poller stops. */
  async #pause(ms?: number): Promise<void> {
    if (this.#abort.signal.aborted) return;
    const finished = new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
    const waits = [finished];
    if (ms !== undefined) waits.push(this.#o.sleep(ms));
    await Promise.race(waits);
    this.#wake = undefined;
  }

  async #loop(): Promise<void> {
    const { telegram, log, token, now } = this.#o;
    const signal = this.#abort.signal;
    let conflictSince: number | undefined;
    let backoff = FIRST_BACKOFF_MS;
    while (!signal.aborted) {
      if (this.#known.size >= this.#o.maxInFlight) {
        await this.#pause();
        continue;
      }
      let updates: Update[];
      try {
        updates = await telegram.callApi(
          'getUpdates',
          {
            offset: this.#offset(),
            limit: this.#o.maxInFlight,
            timeout: this.#inFlight.size > 0 ? 0 : this.#o.timeoutSeconds,
            allowed_updates: [...this.#o.allowedUpdates] as never,
          },
          // telegraf types the signal as the abort-controller package's; node-fetch takes the native one.
          { signal: signal as never },
        );
      } catch (error) {
        if (signal.aborted) return;
        const err = describeError(error, token);
        if (error instanceof TelegramError && error.code === 401) {
          this.#o.onFatal({
            exitCode: 2,
            message: `telegram: getUpdates refused the bot token (401 ${err.message}); it was revoked or is wrong: set a valid TELEGRAM_BOT_TOKEN from @BotFather`,
          });
          return;
        }
        if (error instanceof TelegramError && error.code === 409) {
          conflictSince ??= now();
          const lasted = now() - conflictSince;
          if (lasted >= this.#o.conflictExitAfterMs) {
            this.#o.onFatal({
              exitCode: 1,
              message: `telegram: getUpdates answered 409 Conflict for ${Math.round(lasted / 1000)} s (${err.message}): another process polls this bot or a webhook is set; giving up so the service manager restarts this one`,
            });
            return;
          }
          log.warn({ err, conflictForMs: lasted, retryInMs: backoff }, 'telegram: getUpdates conflict (409); retrying');
        } else {
          const retryAfter = error instanceof TelegramError ? error.parameters?.retry_after : undefined;
          if (typeof retryAfter === 'number') backoff = Math.max(backoff, retryAfter * 1000);
          log.warn({ err, retryInMs: backoff }, 'telegram: getUpdates failed; retrying');
        }
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      conflictSince = undefined;
      backoff = FIRST_BACKOFF_MS;
      const offset = this.#offset();
      let fresh = 0;
      for (const update of updates) {
        const id = update.update_id;
        if (id < offset || this.#known.has(id)) continue;
        fresh += 1;
        this.#known.add(id);
        this.#inFlight.add(id);
        this.#newest = Math.max(this.#newest ?? id, id);
        void this.#o.handle(update).finally(() => this.#finished(id));
      }
      if (fresh === 0 && this.#inFlight.size > 0) await this.#pause(this.#o.idlePollMs);
    }
  }

  /** Sleeps `ms`, or less when the poller stops. */
  async #sleep(ms: number): Promise<void> {
    const signal = this.#abort.signal;
    if (signal.aborted) return;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<void>((resolve) => {
      onAbort = () => resolve();
      signal.addEventListener('abort', onAbort, { once: true });
    });
    await Promise.race([this.#o.sleep(ms), aborted]);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
