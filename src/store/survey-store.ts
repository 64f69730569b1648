/**
 * What the survey sweep reads and writes: surveys whose next action is due (by the `dueAt`
 * index, so the sweep costs the same with 10,000 or 1,000,000 bookings), and a change applied only
 * if nobody changed the survey first (several schedulers may sweep one database).
 */
import { Prisma } from '../generated/prisma/client.ts';
import type { SurveyChange, SurveyView } from '../core/ports.ts';
import type { OutboxMessage } from '../outbox/types.ts';
import { surveySelect, toSurveyView, writeEffect } from './core-store.ts';
import type { Db } from './db.ts';

export interface SurveyUpdate {
  id: number;
  version: number;
  change: SurveyChange;
  outbox: OutboxMessage[];
  /** Puts the customer's idle conversation on the survey's first question, so a typed 是 answers it. */
  openConversation?: { channel: string; chatId: string; state: string };
}

const IDLE_STATE = '{"flow":"idle"}';

export class PrismaSurveyStore {
  constructor(private readonly db: Db) {}

  /** Surveys with an action due at or before `now`, oldest first. */
  async due(now: Date, limit: number): Promise<SurveyView[]> {
    const rows = await this.db.survey.findMany({
      where: { dueAt: { lte: now } },
      orderBy: { dueAt: 'asc' },
      take: limit,
      select: surveySelect,
    });
    return rows.map(toSurveyView);
  }

  /** @returns false when another scheduler changed the survey first (nothing written). */
  async apply(update: SurveyUpdate, now: Date): Promise<boolean> {
    const writes: Prisma.PrismaPromise<unknown>[] = [
      writeEffect(this.db, { kind: 'updateSurvey', id: update.id, version: update.version, change: update.change }, now),
      ...update.outbox.map((message) => writeEffect(this.db, { kind: 'enqueue', message }, now)),
    ];
    if (update.openConversation) {
      const { channel, chatId, state } = update.openConversation;
      // Only an idle conversation; the version bump makes every process's cached copy stale.
      writes.push(
        this.db.conversation.updateMany({
          where: { channel, chatId, state: IDLE_STATE },
          data: { state, version: { increment: 1 } },
        }),
      );
    }
    try {
      await this.db.$transaction(writes);
      return true;
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') return false;
      throw error;
    }
  }
}
