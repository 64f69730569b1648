/**
 * The conversations repository: a chat's conversation with its customer (created on first
 * contact), and the turn's commit: the inbound message id (stored once, so a redelivered message
 * is answered once), the version-guarded new state, and the turn's effects and outbox rows, all
 * in one transaction.
 */
import { Prisma } from '../generated/prisma/client.ts';
import type { Channel } from '../contracts/messages.ts';
import type { ConversationKey, ConversationRecord, CustomerProfile, Salutation, TurnCommit } from '../contracts/records.ts';
import { TurnConflict, DeskError, ErrorCode } from '../lib/errors.ts';
import { dialect, type Db } from './db.ts';
import { writeEffects } from './effects.ts';
import { isStaleWrite, isUniqueViolation } from './errors.ts';
import { IDLE_STATE_JSON } from '../contracts/state.ts';

/** The state of a conversation with no flow under way (as the core writes it). */

const profile = { id: true, name: true, salutation: true, phone: true, address: true } as const;

type RawProfile = { id: number | bigint; name: string | null; salutation: string | null; phone: string | null; address: string | null };

function toProfile(c: { id: number; name: string | null; salutation: string | null; phone: string | null; address: string | null }): CustomerProfile {
  return { ...c, salutation: c.salutation === '先生' || c.salutation === '女士' ? (c.salutation as Salutation) : null };
}

export class ConversationRepository {
  /** Locks the conversation row for a turn's version guard on PostgreSQL (see commitTurn). */
  readonly #lockRow: Prisma.Sql;

  constructor(private readonly db: Db) {
    this.#lockRow = dialect(db) === 'postgresql' ? Prisma.sql`FOR UPDATE` : Prisma.empty;
  }

  /**
   * The conversation of a chat, created with its customer on first contact (a customer who writes
   * is reachable again: `unreachableAt` is cleared). Two native upserts,
   * one statement each (Prisma's own upsert is an emulated transaction of four): safe when two
   * processes greet the same new customer at once, and cheap on a cache miss.
   */
  async conversation(opts: ConversationKey): Promise<ConversationRecord> {
    const now = new Date();
    const [customer] = await this.db.$queryRaw<RawProfile[]>`
      INSERT INTO "Customer" ("channel", "platformUserId", "displayName", "locale", "createdAt", "updatedAt")
      VALUES (${opts.channel}, ${opts.userId}, ${opts.displayName ?? null}, ${opts.locale}, ${now}, ${now})
      ON CONFLICT ("channel", "platformUserId") DO UPDATE SET "channel" = excluded."channel", "unreachableAt" = NULL
      RETURNING "id", "name", "salutation", "phone", "address"`;
    if (!customer) throw new DeskError(ErrorCode.StoreInvariant, 'customer upsert returned no row');
    const [conversation] = await this.db.$queryRaw<{ id: number; version: number; state: string; locale: string; customerId: number }[]>`
      INSERT INTO "Conversation" ("channel", "chatId", "customerId", "state", "locale", "version", "updatedAt")
      VALUES (${opts.channel}, ${opts.chatId}, ${Number(customer.id)}, ${IDLE_STATE_JSON}, ${opts.locale}, 0, ${now})
      ON CONFLICT ("channel", "chatId") DO UPDATE SET "chatId" = excluded."chatId"
      RETURNING "id", "version", "state", "locale", "customerId"`;
    if (!conversation) throw new DeskError(ErrorCode.StoreInvariant, 'conversation upsert returned no row');
    let owner = toProfile({ ...customer, id: Number(customer.id) });
    if (Number(conversation.customerId) !== owner.id) {
      // A chat created by another identity earlier: the conversation's own customer counts.
      owner = toProfile(await this.db.customer.findUniqueOrThrow({ where: { id: Number(conversation.customerId) }, select: profile }));
    }
    return {
      id: Number(conversation.id),
      version: Number(conversation.version),
      state: conversation.state,
      locale: conversation.locale,
      customer: owner,
    };
  }

  /**
   * Records that the platform refused messages to the chat because its person blocked the bot:
   * the chat's customer is unreachable there from `at` (until they write again).
   * @returns whether a customer was marked (false for an unknown chat or one already marked).
   */
  async markUnreachable(opts: { channel: Channel; chatId: string; at: Date }): Promise<boolean> {
    const { count } = await this.db.customer.updateMany({
      where: { unreachableAt: null, conversations: { some: { channel: opts.channel, chatId: opts.chatId } } },
      data: { unreachableAt: opts.at },
    });
    return count > 0;
  }

  /**
   * Records the inbound message, the new state (if `version` still matches) and the effects, all
   * or nothing.
   * @throws TurnConflict `duplicate` when the message was already handled, `stale` when another
   *   process moved the conversation or a booking first, `number_taken` on a booking-number clash.
   */
  async commitTurn(opts: TurnCommit): Promise<void> {
    const { inbound } = opts;
    // The two writes every turn makes, in raw SQL because they run on every message (about half
    // the cost of the equivalent Prisma calls, measured by `npm run bench`). The version guard sits
    // inside the insert: if another process moved the conversation first, the sub-select yields
    // NULL for the NOT NULL "kind" column, the insert fails and the whole batch rolls back. What
    // keeps the version still until the update: on SQLite the write lock taken at BEGIN; on
    // PostgreSQL the row lock of FOR UPDATE (a turn blocked on it re-reads the committed row, so a
    // concurrent turn of the same conversation fails the guard instead of overwriting its state).
    const writes: Prisma.PrismaPromise<unknown>[] = [
      this.db.$executeRaw`
        INSERT INTO "InboundMessage" ("channel", "platformMessageId", "chatId", "userId", "kind", "receivedAt")
        VALUES (${inbound.channel}, ${inbound.messageId}, ${inbound.chatId}, ${inbound.userId},
          (SELECT ${inbound.kind} FROM "Conversation" WHERE "id" = ${opts.conversationId} AND "version" = ${opts.version} ${this.#lockRow}),
          ${inbound.at})`,
      this.db.$executeRaw`
        UPDATE "Conversation" SET "state" = ${opts.state}, "locale" = ${opts.locale}, "version" = "version" + 1, "updatedAt" = ${new Date()}
        WHERE "id" = ${opts.conversationId} AND "version" = ${opts.version}`,
      ...writeEffects(this.db, opts.effects, opts.now),
    ];
    try {
      await this.db.$transaction(writes);
    } catch (error) {
      // A conditional effect found its row changed (P2025), or the version guard above failed.
      if (isStaleWrite(error)) throw new TurnConflict('stale', { cause: error });
      if (isUniqueViolation(error)) {
        const seen = await this.db.inboundMessage.findUnique({
          where: { channel_platformMessageId: { channel: inbound.channel, platformMessageId: inbound.messageId } },
          select: { id: true },
        });
        throw new TurnConflict(seen ? 'duplicate' : 'number_taken', { cause: error });
      }
      throw error;
    }
  }
}
