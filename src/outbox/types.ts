/**
 * The shapes the outbox shares with its callers (flows and sweeps that enqueue) and with the
 * adapters that deliver (each implements `Sender`).
 */
import type { Channel, Outbound } from '../core/types.ts';

/** Delivers one message to a chat on one platform. Adapters implement it. */
export interface Sender {
  /**
   * Resolves once the platform accepted the message. Throw a `SendError` to say whether and when
   * to retry; any other error is retried with backoff.
   */
  send(chatId: string, message: Outbound): Promise<void>;
}

/**
 * A delivery failure. `retryAfterMs` from a platform's 429 (Telegram retry_after, Slack
 * Retry-After); `permanent` for failures retrying cannot fix (chat not found, bot blocked).
 * Keep tokens and phone numbers out of `message`: it is stored as the row's `lastError`.
 */
export class SendError extends Error {
  readonly code = 'SEND_FAILED';
  readonly retryAfterMs?: number;
  readonly permanent: boolean;

  constructor(message: string, opts: { retryAfterMs?: number; permanent?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SendError';
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = Math.max(0, opts.retryAfterMs);
    this.permanent = opts.permanent ?? false;
  }
}

/** One message to deliver later, as a flow or sweep decides it. */
export interface OutboxMessage {
  channel: Channel;
  chatId: string;
  /** What it is, for logs and reports: "escalation", "survey", "reminder", ... */
  kind: string;
  /** Unique per logical message (e.g. `survey:<bookingId>`), so a repeated decision enqueues once. */
  dedupeKey: string;
  message: Outbound;
  /** Not to be sent before this time (quiet hours, survey delay); default: at once. */
  notBefore?: Date;
}
