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
import { dialect, driver, type Db, type Driver } from './db.ts';
import { effectsCommitted, rowWrites, writeEffects } from './effects.ts';
import { commonTableExpressions, expectsOneRow, preparedName, singleStatement, type RowWrite } from './row-writes.ts';
import { isBookingNumberTaken, isStaleWrite, isUniqueViolation } from './errors.ts';
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
   * is reachable again: `unreachableAt` is cleared). Two native upserts (Prisma's own upsert is an
   * emulated transaction of four): safe when two processes greet the same new customer at once,
   * and cheap on a cache miss. Straight on the driver: on SQLite one write transaction of prepared
   * statements, on PostgreSQL one statement (one round trip).
   */
  async conversation(opts: ConversationKey): Promise<ConversationRecord> {
    const now = new Date();
    const drv = driver(this.db);
    if (drv?.kind === 'sqlite') {
      return drv.write((sql) => {
        const customer = sql.get<RawProfile>(UPSERT_CUSTOMER_SQLITE, opts.channel, opts.userId, opts.displayName ?? null, opts.locale, now, now);
        if (!customer) throw new DeskError(ErrorCode.StoreInvariant, 'customer upsert returned no row');
        const conversation = sql.get<RawConversation>(UPSERT_CONVERSATION_SQLITE, opts.channel, opts.chatId, Number(customer.id), IDLE_STATE_JSON, opts.locale, now);
        if (!conversation) throw new DeskError(ErrorCode.StoreInvariant, 'conversation upsert returned no row');
        // A chat created by another identity earlier: the conversation's own customer counts.
        const owner = Number(conversation.customerId) === Number(customer.id) ? customer : sql.get<RawProfile>(CUSTOMER_SQLITE, Number(conversation.customerId));
        if (!owner) throw new DeskError(ErrorCode.StoreInvariant, 'conversation without its customer');
        return record(conversation, owner);
      });
    }
    if (drv?.kind === 'postgresql') {
      const relaxed = drv.relaxedStateCommits;
      const { rows } = await drv.query<RawConversation & { owner: RawProfile }>({
        name: relaxed ? 'conversation-relaxed' : 'conversation',
        text: relaxed ? CONVERSATION_RELAXED_POSTGRESQL : CONVERSATION_POSTGRESQL,
        values: [opts.channel, opts.userId, opts.displayName ?? null, opts.locale, now.toISOString(), opts.chatId, IDLE_STATE_JSON],
      });
      const [conversation] = rows;
      if (!conversation) throw new DeskError(ErrorCode.StoreInvariant, 'conversation upsert returned no row');
      return record(conversation, conversation.owner);
    }
    const [customer] = await this.db.$queryRaw<RawProfile[]>`
      INSERT INTO "Customer" ("channel", "platformUserId", "displayName", "locale", "createdAt", "updatedAt")
      VALUES (${opts.channel}, ${opts.userId}, ${opts.displayName ?? null}, ${opts.locale}, ${now}, ${now})
      ON CONFLICT ("channel", "platformUserId") DO UPDATE SET "channel" = excluded."channel", "unreachableAt" = NULL
      RETURNING "id", "name", "salutation", "phone", "address"`;
    if (!customer) throw new DeskError(ErrorCode.StoreInvariant, 'customer upsert returned no row');
    const [conversation] = await this.db.$queryRaw<RawConversation[]>`
      INSERT INTO "Conversation" ("channel", "chatId", "customerId", "state", "locale", "version", "updatedAt")
      VALUES (${opts.channel}, ${opts.chatId}, ${Number(customer.id)}, ${IDLE_STATE_JSON}, ${opts.locale}, 0, ${now})
      ON CONFLICT ("channel", "chatId") DO UPDATE SET "chatId" = excluded."chatId"
      RETURNING "id", "version", "state", "locale", "customerId"`;
    if (!conversation) throw new DeskError(ErrorCode.StoreInvariant, 'conversation upsert returned no row');
    const owner =
      Number(conversation.customerId) === Number(customer.id)
        ? customer
        : await this.db.customer.findUniqueOrThrow({ where: { id: Number(conversation.customerId) }, select: profile });
    return record(conversation, owner);
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
    const drv = driver(this.db);
    try {
      const writes = drv ? rowWrites(opts.effects, opts.now) : undefined;
      if (drv && writes) await commitDirect(drv, opts, writes);
      else await this.#commitBatch(opts);
      effectsCommitted(this.db, opts.effects);
    } catch (error) {
      if (error instanceof TurnConflict) throw error;
      // A conditional effect found its row changed (P2025), or the version guard failed.
      if (isStaleWrite(error)) throw new TurnConflict('stale', { cause: error });
      if (isBookingNumberTaken(error)) throw new TurnConflict('number_taken', { cause: error });
      if (isUniqueViolation(error)) {
        const seen = await this.db.inboundMessage.findUnique({
          where: { channel_platformMessageId: { channel: opts.inbound.channel, platformMessageId: opts.inbound.messageId } },
          select: { id: true },
        });
        throw new TurnConflict(seen ? 'duplicate' : 'number_taken', { cause: error });
      }
      throw error;
    }
  }

  /** A turn with effects: Prisma's transaction batch of the two writes and the effects' statements. */
  async #commitBatch(opts: TurnCommit): Promise<void> {
    const { inbound } = opts;
    // The version guard sits inside the insert: if another process moved the conversation first,
    // the sub-select yields NULL for the NOT NULL "kind" column, the insert fails and the whole
    // batch rolls back. What keeps the version still until the update: on SQLite the write lock
    // taken at BEGIN; on PostgreSQL the row lock of FOR UPDATE (a turn blocked on it re-reads the
    // committed row, so a concurrent turn of the same conversation fails the guard instead of
    // overwriting its state).
    await this.db.$transaction([
      this.db.$executeRaw`
        INSERT INTO "InboundMessage" ("channel", "platformMessageId", "chatId", "userId", "kind", "receivedAt")
        VALUES (${inbound.channel}, ${inbound.messageId}, ${inbound.chatId}, ${inbound.userId},
          (SELECT ${inbound.kind} FROM "Conversation" WHERE "id" = ${opts.conversationId} AND "version" = ${opts.version} ${this.#lockRow}),
          ${inbound.at})`,
      this.db.$executeRaw`
        UPDATE "Conversation" SET "state" = ${opts.state}, "locale" = ${opts.locale}, "version" = "version" + 1, "updatedAt" = ${new Date()}
        WHERE "id" = ${opts.conversationId} AND "version" = ${opts.version}`,
      ...writeEffects(this.db, opts.effects, opts.now),
    ]);
  }
}

/**
 * A turn whose effects are plain row writes (most turns have none: a question answered, a slot
 * filled; a booking's confirmation writes the booking, the customer's details, the work order
 * with its first event and its post to the outbox), straight on the driver without Prisma's query
 * compiler, which cost more than SQLite itself (see the README's benchmark section). The
 * version-guarded update goes first: no row changed means another process moved the conversation
 * first. On SQLite one write transaction of prepared statements; on PostgreSQL one statement, so
 * one round trip (under READ COMMITTED an update blocked by a concurrent turn of the same
 * conversation re-reads the committed row and fails the guard).
 */
async function commitDirect(drv: Driver, opts: TurnCommit, writes: RowWrite[]): Promise<void> {
  const { inbound } = opts;
  const now = new Date();
  if (drv.kind === 'sqlite') {
    await drv.write((sql) => {
      const moved = sql.run(UPDATE_STATE_SQLITE, opts.state, opts.locale, now, opts.conversationId, opts.version);
      if (moved.changes !== 1) throw new TurnConflict('stale');
      sql.run(INSERT_INBOUND_SQLITE, inbound.channel, inbound.messageId, inbound.chatId, inbound.userId, inbound.kind, inbound.at);
      for (const write of writes) {
        const { text, values } = singleStatement(write, 'sqlite');
        if (sql.run(text, ...values).changes !== 1 && expectsOneRow(write)) throw new TurnConflict('stale');
      }
    });
    return;
  }
  const values: unknown[] = [opts.state, opts.locale, now.toISOString(), opts.conversationId, opts.version, inbound.channel, inbound.messageId, inbound.chatId, inbound.userId, inbound.kind, inbound.at.toISOString()];
  if (writes.length === 0) {
    const relaxed = drv.relaxedStateCommits;
    const { rowCount } = await drv.query({ name: relaxed ? 'commit-turn-relaxed' : 'commit-turn', text: relaxed ? COMMIT_TURN_RELAXED_POSTGRESQL : COMMIT_TURN_POSTGRESQL, values });
    if (rowCount !== 1) throw new TurnConflict('stale');
    return;
  }
  // The effects join the same statement as further CTEs, each writing only when the guard passed;
  // the last line divides by the number of rows each one that must write a row wrote, so a write
  // that found no row (or a stale version) fails the whole statement, all or nothing.
  const { ctes, counts } = commonTableExpressions(writes, 'moved', (value) => {
    values.push(value instanceof Date ? value.toISOString() : value);
    return `$${values.length}`;
  });
  const text = `${COMMIT_TURN_CTES_POSTGRESQL}, ${ctes.join(', ')}
    SELECT 1 / (SELECT count(*) FROM inbound)${counts.map((count) => ` / ${count}`).join('')} AS "ok"`;
  try {
    await drv.query({ name: preparedName(text), text, values });
  } catch (error) {
    if ((error as { code?: string }).code === '22012') throw new TurnConflict('stale', { cause: error });
    throw error;
  }
}

type RawConversation = { id: number | bigint; version: number | bigint; state: string; locale: string; customerId: number | bigint };

function record(conversation: RawConversation, owner: RawProfile): ConversationRecord {
  return {
    id: Number(conversation.id),
    version: Number(conversation.version),
    state: conversation.state,
    locale: conversation.locale,
    customer: toProfile({ ...owner, id: Number(owner.id) }),
  };
}

const UPSERT_CUSTOMER_SQLITE = `
  INSERT INTO "Customer" ("channel", "platformUserId", "displayName", "locale", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT ("channel", "platformUserId") DO UPDATE SET "channel" = excluded."channel", "unreachableAt" = NULL
  RETURNING "id", "name", "salutation", "phone", "address"`;
const UPSERT_CONVERSATION_SQLITE = `
  INSERT INTO "Conversation" ("channel", "chatId", "customerId", "state", "locale", "version", "updatedAt") VALUES (?, ?, ?, ?, ?, 0, ?)
  ON CONFLICT ("channel", "chatId") DO UPDATE SET "chatId" = excluded."chatId"
  RETURNING "id", "version", "state", "locale", "customerId"`;
const CUSTOMER_SQLITE = 'SELECT "id", "name", "salutation", "phone", "address" FROM "Customer" WHERE "id" = ?';
const UPDATE_STATE_SQLITE = `
  UPDATE "Conversation" SET "state" = ?, "locale" = ?, "version" = "version" + 1, "updatedAt" = ? WHERE "id" = ? AND "version" = ?`;
const INSERT_INBOUND_SQLITE = `
  INSERT INTO "InboundMessage" ("channel", "platformMessageId", "chatId", "userId", "kind", "receivedAt") VALUES (?, ?, ?, ?, ?, ?)`;

/**
 * Both upserts and the conversation's own customer in one statement. Timestamps are passed as
 * UTC ISO strings: a zone in the text is ignored by TIMESTAMP(3), which holds UTC as Prisma writes it.
 */
const CONVERSATION_POSTGRESQL = `
  WITH customer AS (
    INSERT INTO "Customer" ("channel", "platformUserId", "displayName", "locale", "createdAt", "updatedAt")
    VALUES ($1::text, $2::text, $3::text, $4::text, $5::timestamp, $5::timestamp)
    ON CONFLICT ("channel", "platformUserId") DO UPDATE SET "channel" = excluded."channel", "unreachableAt" = NULL
    RETURNING "id", "name", "salutation", "phone", "address"
  ), conversation AS (
    INSERT INTO "Conversation" ("channel", "chatId", "customerId", "state", "locale", "version", "updatedAt")
    SELECT $1::text, $6::text, customer."id", $7::text, $4::text, 0, $5::timestamp FROM customer
    ON CONFLICT ("channel", "chatId") DO UPDATE SET "chatId" = excluded."chatId"
    RETURNING "id", "version", "state", "locale", "customerId"
  )
  SELECT conversation.*, (
    SELECT json_build_object('id', c."id", 'name', c."name", 'salutation', c."salutation", 'phone', c."phone", 'address', c."address")
    FROM (SELECT * FROM customer WHERE customer."id" = conversation."customerId"
          UNION ALL SELECT "id", "name", "salutation", "phone", "address" FROM "Customer" WHERE "id" = conversation."customerId") c LIMIT 1
  ) AS "owner" FROM conversation`;

/**
 * The same, committed without waiting for the disk (`POSTGRES_SYNCHRONOUS_COMMIT=records`, as
 * COMMIT_TURN_RELAXED_POSTGRESQL below): a customer's and a conversation's rows are no record; a
 * crash that takes them back makes the next turn's guarded commit stale, and the turn is answered
 * on the rows created again. A record written later refers to them only after its own commit has
 * flushed the WAL up to it.
 */
const CONVERSATION_RELAXED_POSTGRESQL = `${CONVERSATION_POSTGRESQL}
  CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS "relaxed"`;

/** The guarded update and the inbound message, for a turn with row writes (see commitDirect). */
const COMMIT_TURN_CTES_POSTGRESQL = `
  WITH moved AS (
    UPDATE "Conversation" SET "state" = $1::text, "locale" = $2::text, "version" = "version" + 1, "updatedAt" = $3::timestamp
    WHERE "id" = $4::int AND "version" = $5::int RETURNING "id"
  ), inbound AS (
    INSERT INTO "InboundMessage" ("channel", "platformMessageId", "chatId", "userId", "kind", "receivedAt")
    SELECT $6::text, $7::text, $8::text, $9::text, $10::text, $11::timestamp FROM moved RETURNING 1
  )`;

const COMMIT_TURN_POSTGRESQL = `
  WITH moved AS (
    UPDATE "Conversation" SET "state" = $1::text, "locale" = $2::text, "version" = "version" + 1, "updatedAt" = $3::timestamp
    WHERE "id" = $4::int AND "version" = $5::int RETURNING "id"
  )
  INSERT INTO "InboundMessage" ("channel", "platformMessageId", "chatId", "userId", "kind", "receivedAt")
  SELECT $6::text, $7::text, $8::text, $9::text, $10::text, $11::timestamp FROM moved`;

/**
 * The same, committed without waiting for the disk (`POSTGRES_SYNCHRONOUS_COMMIT=records`, the
 * default): `set_config(…, true)` sets synchronous_commit for this statement's own transaction
 * only, and the commit reads it. Such a turn writes nothing but the conversation and the message's
 * id, so a server crash may at worst take back the last answers of a form (the customer is asked
 * again); any turn that writes a record goes through the statements above or Prisma, which wait.
 * The WAL is flushed in order, so a record's synchronous commit also makes every earlier one durable.
 */
const COMMIT_TURN_RELAXED_POSTGRESQL = `${COMMIT_TURN_POSTGRESQL}
  CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS "relaxed"`;
