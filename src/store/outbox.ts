/**
 * The outbox repository: writing a message into the outbox, the payload encoding, and the queue
 * the dispatcher works (claim with a lease, record the outcome, give rows back). Every outbox
 * query lives here; src/outbox/dispatcher.ts declares what it needs as `OutboxQueue`.
 *
 * `enqueue` returns an unstarted Prisma statement so it goes into the SAME `db.$transaction([...])`
 * batch as the change that causes it (a complaint escalated, a booking completed): both commit or
 * neither does, and a crash after the commit loses nothing (ARCHITECTURE.md, "Delivery you can
 * trust").
 */
import { z } from 'zod';
import { Prisma } from '../generated/prisma/client.ts';
import { CHANNELS, mediaSchema, type Channel, type Outbound } from '../contracts/messages.ts';
import { idIn, skipLocked, type Db } from './db.ts';
import { DELIVERY_FAILED_KIND, type FailureNotice, type OutboxMessage } from '../contracts/outbox.ts';
import { DeskError, ErrorCode } from '../lib/errors.ts';
import { prismaStatement, type RowWrite } from './row-writes.ts';

/** The marker that stands for binary data in the JSON payload: `{ "$bytes": "<base64>" }`. */
const BYTES = '$bytes';
/** The payload's key for the message's `onFailure` (read by `failureNotice`, ignored by `decodePayload`). */
const ON_FAILURE = '$onFailure';

/**
 * Adds `msg` to the outbox unless a row with its `dedupeKey` exists. One raw statement (works on
 * SQLite and PostgreSQL) resolving to the rows inserted: 1, or 0 for a repeated decision.
 * Put it in the batch of the change that causes it:
 * `await db.$transaction([db.complaint.update(...), enqueue(db, msg, now)])`.
 * @throws Error at once (before any statement runs) for an empty chat id, kind or dedupe key.
 */
export function enqueue(db: Db, msg: OutboxMessage, now: Date): Prisma.PrismaPromise<number> {
  return prismaStatement(db, outboxRow(msg, now));
}

/**
 * The outbox row of `msg`, due at its `notBefore` or `now`; nothing is written when a row with its
 * `dedupeKey` exists. The one definition of an outbox row, for `enqueue` and the turn's direct path.
 * @throws Error for an empty chat id, kind or dedupe key.
 */
export function outboxRow(msg: OutboxMessage, now: Date): RowWrite {
  if (!msg.chatId || !msg.kind || !msg.dedupeKey) throw new DeskError(ErrorCode.InvalidArgument, 'outbox message needs a chatId, a kind and a dedupeKey');
  const values = {
    channel: msg.channel,
    chatId: msg.chatId,
    payload: encodePayload(msg.message, msg.onFailure),
    kind: msg.kind,
    dedupeKey: msg.dedupeKey,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: msg.notBefore ?? now,
    createdAt: now,
  };
  return { kind: 'insert', table: 'Outbox', values, unlessTaken: 'dedupeKey' };
}

/**
 * JSON of an `Outbound`, with every `Uint8Array` (a file's data) written as base64 under a marker,
 * and the follow-up for a failed delivery when there is one.
 */
export function encodePayload(message: Outbound, onFailure?: FailureNotice): string {
  const notice = onFailure && { channel: onFailure.channel, chatId: onFailure.chatId, text: onFailure.text, ...(onFailure.buttons ? { buttons: onFailure.buttons } : {}) };
  const stored = notice ? { ...message, [ON_FAILURE]: notice } : message;
  return JSON.stringify(stored, function (this: Record<string, unknown>, key, value: unknown) {
    // Read the holder's own value: Buffer's toJSON has already turned `value` into { type, data }.
    const raw = this[key];
    if (raw instanceof Uint8Array) return { [BYTES]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
    return value;
  });
}

const bytesSchema = z.instanceof(Uint8Array);

/** The stored payload, checked when read back (a JSON column is untrusted at the boundary). */
const outboundSchema = z.object({
  text: z.string(),
  buttons: z.array(z.array(z.object({ label: z.string(), action: z.string() }))).optional(),
  file: z.object({ name: z.string(), mime: z.string(), data: bytesSchema }).optional(),
  expectsReply: z.boolean().optional(),
  replyTo: z.string().optional(),
  media: mediaSchema.extend({ from: z.enum(CHANNELS).optional(), unshown: z.string().optional() }).optional(),
});

/**
 * The `Outbound` that `encodePayload` wrote, with file data as a plain `Uint8Array` again.
 * @throws Error naming the problem when the payload is not JSON or not an Outbound; the
 *   dispatcher marks such a row dead, as no retry can fix it.
 */
export function decodePayload(payload: string): Outbound {
  const value: unknown = JSON.parse(payload, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const encoded = (v as Record<string, unknown>)[BYTES];
      if (keys.length === 1 && typeof encoded === 'string') return new Uint8Array(Buffer.from(encoded, 'base64'));
    }
    return v;
  });
  const parsed = outboundSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DeskError(ErrorCode.InvalidPayload, `outbox payload is not an Outbound: ${issues.join('; ')}`);
  }
  const { text, buttons, file, replyTo, media } = parsed.data;
  return { text, ...(buttons ? { buttons } : {}), ...(file ? { file } : {}), ...(replyTo ? { replyTo } : {}), ...(media ? { media } : {}) };
}

const failureSchema = z.object({ [ON_FAILURE]: z.object({ channel: z.string(), chatId: z.string().min(1), text: z.string().min(1), buttons: outboundSchema.shape.buttons }) });

/** The follow-up `encodePayload` stored with a message, or undefined (also for a payload that is not JSON). */
function readFailureNotice(payload: string): FailureNotice | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const parsed = failureSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const notice = parsed.data[ON_FAILURE];
  return { channel: notice.channel as Channel, chatId: notice.chatId, text: notice.text, ...(notice.buttons ? { buttons: notice.buttons } : {}) };
}

/** A row claimed for delivery, as the dispatcher needs it. */
interface ClaimedRow {
  id: number;
  channel: Channel;
  chatId: string;
  payload: string;
  kind: string;
  /** Attempts so far, this claim included. */
  attempts: number;
}

type RawClaimed = { id: number | bigint; channel: string; chatId: string; payload: string; kind: string; attempts: number | bigint };

/**
 * The outbox as the dispatcher works it. Outcomes are written only by the claimant
 * (`WHERE "leaseOwner" = owner AND "status" = 'sending'`), so a dispatcher that lost its lease
 * cannot overwrite the new claimant's outcome; each outcome method says whether it still held it.
 */
export class OutboxRepository {
  constructor(private readonly db: Db) {}

  /**
   * Claims up to `limit` due rows of `channels` for `owner` until `leaseUntil`, in one statement,
   * so concurrent claimants never take the same row: pending rows due by `now`, and rows left
   * "sending" by a claimant whose lease expired. Each claim counts as an attempt.
   */
  async claim(opts: { owner: string; now: Date; leaseUntil: Date; channels: readonly Channel[]; limit: number }): Promise<ClaimedRow[]> {
    const { owner, now, leaseUntil, channels, limit } = opts;
    if (channels.length === 0) return [];
    // The due condition is repeated on the outer UPDATE: on PostgreSQL (READ COMMITTED) a second
    // claimant blocked on a row re-checks the outer WHERE against the committed row and skips it,
    // whereas the sub-select's snapshot alone lets it claim the row again (checked on PostgreSQL 15:
    // six concurrent claimants took 500 of 3,000 rows twice without the repeat, none with it).
    // SQLite runs one writer at a time, so there the repeat costs nothing. SKIP LOCKED (PostgreSQL)
    // lets a concurrent claimant take the next rows instead of waiting for these.
    const due = Prisma.sql`(("status" = 'pending' AND "nextAttemptAt" <= ${now}) OR ("status" = 'sending' AND "leaseUntil" < ${now}))`;
    const raw = await this.db.$queryRaw<RawClaimed[]>`
      UPDATE "Outbox" SET "status" = 'sending', "leaseUntil" = ${leaseUntil}, "leaseOwner" = ${owner}, "attempts" = "attempts" + 1
      WHERE ${idIn(
        this.db,
        Prisma.sql`SELECT "id" FROM "Outbox"
          WHERE ${due} AND "channel" IN (${Prisma.join(channels)})
          ORDER BY "nextAttemptAt", "id"
          LIMIT ${limit} ${skipLocked(this.db)}`,
      )}
      AND ${due}
      RETURNING "id", "channel", "chatId", "payload", "kind", "attempts"`;
    return raw.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts), channel: r.channel as Channel }));
  }

  /**
   * The message a claimed row holds (see decodePayload).
   * @throws Error when the payload is not an Outbound; no retry can fix that.
   */
  decode(payload: string): Outbound {
    return decodePayload(payload);
  }

  /** The follow-up a stored message asks for when it is given up (see readFailureNotice). */
  failureNotice(payload: string): FailureNotice | undefined {
    return readFailureNotice(payload);
  }

  /** Records a delivery and the platform's id of it. @returns false when `owner` no longer held the claim. */
  async markSent(opts: { id: number; owner: string; at: Date; ref?: string }): Promise<boolean> {
    const changed = await this.db.$executeRaw`
      UPDATE "Outbox" SET "status" = 'sent', "sentAt" = ${opts.at}, "leaseUntil" = NULL, "platformRef" = ${opts.ref ?? null}
      WHERE "id" = ${opts.id} AND "leaseOwner" = ${opts.owner} AND "status" = 'sending'`;
    return changed > 0;
  }

  /** Records a failed attempt to be retried from `at`. @returns false when `owner` no longer held the claim. */
  async retryLater(opts: { id: number; owner: string; at: Date; lastError: string }): Promise<boolean> {
    const changed = await this.db.$executeRaw`
      UPDATE "Outbox" SET "status" = 'pending', "nextAttemptAt" = ${opts.at}, "leaseUntil" = NULL, "leaseOwner" = NULL, "lastError" = ${opts.lastError}
      WHERE "id" = ${opts.id} AND "leaseOwner" = ${opts.owner} AND "status" = 'sending'`;
    return changed > 0;
  }

  /**
   * Gives a message up and, with `followUp`, enqueues it in the same transaction: due at `at`, its
   * dedupe key the dead message's with `:failed` appended, so it is written once.
   * @returns false when `owner` no longer held the claim (and then enqueues nothing).
   */
  async markDead(opts: { id: number; owner: string; lastError: string; at: Date; followUp?: FailureNotice }): Promise<boolean> {
    const dead = this.db.$executeRaw`
      UPDATE "Outbox" SET "status" = 'dead', "leaseUntil" = NULL, "lastError" = ${opts.lastError}
      WHERE "id" = ${opts.id} AND "leaseOwner" = ${opts.owner} AND "status" = 'sending'`;
    const { followUp } = opts;
    if (!followUp) return (await dead) > 0;
    const payload = encodePayload({ text: followUp.text, ...(followUp.buttons ? { buttons: followUp.buttons } : {}) });
    // Only when this owner has just marked it dead (a row marked dead by someone else keeps its owner).
    const [changed] = await this.db.$transaction([
      dead,
      this.db.$executeRaw`
        INSERT INTO "Outbox" ("channel", "chatId", "payload", "kind", "dedupeKey", "status", "attempts", "nextAttemptAt", "createdAt")
        SELECT ${followUp.channel}, ${followUp.chatId}, ${payload}, ${DELIVERY_FAILED_KIND}, "dedupeKey" || ':failed', 'pending', 0, ${opts.at}, ${opts.at}
        FROM "Outbox" WHERE "id" = ${opts.id} AND "leaseOwner" = ${opts.owner} AND "status" = 'dead'
        ON CONFLICT ("dedupeKey") DO NOTHING`,
    ]);
    return changed > 0;
  }

  /** Gives claimed rows back untried: pending again from `at`, their claim not counted as an attempt. */
  async release(opts: { ids: readonly number[]; owner: string; at: Date }): Promise<void> {
    if (opts.ids.length === 0) return;
    await this.db.$executeRaw`
      UPDATE "Outbox" SET "status" = 'pending', "attempts" = "attempts" - 1, "nextAttemptAt" = ${opts.at}, "leaseUntil" = NULL, "leaseOwner" = NULL
      WHERE "id" IN (${Prisma.join(opts.ids)}) AND "leaseOwner" = ${opts.owner} AND "status" = 'sending'`;
  }

  /** Up to `limit` channels, other than `except`, that have pending rows. */
  async pendingChannels(opts: { except: readonly Channel[]; limit: number }): Promise<string[]> {
    const notListed = opts.except.length > 0 ? Prisma.sql`AND "channel" NOT IN (${Prisma.join(opts.except)})` : Prisma.empty;
    const rows = await this.db.$queryRaw<{ channel: string }[]>`
      SELECT DISTINCT "channel" FROM "Outbox" WHERE "status" = 'pending' ${notListed} LIMIT ${opts.limit}`;
    return rows.map((r) => r.channel);
  }
}
