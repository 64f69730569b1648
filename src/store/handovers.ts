/**
 * The handovers repository (转人工): a handover by number, the handover a staff reply answers (by
 * the platform's id of the post or relayed message it replies to), the post to thread a customer's
 * message under, the customer's last person (首问负责), and what the handover sweep reads and
 * writes: unclaimed ones past their deadline, quiet ones past the idle time, and a change applied
 * only if nobody changed the handover first. New handovers and the flow's changes are turn effects.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import type { Channel } from '../contracts/messages.ts';
import type { HandoverOwner, HandoverReason, HandoverStatus, HandoverUpdate, HandoverView, Level } from '../contracts/records.ts';
import { HANDOVER_KINDS } from '../contracts/outbox.ts';
import type { Db } from './db.ts';
import { applyEffects } from './effects.ts';

const { post: HANDOVER_POST_KIND, in: HANDOVER_IN_KIND } = HANDOVER_KINDS;

/** `handover:<number>:...`: the dedupe keys of every message of a handover. */
const KEY = /^handover:([A-Z]{2}\d{10}):/;

type HandoverRow = Prisma.HandoverGetPayload<object>;

function toView(row: HandoverRow): HandoverView {
  return {
    id: row.id,
    number: row.number,
    version: row.version,
    customerId: row.customerId,
    channel: row.channel as Channel,
    chatId: row.chatId,
    locale: row.locale,
    reason: row.reason as HandoverReason,
    customerLabel: row.customerLabel,
    context: row.context,
    complaintNumber: row.complaintNumber,
    status: row.status as HandoverStatus,
    level: row.level as Level,
    roomChannel: row.roomChannel as Channel,
    roomChatId: row.roomChatId,
    requestedAt: row.requestedAt,
    nextDeadlineAt: row.nextDeadlineAt,
    claimedAt: row.claimedAt,
    claimedBy: row.claimedBy,
    handler: row.handler,
    lastActivityAt: row.lastActivityAt,
    endedAt: row.endedAt,
    endedBy: row.endedBy,
  };
}

export class HandoverRepository {
  constructor(private readonly db: Db) {}

  async byNumber(number: string): Promise<HandoverView | undefined> {
    const row = await this.db.handover.findUnique({ where: { number } });
    return row ? toView(row) : undefined;
  }

  /**
   * The number of the handover whose post or relayed customer message, sent to `chatId`, has the
   * platform id `ref`; undefined when `ref` is any other message.
   */
  async numberByRef(channel: Channel, chatId: string, ref: string): Promise<string | undefined> {
    const row = await this.db.outbox.findFirst({
      where: { channel, chatId, platformRef: ref, kind: { in: [HANDOVER_POST_KIND, HANDOVER_IN_KIND] } },
      select: { dedupeKey: true },
    });
    return row ? KEY.exec(row.dedupeKey)?.[1] : undefined;
  }

  /** The platform id of the handover's first post in a chat, to thread the customer's messages under. */
  async postRef(number: string, channel: Channel, chatId: string): Promise<string | undefined> {
    const row = await this.db.outbox.findFirst({
      where: { channel, chatId, kind: HANDOVER_POST_KIND, dedupeKey: { startsWith: `handover:${number}:` }, platformRef: { not: null } },
      orderBy: { id: 'asc' },
      select: { platformRef: true },
    });
    return row?.platformRef ?? undefined;
  }

  /** Who claimed the customer's most recent handover claimed since `since` (首问负责), if they are still staff. */
  async lastOwner(customerId: number, since: Date): Promise<HandoverOwner | undefined> {
    const row = await this.db.handover.findFirst({
      where: { customerId, claimedAt: { gte: since }, claimedBy: { not: null } },
      orderBy: { claimedAt: 'desc' },
      select: { claimedBy: true, handler: true },
    });
    if (!row?.claimedBy) return undefined;
    const staff = await this.db.staff.findFirst({ where: { id: row.claimedBy, revokedAt: null }, select: { id: true, channel: true, platformUserId: true, displayName: true } });
    if (!staff) return undefined;
    return { staffId: staff.id, name: row.handler ?? staff.displayName ?? '', channel: staff.channel as Channel, userId: staff.platformUserId };
  }

  /** Live handovers a staff member claimed, newest first. */
  async claimedBy(staffId: number, limit: number): Promise<HandoverView[]> {
    const rows = await this.db.handover.findMany({ where: { claimedBy: staffId, status: 'live' }, orderBy: { claimedAt: 'desc' }, take: limit });
    return rows.map(toView);
  }

  /** Unclaimed handovers whose deadline is at or before `now`, by the index. */
  async unclaimedDue(now: Date, limit: number): Promise<HandoverView[]> {
    const rows = await this.db.handover.findMany({ where: { status: 'waiting', nextDeadlineAt: { lte: now } }, orderBy: { nextDeadlineAt: 'asc' }, take: limit });
    return rows.map(toView);
  }

  /** Claimed handovers with no message since `before`. */
  async quietSince(before: Date, limit: number): Promise<HandoverView[]> {
    const rows = await this.db.handover.findMany({
      // Claimed ones only: an unclaimed handover waits for its person however quiet (it climbs the ladder).
      where: { status: 'live', lastActivityAt: { lte: before } },
      orderBy: { lastActivityAt: 'asc' },
      take: limit,
    });
    return rows.map(toView);
  }

  /**
   * Applies a sweep's change with its messages (and the customer's conversation put back) in one transaction.
   * @returns false when a turn changed the handover first (nothing written).
   */
  apply(update: HandoverUpdate, now: Date): Promise<boolean> {
    return applyEffects(
      this.db,
      [
        { kind: 'updateHandover', id: update.id, version: update.version, change: update.change },
        ...update.outbox.map((message) => ({ kind: 'enqueue' as const, message })),
        ...(update.conversation ? [{ kind: 'moveConversation' as const, ...update.conversation }] : []),
      ],
      now,
    );
  }
}
