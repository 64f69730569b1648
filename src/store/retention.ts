/**
 * The retention policy's deletions (DOMAIN §5, PIPL), for the daily job in
 * src/scheduler/retention.ts. Every statement is idempotent and needs no claim: two instances
 * running the job at once delete or erase the same rows, and the second finds nothing left.
 */
import { ACTIVE_STATUSES } from '../contracts/records.ts';
import { IDLE_STATE_JSON } from '../contracts/state.ts';
import type { Db } from './db.ts';
import { eraseCustomerStatements, OPEN_COMPLAINT_STATUSES } from './erasure.ts';

export class RetentionRepository {
  constructor(private readonly db: Db) {}

  /** Deletes inbound message ids received before `before`; returns how many. */
  async deleteInbound(before: Date): Promise<number> {
    return (await this.db.inboundMessage.deleteMany({ where: { receivedAt: { lt: before } } })).count;
  }

  /**
   * Resets to idle the state (drafts with addresses and phones, open questions) of conversations
   * untouched since `before`; the version moves, so a turn racing with it is recomputed.
   */
  async resetConversations(before: Date): Promise<number> {
    // Raw, to leave "updatedAt" alone: it is the conversation's last activity, which decides when
    // the customer's data is erased (Prisma would set it to now).
    return this.db.$executeRaw`
      UPDATE "Conversation" SET "state" = ${IDLE_STATE_JSON}, "version" = "version" + 1
      WHERE "updatedAt" < ${before} AND "state" <> ${IDLE_STATE_JSON}`;
  }

  /** Deletes messages delivered (or given up) before `before`: the outbox's and the console chats'. */
  async deleteDelivered(before: Date): Promise<number> {
    const [outbox, console] = await this.db.$transaction([
      this.db.outbox.deleteMany({ where: { status: { in: ['sent', 'dead'] }, createdAt: { lt: before } } }),
      this.db.consoleMessage.deleteMany({ where: { createdAt: { lt: before } } }),
    ]);
    return outbox.count + console.count;
  }

  /**
   * Customers not erased yet whose last service or contact (first contact, a booking's visit, a
   * complaint, a conversation turn) was before `before`, and who have no booking still to serve
   * and no complaint being handled; at most `limit`, lowest id first.
   */
  async dueForErasure(before: Date, limit: number): Promise<number[]> {
    const rows = await this.db.customer.findMany({
      where: {
        erasedAt: null,
        createdAt: { lt: before },
        bookings: { none: { OR: [{ start: { gte: before } }, { status: { in: [...ACTIVE_STATUSES] } }] } },
        complaints: { none: { OR: [{ receivedAt: { gte: before } }, { status: { in: [...OPEN_COMPLAINT_STATUSES] } }] } },
        conversations: { none: { updatedAt: { gte: before } } },
      },
      orderBy: { id: 'asc' },
      take: limit,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /** Erases one customer's personal data, keeping anonymised rows (src/store/erasure.ts). */
  async erase(customerId: number, at: Date): Promise<void> {
    await this.db.$transaction(eraseCustomerStatements(this.db, { customerId, at }));
  }
}
