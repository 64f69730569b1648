/**
 * What the deadline watcher reads and writes: complaints whose next check is due, and a change to
 * one of them applied only if nobody changed it first (several instances may sweep at once).
 */
import { Prisma } from '../generated/prisma/client.ts';
import type { ComplaintChange, ComplaintEventInput, ComplaintView } from '../contracts/records.ts';
import type { OutboxMessage } from '../contracts/outbox.ts';
import { complaintSelect, toComplaintView, writeEffect } from './core-store.ts';
import type { Db } from './db.ts';

export interface ComplaintUpdate {
  id: number;
  version: number;
  change: ComplaintChange;
  events: ComplaintEventInput[];
  outbox: OutboxMessage[];
}

export class PrismaComplaintStore {
  constructor(private readonly db: Db) {}

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
  async apply(update: ComplaintUpdate, now: Date): Promise<boolean> {
    try {
      await this.db.$transaction([
        writeEffect(this.db, { kind: 'updateComplaint', id: update.id, version: update.version, change: update.change, events: update.events }, now),
        ...update.outbox.map((message) => writeEffect(this.db, { kind: 'enqueue', message }, now)),
      ]);
      return true;
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') return false;
      throw error;
    }
  }
}
