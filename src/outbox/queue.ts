/**
 * What the dispatcher needs from storage, declared where it is used: src/store/outbox.ts
 * (`OutboxRepository`) implements it on the database; a test may pass a fake.
 */
import type { Channel, Outbound } from '../contracts/messages.ts';
import type { FailureNotice } from '../contracts/outbox.ts';

/** A row claimed for delivery. */
export interface ClaimedMessage {
  id: number;
  channel: Channel;
  chatId: string;
  /** The stored message; read it with `OutboxQueue.decode`. */
  payload: string;
  kind: string;
  /** Attempts so far, this claim included. */
  attempts: number;
}

export interface OutboxQueue {
  /**
   * Claims up to `limit` due rows of `channels` for `owner` until `leaseUntil`, atomically (two
   * claimants never hold one row): pending rows due by `now`, and rows whose claimant's lease
   * expired. Each claim counts as an attempt.
   */
  claim(opts: { owner: string; now: Date; leaseUntil: Date; channels: readonly Channel[]; limit: number }): Promise<ClaimedMessage[]>;
  /**
   * The message a claimed row holds.
   * @throws Error when the payload is not an Outbound; no retry can fix that.
   */
  decode(payload: string): Outbound;
  /** The follow-up a stored message asks for when it is given up, if any (never throws). */
  failureNotice(payload: string): FailureNotice | undefined;
  /**
   * Records a delivery, with the platform's id of the sent message when it gave one.
   * @returns false when `owner` no longer held the claim.
   */
  markSent(opts: { id: number; owner: string; at: Date; ref?: string }): Promise<boolean>;
  /** Records a failed attempt, to be retried from `at`. @returns false when `owner` no longer held the claim. */
  retryLater(opts: { id: number; owner: string; at: Date; lastError: string }): Promise<boolean>;
  /**
   * Gives a message up and, when `followUp` is given, enqueues it in the same transaction (once per
   * dead message, due at `at`). @returns false when `owner` no longer held the claim.
   */
  markDead(opts: { id: number; owner: string; lastError: string; at: Date; followUp?: FailureNotice }): Promise<boolean>;
  /** Gives claimed rows back untried: pending again from `at`, the claim not counted as an attempt. */
  release(opts: { ids: readonly number[]; owner: string; at: Date }): Promise<void>;
  /** Up to `limit` channels, other than `except`, that have pending rows. */
  pendingChannels(opts: { except: readonly Channel[]; limit: number }): Promise<string[]>;
}
