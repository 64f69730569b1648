/**
 * The delivery loop: claims due outbox rows, sends each through its platform's `Sender` within
 * the platform's limits, and records the outcome (sent, retry later, or dead).
 *
 * Guarantees (ARCHITECTURE.md, "Delivery you can trust"):
 *  1. A claim is one conditional UPDATE, so two dispatchers on one database never hold the same
 *     row; a row whose claimant died is taken over once its lease has expired.
 *  2. Outcomes are written only by the claimant (`WHERE "leaseOwner" = me`), so a dispatcher that
 *     lost its lease cannot overwrite the new claimant's outcome.
 *  3. Delivery is at least once: a process that dies between the platform's acceptance and the
 *     "sent" write sends that message again after the lease expires. Everything else is exactly once.
 *  4. Within one claim, messages to a chat go in enqueue order, one at a time; different chats go
 *     concurrently, each send waiting for the rate limiter. A retryable failure holds back the
 *     chat's later messages of that claim until the failed one's retry.
 *
 * Leases are compared across instances, so the instances' clocks must agree to well within `leaseMs`.
 */
import type { Channel, Outbound } from '../contracts/messages.ts';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { ClaimedMessage, OutboxQueue } from './queue.ts';
import { RateLimiter, type RateLimits } from '../lib/rate-limit.ts';
import type { Sender } from '../contracts/outbox.ts';
import { SendError, DeskError, ErrorCode } from '../lib/errors.ts';

/** Largest photo or file carried from one platform to another (Telegram takes photos up to 10 MB). */
const CARRIED_MAX_BYTES = 10 * 1024 * 1024;
/** Types carried from one platform to another: pictures, PDF, MP4 video, common audio. Others are named only. */
const CARRIED_TYPES = /^(image\/(jpeg|png|gif|webp)|application\/pdf|video\/mp4|audio\/(ogg|mpeg|mp4))$/;

/** Exponential backoff between attempts of one message. */
export interface Backoff {
  /** Delay after the first failure; doubles with each further one. */
  baseMs: number;
  /** Longest delay between two attempts. */
  maxMs: number;
  /** Attempts before a message is given up (dead). */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: Readonly<Backoff> = { baseMs: 1000, maxMs: 300_000, maxAttempts: 12 };

export interface DispatcherOptions {
  /** The outbox rows (src/store/outbox.ts on the database). */
  queue: OutboxQueue;
  /** One sender per platform; rows of a channel without one stay pending (warned once per channel). */
  senders: Partial<Record<Channel, Sender>>;
  clock: Clock;
  log: Logger;
  /** This instance's id (e.g. host:pid:random); written on claimed rows. Unique per running dispatcher. */
  owner: string;
  /** How long a claim holds before another instance may take the row over. Default 30 000. */
  leaseMs?: number;
  /** Rows claimed per tick. Default 50. */
  batchSize?: number;
  backoff?: Partial<Backoff>;
  /** Per-channel overrides of `DEFAULT_LIMITS` (see rate-limit.ts); ignored when `limiter` is given. */
  limits?: RateLimits;
  /**
   * A limiter shared with the adapters' direct replies, so both spend one platform budget. Build
   * it on the same clock: `new RateLimiter({ now: () => clock.now().getTime() })`. Default: one of
   * this dispatcher's own, from `limits`.
   */
  limiter?: RateLimiter;
  /** Waits `ms` by `clock`; a test with a ManualClock passes one that advances it. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** A send still running after this long counts as a failed attempt. Default `leaseMs / 3`. */
  sendTimeoutMs?: number;
  /** Source of backoff jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
  /**
   * Chats sent to at once. Default 8: enough to keep up with the platforms' limits, and what bounds
   * the messages whose outcome dies with a killed process (they are sent again after the lease).
   */
  sendConcurrency?: number;
}

/** What one tick did. `deferred` rows went back to pending untried (rate limit, stop, or an earlier message of the chat failing). */
interface TickResult {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  deferred: number;
}

/** Longest `lastError` stored. */
const MAX_ERROR_LENGTH = 500;
/** How often to look for rows of channels that have no sender, to warn about them. */
const UNCONFIGURED_CHECK_MS = 60_000;
/** Channels without a sender named per check. */
const UNCONFIGURED_CHANNELS_LISTED = 20;

/**
 * Delay before attempt `attempts + 1` after `attempts` failed ones: `baseMs * 2^(attempts-1)`,
 * capped at `maxMs`, with "equal jitter" (between half and all of it) so instances that failed
 * together do not retry together.
 */
export function backoffDelay(attempts: number, backoff: Pick<Backoff, 'baseMs' | 'maxMs'>, random: () => number = Math.random): number {
  const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/**
 * An error as it may be stored and logged: bot tokens, Slack tokens, bearer credentials and
 * phone-like digit runs blanked, at most 500 characters.
 */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const clean = text
    .replace(/\bbot\d+:[\w-]+/gi, 'bot[token]')
    .replace(/\b\d{5,}:[\w-]{30,}\b/g, '[token]')
    .replace(/\bxox[a-z]-[\w-]+/gi, '[token]')
    .replace(/\bbearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/\b(token|secret|password|api_?key)(\s*[=:]\s*)[^\s,;&]+/gi, '$1$2[redacted]')
    .replace(/\+?\d[\d\s-]{5,}\d/g, (run) => (isPhoneLike(run) ? '[number]' : run));
  return clean.length > MAX_ERROR_LENGTH ? `${clean.slice(0, MAX_ERROR_LENGTH - 1)}…` : clean;
}

/** Seven or more digits (landline, mobile, with +86 or separators), but not an ISO date. */
function isPhoneLike(run: string): boolean {
  return run.replace(/\D/g, '').length >= 7 && !/^\d{4}-\d{2}-\d{2}$/.test(run.trim());
}

/**
 * Sends what the outbox holds. Run one per process with `start()`; any number of processes may
 * share a database. `tick()` runs one round by hand (tests, a cron sweep).
 */
export class OutboxDispatcher {
  readonly #queue: OutboxQueue;
  readonly #senders: Partial<Record<Channel, Sender>>;
  readonly #channels: Channel[];
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #owner: string;
  readonly #leaseMs: number;
  readonly #sendConcurrency: number;
  readonly #batchSize: number;
  readonly #backoff: Backoff;
  readonly #limiter: RateLimiter;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #sendTimeoutMs: number;
  readonly #random: () => number;

  /** Serializes ticks: a tick asked for while one runs starts after it. */
  #chain: Promise<unknown> = Promise.resolve();
  #background: Promise<void> | null = null;
  #again = false;
  #interval: NodeJS.Timeout | null = null;
  #wakeTimer: NodeJS.Timeout | null = null;
  #stopping = false;
  /** Wakes the default sleeps early when `stop()` is called. */
  readonly #wakers = new Set<() => void>();
  readonly #warned = new Set<string>();
  #nextUnconfiguredCheck = Number.NEGATIVE_INFINITY;

  constructor(options: DispatcherOptions) {
    this.#queue = options.queue;
    this.#senders = { ...options.senders };
    this.#channels = (Object.keys(this.#senders) as Channel[]).filter((c) => this.#senders[c]).sort();
    this.#clock = options.clock;
    this.#log = options.log;
    this.#owner = options.owner;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#batchSize = options.batchSize ?? 50;
    this.#sendConcurrency = Math.max(1, options.sendConcurrency ?? 8);
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.#sleep = options.sleep ?? ((ms) => this.#timer(ms));
    this.#limiter = options.limiter ?? new RateLimiter({ limits: options.limits, now: () => this.#clock.now().getTime(), sleep: this.#sleep });
    this.#sendTimeoutMs = options.sendTimeoutMs ?? Math.floor(this.#leaseMs / 3);
    this.#random = options.random ?? Math.random;
    if (!options.owner) throw new DeskError(ErrorCode.InvalidArgument, 'OutboxDispatcher needs an owner id');
    if (!(this.#leaseMs > 0) || !(this.#batchSize > 0)) throw new DeskError(ErrorCode.InvalidArgument, 'OutboxDispatcher: leaseMs and batchSize must be positive');
  }

  /**
   * Claims up to `batchSize` due rows (pending and due, or left "sending" by a claimant whose
   * lease expired), delivers them and records each outcome. Ticks never overlap: a call made while
   * one runs waits for it.
   * @throws the database's error when a claim or an outcome cannot be written (the rows involved
   *   are retried after their lease expires).
   */
  tick(): Promise<TickResult> {
    const run = this.#chain.then(() => this.#tick());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Ticks every `intervalMs` (an unref'd timer, so it never keeps the process alive) until `stop()`. */
  start(intervalMs = 1000): void {
    if (this.#interval) return;
    this.#interval = setInterval(() => this.#runInBackground(false), intervalMs);
    this.#interval.unref();
    this.#runInBackground(false);
  }

  /**
   * Stops ticking and waits for the tick in flight. A tick that is waiting on the rate limiter
   * gives its remaining rows back as pending instead of waiting.
   */
  async stop(): Promise<void> {
    if (this.#interval) clearInterval(this.#interval);
    if (this.#wakeTimer) clearTimeout(this.#wakeTimer);
    this.#interval = null;
    this.#wakeTimer = null;
    this.#stopping = true;
    for (const wake of [...this.#wakers]) wake();
    try {
      await this.#background;
      await this.#chain;
    } finally {
      this.#stopping = false;
    }
  }

  /**
   * Asks for a tick soon (after `debounceMs`, calls in between are merged), e.g. right after an
   * enqueue commits. Only while started; a tick in flight is followed by one more.
   */
  wake(debounceMs = 20): void {
    if (!this.#interval || this.#wakeTimer) return;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = null;
      this.#runInBackground(true);
    }, debounceMs);
    this.#wakeTimer.unref();
  }

  /** A real-time wait that `stop()` can cut short. */
  #timer(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakers.add(done);
    });
  }

  #runInBackground(rerunIfBusy: boolean): void {
    if (this.#stopping) return;
    if (this.#background) {
      if (rerunIfBusy) this.#again = true;
      return;
    }
    this.#background = this.tick()
      .then(
        (r) => {
          if (r.claimed > 0) this.#log.debug({ ...r }, 'outbox tick');
          // A full batch sent: more may be due, so go on at once instead of at the next interval.
          if (r.claimed >= this.#batchSize && r.deferred === 0) this.#again = true;
        },
        (error: unknown) => this.#log.error({ err: describeError(error) }, 'outbox tick failed'),
      )
      .finally(() => {
        this.#background = null;
        if (this.#again && this.#interval) {
          this.#again = false;
          this.#runInBackground(false);
        }
      });
  }

  async #tick(): Promise<TickResult> {
    const result: TickResult = { claimed: 0, sent: 0, retried: 0, dead: 0, deferred: 0 };
    const now = this.#clock.now();
    await this.#warnUnconfigured(now);
    if (this.#channels.length === 0) return result;

    const rows = await this.#claim(now);
    result.claimed = rows.length;
    if (rows.length === 0) return result;

    const chats = new Map<string, ClaimedMessage[]>();
    for (const row of rows) {
      const key = `${row.channel}\0${row.chatId}`;
      const chat = chats.get(key);
      if (chat) chat.push(row);
      else chats.set(key, [row]);
    }
    // Leave time in the lease for the last send and its outcome.
    const budgetMs = this.#leaseMs / 3;
    const deadline = now.getTime() + budgetMs;
    const queue = [...chats.values()];
    const failures: unknown[] = [];
    const worker = async () => {
      for (let chat = queue.shift(); chat; chat = queue.shift()) {
        await this.#deliverChat(chat.sort((a, b) => a.id - b.id), deadline, budgetMs, result).catch((error: unknown) => failures.push(error));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#sendConcurrency, queue.length) }, worker));
    if (failures.length > 0) throw failures[0];
    return result;
  }

  /** One statement, so concurrent claimants never take the same row (OutboxQueue.claim). */
  #claim(now: Date): Promise<ClaimedMessage[]> {
    return this.#queue.claim({
      owner: this.#owner,
      now,
      leaseUntil: new Date(now.getTime() + this.#leaseMs),
      channels: this.#channels,
      limit: this.#batchSize,
    });
  }

  /** Sends one chat's claimed rows in order; returns when each has an outcome or went back to pending. */
  async #deliverChat(rows: ClaimedMessage[], deadline: number, budgetMs: number, result: TickResult): Promise<void> {
    // Time spent waiting by the limiter's clock, so a clock that does not move still ends the loop.
    let waited = 0;
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i]!;
      if (this.#stopping) return this.#release(rows.slice(i), this.#clock.now(), result);
      // Waited too long for a free sender: give the rest back rather than risk the lease expiring mid-send.
      if (this.#clock.now().getTime() > deadline) return this.#release(rows.slice(i), this.#clock.now(), result);
      if (row.attempts > this.#backoff.maxAttempts) {
        // Only claims that expired without an outcome get here (a process died mid-send, repeatedly).
        await this.#dead(row, `gave up after ${row.attempts - 1} attempts (the last claims expired without an outcome)`, result);
        continue;
      }
      let message: Outbound;
      try {
        message = this.#queue.decode(row.payload);
      } catch (error) {
        await this.#dead(row, describeError(error), result);
        continue;
      }
      for (let wait = this.#limiter.tryAcquire(row.channel, row.chatId); wait > 0; wait = this.#limiter.tryAcquire(row.channel, row.chatId)) {
        const now = this.#clock.now().getTime();
        if (this.#stopping || now + wait > deadline || waited + wait > budgetMs) {
          return this.#release(rows.slice(i), new Date(now + wait), result);
        }
        await this.#sleep(wait);
        waited += wait;
      }
      message = await this.#carried(row.channel, message);
      let ref: string | undefined;
      try {
        try {
          ref = await this.#send(this.#senders[row.channel]!, row.chatId, message);
        } finally {
          // The platform counts the message from its arrival: so does the limiter.
          this.#limiter.completed(row.channel, row.chatId);
        }
      } catch (error) {
        const retryAt = await this.#failed(row, error, result);
        // Keep the chat's order: its later messages wait for the failed one's retry.
        if (retryAt) return this.#release(rows.slice(i + 1), retryAt, result);
        continue;
      }
      await this.#sent(row, result, ref);
    }
  }

  /**
   * A message whose media came from another platform (a handover relay, `CarriedMedia.from`): the
   * bytes fetched there, as a file, when they fit CARRIED_MAX_BYTES and CARRIED_TYPES; otherwise
   * its `unshown` line. Never throws: the words always go.
   */
  async #carried(channel: Channel, message: Outbound): Promise<Outbound> {
    const { media, ...rest } = message;
    if (!media?.from || media.from === channel) return message;
    const unshown = { ...rest, text: media.unshown ?? rest.text };
    const source = this.#senders[media.from];
    if (!source?.fetchMedia || (media.size ?? 0) > CARRIED_MAX_BYTES) return unshown;
    try {
      const fetchMedia = source.fetchMedia.bind(source);
      const file = await this.#inTime(() => fetchMedia(media, { maxBytes: CARRIED_MAX_BYTES }), (ms) => new Error(`fetching the media timed out after ${ms} ms`));
      if (file && file.data.byteLength <= CARRIED_MAX_BYTES && CARRIED_TYPES.test(file.mime.toLowerCase())) return { ...rest, file };
      this.#log.info({ from: media.from, to: channel, mime: file?.mime }, 'outbox: media not carried across platforms (gone, too large or of another type)');
    } catch (error) {
      this.#log.warn({ from: media.from, to: channel, err: describeError(error) }, 'outbox: media not carried across platforms');
    }
    return unshown;
  }

  /** Sends one message; resolves with the platform's id of it, when the platform gives one. */
  async #send(sender: Sender, chatId: string, message: Outbound): Promise<string | undefined> {
    const ref = await this.#inTime(() => sender.send(chatId, message), (ms) => new SendError(`send timed out after ${ms} ms`));
    return typeof ref === 'string' ? ref : undefined;
  }

  /** `work`, or `late(ms)` thrown when it takes longer than the send timeout (a send, a media fetch). */
  async #inTime<T>(work: () => Promise<T>, late: (ms: number) => Error): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(late(this.#sendTimeoutMs)), this.#sendTimeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(work), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #sent(row: ClaimedMessage, result: TickResult, ref: string | undefined): Promise<void> {
    const held = await this.#queue.markSent({ id: row.id, owner: this.#owner, at: this.#clock.now(), ref });
    result.sent += 1;
    if (!held) this.#lostLease(row);
  }

  /** Records a failed attempt: a retry (returns its time) or, when retrying cannot help, dead (returns null). */
  async #failed(row: ClaimedMessage, error: unknown, result: TickResult): Promise<Date | null> {
    const lastError = describeError(error);
    const sendError = error instanceof SendError ? error : undefined;
    const retryAfterMs = sendError?.retryAfterMs ?? 0;
    if (retryAfterMs > 0) this.#limiter.pause(row.channel, row.chatId, retryAfterMs);
    if (sendError?.permanent || row.attempts >= this.#backoff.maxAttempts) {
      await this.#dead(row, lastError, result);
      return null;
    }
    const waitMs = Math.max(backoffDelay(row.attempts, this.#backoff, this.#random), retryAfterMs);
    const retryAt = new Date(this.#clock.now().getTime() + waitMs);
    const held = await this.#queue.retryLater({ id: row.id, owner: this.#owner, at: retryAt, lastError });
    result.retried += 1;
    if (!held) this.#lostLease(row);
    this.#log.warn(
      { outboxId: row.id, kind: row.kind, channel: row.channel, attempts: row.attempts, retryInMs: waitMs, error: lastError },
      'outbox send failed; will retry',
    );
    return retryAt;
  }

  /** Gives a message up, enqueuing the follow-up it asks for (a staff room told the customer was not reached). */
  async #dead(row: ClaimedMessage, lastError: string, result: TickResult): Promise<void> {
    const notice = this.#queue.failureNotice(row.payload);
    const followUp = notice ? { ...notice, text: notice.text.replaceAll('{reason}', lastError) } : undefined;
    const held = await this.#queue.markDead({ id: row.id, owner: this.#owner, lastError, at: this.#clock.now(), followUp });
    result.dead += 1;
    if (!held) this.#lostLease(row);
    this.#log.error(
      { outboxId: row.id, kind: row.kind, channel: row.channel, attempts: row.attempts, error: lastError },
      `outbox message ${row.id} (${row.kind} on ${row.channel}) is dead: ${lastError}`,
    );
  }

  /** Gives claimed rows back untried: pending again from `at`, their claim not counted as an attempt. */
  async #release(rows: ClaimedMessage[], at: Date, result: TickResult): Promise<void> {
    if (rows.length === 0) return;
    await this.#queue.release({ ids: rows.map((r) => r.id), owner: this.#owner, at });
    result.deferred += rows.length;
  }

  #lostLease(row: ClaimedMessage): void {
    this.#log.warn(
      { outboxId: row.id, kind: row.kind, channel: row.channel },
      'outbox lease expired before the outcome was recorded; another instance may send this message again',
    );
  }

  /** Warns once per channel (per dispatcher, so per process) about pending rows nobody can send. */
  async #warnUnconfigured(now: Date): Promise<void> {
    if (now.getTime() < this.#nextUnconfiguredCheck) return;
    this.#nextUnconfiguredCheck = now.getTime() + UNCONFIGURED_CHECK_MS;
    const channels = await this.#queue.pendingChannels({ except: this.#channels, limit: UNCONFIGURED_CHANNELS_LISTED });
    for (const channel of channels) {
      if (this.#warned.has(channel)) continue;
      this.#warned.add(channel);
      this.#log.warn({ channel }, `outbox: no sender configured for channel "${channel}"; its messages stay pending`);
    }
  }
}
