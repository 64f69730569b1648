/**
 * The contract every platform adapter keeps. Adapters are thin: they turn platform events into the
 * core's one `Inbound` shape, render its `Outbound` replies, and can send to any chat they know so
 * the outbox dispatcher can reach staff channels. No business rule lives in an adapter.
 */
import type { Channel, InboundInput, Outbound } from './messages.ts';
import type { Logger } from 'pino';

/** What an adapter needs from the product. */
export interface AdapterDeps {
  /** The dialogue core's entry point. Never throws; returns the replies for the same chat. */
  handle: (inbound: InboundInput) => Promise<Outbound[]>;
  log: Logger;
}

export interface PlatformAdapter {
  readonly channel: Channel;
  /** Connects (polling, webhook server, socket); resolves once events can arrive. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Delivers a message to any chat the platform knows (customer chats and staff channels).
   * Throws `SendError` (src/outbox/types.ts) with `retryAfterMs` on a rate limit and `permanent`
   * when retrying cannot help.
   */
  send(chatId: string, message: Outbound): Promise<void>;
}
