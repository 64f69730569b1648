/**
 * The shapes the outbox shares with its callers (flows and sweeps that enqueue) and with the
 * adapters that deliver (each implements `Sender`).
 */
import type { Channel, Media, Outbound } from './messages.ts';

/** Delivers one message to a chat on one platform. Adapters implement it. */
export interface Sender {
  /**
   * Resolves once the platform accepted the message, with the platform's id of the sent message as a string
   * when it gives one (stored, so a reply to it can be matched). Throw a `SendError` to say
   * whether and when to retry; any other error is retried with backoff.
   */
  send(chatId: string, message: Outbound): Promise<unknown>;
  /**
   * The bytes of a person's photo or file this platform gave a reference to (`Media.ref`), so the
   * dispatcher can carry it to a chat on another platform. Undefined when the platform no longer
   * has it or it is larger than `maxBytes`; platforms that cannot leave it out.
   */
  fetchMedia?(media: Media, opts: { maxBytes: number }): Promise<NonNullable<Outbound['file']> | undefined>;
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
  /** What to post, and where, if this message is given up (dead); stored with it. */
  onFailure?: FailureNotice;
}

/**
 * A follow-up the dispatcher enqueues when a message is given up, e.g. to the staff room that
 * sent a customer the result of a complaint. `{reason}` in `text` becomes the stored error.
 */
export interface FailureNotice {
  channel: Channel;
  chatId: string;
  text: string;
  /** Buttons to post with it, e.g. a work order's "assign" again when its worker was not reached. */
  buttons?: Outbound['buttons'];
}

/** The kind of a follow-up enqueued for a dead message (see `FailureNotice`). */
export const DELIVERY_FAILED_KIND = 'delivery-failed';

/** The dedupe key of the front-desk notice "visit not done": one per visit of a booking. */
export function visitDisputeKey(bookingId: number, visit: number): string {
  return `booking:${bookingId}:visit:${visit}:disputed`;
}

/**
 * Outbox kinds of a handover to a person: the post (and its copies) and the customer's relayed
 * messages, which staff reply to (matched by their platform id), and what goes to the customer.
 */
export const HANDOVER_KINDS = { post: 'handover-post', in: 'handover-in', out: 'handover-out' } as const;
