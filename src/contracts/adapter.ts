/**
 * The contract every platform adapter keeps. Adapters are thin: they turn platform events into the
 * core's one `Inbound` shape, render its `Outbound` replies, and can send to any chat they know so
 * the outbox dispatcher can reach staff channels. No business rule lives in an adapter.
 */
import type { Channel, InboundInput, Media, Outbound } from './messages.ts';
import type { Logger } from 'pino';

/**
 * An adapter that cannot go on and will not recover by itself (a revoked token, another process
 * polling the same bot for too long): the process should log `message` and exit with `exitCode`
 * so its service manager restarts it or someone looks.
 */
export interface AdapterFatal {
  channel: Channel;
  /** 1: a condition a restart may clear (409 Conflict that lasted); 2: a setting to fix (401). */
  exitCode: 1 | 2;
  /** One clear line for the log, no secret in it. */
  message: string;
}

/** A direct reply for the outbox to deliver later (see `AdapterDeps.enqueue`). */
export interface LateReply {
  channel: Channel;
  chatId: string;
  message: Outbound;
  key: string;
  notBefore: Date;
}

/** What an adapter needs from the product. */
export interface AdapterDeps {
  /** The dialogue core's entry point. Never throws; returns the replies for the same chat. */
  handle: (inbound: InboundInput) => Promise<Outbound[]>;
  log: Logger;
  /** Called once when the adapter is fatally stuck (see `AdapterFatal`); the app exits. */
  onFatal?: (fatal: AdapterFatal) => void;
  /**
   * Hands a direct reply the adapter could not deliver in time (a long rate limit) to the outbox,
   * which delivers it from `notBefore` on. `key` is unique per reply of an inbound message, so a
   * redelivered update hands it over once. Without it such a reply is logged as not delivered.
   */
  enqueue?: (late: LateReply) => Promise<void>;
  /** Records that a private chat blocked the bot (Telegram 403): its customer is unreachable there. */
  markUnreachable?: (channel: Channel, chatId: string) => Promise<void>;
}

export interface PlatformAdapter {
  readonly channel: Channel;
  /** Connects (polling, webhook server, socket); resolves once events can arrive. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Delivers a message to any chat the platform knows (customer chats and staff channels).
   * Throws `SendError` (src/outbox/types.ts) with `retryAfterMs` on a rate limit and `permanent`
   * when retrying cannot help. Resolves with the platform's id of the sent message as a string
   * when it gives one (see `Sender.send`).
   */
  send(chatId: string, message: Outbound): Promise<unknown>;
  /** The bytes of a person's photo or file this platform referred to, for another platform (see `Sender.fetchMedia`). */
  fetchMedia?(media: Media, opts: { maxBytes: number }): Promise<NonNullable<Outbound['file']> | undefined>;
}
