/**
 * The complaints repository: a complaint by number, a customer's latest, who complained about one
 * matter (the group flag), and what the deadline watcher reads and writes: complaints whose next
 * check is due, and a change applied only if nobody changed the complaint first (several
 * instances may sweep at once). New complaints and the flow's changes are effects of a turn.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import type { Channel } from '../contracts/messages.ts';
import type { ComplaintStatus, ComplaintView, Grade, Level, ComplaintUpdate } from '../contracts/records.ts';
import type { Db } from './db.ts';
import { applyEffects } from './effects.ts';

/** A change the deadline watcher decided for one complaint, with its history and posts. */

const complaintSelect = {
  id: true,
  number: true,
  version: true,
  customerId: true,
  channel: true,
  chatId: true,
  locale: true,
  receivedAt: true,
  customerName: true,
  salutation: true,
  phone: true,
  address: true,
  content: true,
  category: true,
  matter: true,
  hadLoss: true,
  lossYuan: true,
  priorCount: true,
  grade: true,
  groupFlag: true,
  status: true,
  valid: true,
  level: true,
  forwardedAt: true,
  claimedAt: true,
  claimedBy: true,
  handler: true,
  answeredAt: true,
  resolvedAt: true,
  callbackAt: true,
  solved: true,
  satisfied: true,
  upgradedAt: true,
  escalatedFor: true,
  booking: { select: { number: true, serviceName: true, start: true } },
} as const;

type ComplaintRow = Prisma.ComplaintGetPayload<{ select: typeof complaintSelect }>;

/** A complaint row as its readers see it (string columns narrowed to their domain types). */
function toComplaintView(row: ComplaintRow): ComplaintView {
  return {
    ...row,
    channel: row.channel as Channel,
    grade: row.grade as Grade,
    level: row.level as Level,
    status: row.status as ComplaintStatus,
  };
}

export class ComplaintRepository {
  constructor(private readonly db: Db) {}

  /** A complaint by its number. */
  async byNumber(number: string): Promise<ComplaintView | undefined> {
    const row = await this.db.complaint.findUnique({ where: { number }, select: complaintSelect });
    return row ? toComplaintView(row) : undefined;
  }

  /** The customer's most recent complaints, newest first. */
  async ofCustomer(customerId: number, limit: number): Promise<ComplaintView[]> {
    const rows = await this.db.complaint.findMany({ where: { customerId }, orderBy: { receivedAt: 'desc' }, take: limit, select: complaintSelect });
    return rows.map(toComplaintView);
  }

  /** The customer's resolved complaints awaiting the callback, newest first (by the customerId, status index). */
  async awaitingCallback(customerId: number): Promise<ComplaintView[]> {
    const rows = await this.db.complaint.findMany({
      where: { customerId, status: 'resolved', callbackAt: null },
      orderBy: { resolvedAt: 'desc' },
      take: 5,
      select: complaintSelect,
    });
    return rows.map(toComplaintView);
  }

  /** Who complained about one matter since a time (for the group flag). */
  ofMatter(matter: string, since: Date): Promise<{ customerId: number; receivedAt: Date }[]> {
    return this.db.complaint.findMany({
      where: { matter, receivedAt: { gte: since } },
      select: { customerId: true, receivedAt: true },
    });
  }

  /** Complaints whose next check (deadline or one-month upgrade) is at or before `now`, by the index. */
  async due(now: Date, limit: number): Promise<ComplaintView[]> {
    const rows = await this.db.complaint.findMany({
      where: { nextDeadlineAt: { lte: now } },
      orderBy: { nextDeadlineAt: 'asc' },
      take: limit,
      select: complaintSelect,
    });
    return rows.map(toComplaintView);
  }

  /**
   * Applies a change with its history and posts in one transaction.
   * @returns false when another instance changed the complaint first (nothing written).
   */
  apply(update: ComplaintUpdate, now: Date): Promise<boolean> {
    return applyEffects(
      this.db,
      [
        { kind: 'updateComplaint', id: update.id, version: update.version, change: update.change, events: update.events },
        ...update.outbox.map((message) => ({ kind: 'enqueue' as const, message })),
      ],
      now,
    );
  }
}
