/**
 * The Prisma implementation of the core's storage port.
 */
import { Prisma } from '../generated/prisma/client.ts';
import { ACTIVE_STATUSES, type BookingStatus, type BookingView, type ConversationRecord, type CustomerProfile, type Effect, type Salutation, type Grade, type Level, type Role } from '../contracts/records.ts';
import type { CompletedVisit, ComplaintStatus, ComplaintView, StaffBookingView, StaffView, SurveyStatus, SurveyView } from '../contracts/records.ts';
import type { Channel } from '../contracts/messages.ts';
import { enqueue } from './outbox-payload.ts';
import { visitDisputeKey } from '../contracts/outbox.ts';
import { dialect, type Db } from './db.ts';
import { ReportStore } from './report-store.ts';
import type { CallbackRow, ComplaintRecordRow, ReportFigures, ReportPeriod } from '../contracts/reports.ts';
import { IDLE_STATE_JSON } from '../contracts/state.ts';
import { TurnConflict } from '../lib/errors.ts';
import type { CoreStore } from '../core/ports.ts';

const bookingView = {
  id: true,
  number: true,
  customerId: true,
  serviceCode: true,
  serviceName: true,
  start: true,
  status: true,
} as const;

const profile = { id: true, name: true, salutation: true, phone: true, address: true } as const;

type RawProfile = { id: number | bigint; name: string | null; salutation: string | null; phone: string | null; address: string | null };

function toProfile(c: { id: number; name: string | null; salutation: string | null; phone: string | null; address: string | null }): CustomerProfile {
  return { ...c, salutation: c.salutation === '先生' || c.salutation === '女士' ? (c.salutation as Salutation) : null };
}

function toView(b: { id: number; number: string; customerId: number; serviceCode: string; serviceName: string; start: Date; status: string }): BookingView {
  return { ...b, status: b.status as BookingStatus };
}

function prismaCode(error: unknown): string | undefined {
  return error instanceof Prisma.PrismaClientKnownRequestError ? error.code : undefined;
}

/** Raw statements report constraint failures as driver errors (P2010) rather than P-codes. */
function violates(error: unknown, kind: 'unique' | 'not_null'): boolean {
  const message = error instanceof Error ? error.message : '';
  return kind === 'unique'
    ? /UNIQUE constraint failed|duplicate key value/i.test(message)
    : /NOT NULL constraint failed|null value in column/i.test(message);
}

/** The statement that applies one effect; for `db.$transaction([...])` batches. */
export function writeEffect(db: Db, effect: Effect, now: Date): Prisma.PrismaPromise<unknown> {
  switch (effect.kind) {
    case 'createBooking':
      return db.booking.create({ data: effect.booking, select: { id: true } });
    case 'cancelBooking':
      return db.booking.update({
        where: { id: effect.bookingId, customerId: effect.customerId, status: { in: [...ACTIVE_STATUSES] } },
        data: { status: 'cancelled', cancelledAt: effect.at },
        select: { id: true },
      });
    case 'moveBooking':
      return db.booking.update({
        where: { id: effect.bookingId, customerId: effect.customerId, status: { in: [...ACTIVE_STATUSES] } },
        data: { start: effect.start },
        select: { id: true },
      });
    case 'updateCustomer':
      return db.customer.update({ where: { id: effect.customerId }, data: effect.data, select: { id: true } });
    case 'createComplaint':
      return db.complaint.create({
        data: { ...effect.complaint, events: { create: effect.events } },
        select: { id: true },
      });
    case 'updateComplaint':
      return db.complaint.update({
        where: { id: effect.id, version: effect.version },
        data: { ...effect.change, version: { increment: 1 }, events: { create: effect.events } },
        select: { id: true },
      });
    case 'flagGroup':
      return db.complaint.updateMany({
        where: { matter: effect.matter, receivedAt: { gte: effect.since }, groupFlag: false },
        data: { groupFlag: true },
      });
    case 'enqueue':
      return enqueue(db, effect.message, now);
    case 'completeVisit':
      return db.booking.update({
        where: { id: effect.bookingId, visits: effect.visits, status: { in: [...ACTIVE_STATUSES] } },
        data: {
          visits: { increment: 1 },
          ...(effect.completed ? { status: 'completed' } : {}),
          surveys: { create: { ...effect.survey, visit: effect.visits + 1 } },
        },
        select: { id: true },
      });
    case 'updateSurvey':
      return db.survey.update({
        where: { id: effect.id, version: effect.version },
        data: { ...effect.change, version: { increment: 1 } },
        select: { id: true },
      });
    case 'confirmVisit':
      return db.survey.updateMany({
        where: { bookingId: effect.bookingId, visit: effect.visit, confirmedAt: null },
        data: { confirmedAt: effect.at },
      });
    case 'joinStaff':
      return db.staff.upsert({
        where: { channel_platformUserId: { channel: effect.channel, platformUserId: effect.userId } },
        create: { channel: effect.channel, platformUserId: effect.userId, displayName: effect.displayName, role: effect.role },
        update: { role: effect.role, displayName: effect.displayName },
        select: { id: true },
      });
  }
}

export class PrismaCoreStore implements CoreStore {
  readonly #reports: ReportStore;

  /** Locks the conversation row for a turn's version guard on PostgreSQL (see commitTurn). */
  readonly #lockRow: Prisma.Sql;

  constructor(private readonly db: Db) {
    this.#reports = new ReportStore(db);
    this.#lockRow = dialect(db) === 'postgresql' ? Prisma.sql`FOR UPDATE` : Prisma.empty;
  }

  reportFigures(period: ReportPeriod, previous?: ReportPeriod): Promise<ReportFigures> {
    return this.#reports.figures(period, previous);
  }

  complaintRows(period: ReportPeriod): Promise<ComplaintRecordRow[]> {
    return this.#reports.complaintRows(period);
  }

  callbackRows(period: ReportPeriod): Promise<CallbackRow[]> {
    return this.#reports.callbackRows(period);
  }

  /**
   * Two native upserts, one statement each (Prisma's own upsert is an emulated transaction of
   * four): safe when two processes greet the same new customer at once, and cheap on a cache miss.
   */
  async conversation(opts: Parameters<CoreStore['conversation']>[0]): Promise<ConversationRecord> {
    const now = new Date();
    const [customer] = await this.db.$queryRaw<RawProfile[]>`
      INSERT INTO "Customer" ("channel", "platformUserId", "displayName", "locale", "createdAt", "updatedAt")
      VALUES (${opts.channel}, ${opts.userId}, ${opts.displayName ?? null}, ${opts.locale}, ${now}, ${now})
      ON CONFLICT ("channel", "platformUserId") DO UPDATE SET "channel" = excluded."channel"
      RETURNING "id", "name", "salutation", "phone", "address"`;
    if (!customer) throw new Error('customer upsert returned no row');
    const [conversation] = await this.db.$queryRaw<{ id: number; version: number; state: string; locale: string; customerId: number }[]>`
      INSERT INTO "Conversation" ("channel", "chatId", "customerId", "state", "locale", "version", "updatedAt")
      VALUES (${opts.channel}, ${opts.chatId}, ${Number(customer.id)}, ${IDLE_STATE_JSON}, ${opts.locale}, 0, ${now})
      ON CONFLICT ("channel", "chatId") DO UPDATE SET "chatId" = excluded."chatId"
      RETURNING "id", "version", "state", "locale", "customerId"`;
    if (!conversation) throw new Error('conversation upsert returned no row');
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

  async commitTurn(opts: Parameters<CoreStore['commitTurn']>[0]): Promise<void> {
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
      ...opts.effects.map((effect) => writeEffect(this.db, effect, opts.now)),
    ];
    try {
      await this.db.$transaction(writes);
    } catch (error) {
      const code = prismaCode(error);
      // P2025: a conditional effect found its row changed; P2011: the version guard above.
      if (code === 'P2025' || code === 'P2011' || violates(error, 'not_null')) throw new TurnConflict('stale', { cause: error });
      if (code === 'P2002' || violates(error, 'unique')) {
        const seen = await this.db.inboundMessage.findUnique({
          where: { channel_platformMessageId: { channel: inbound.channel, platformMessageId: inbound.messageId } },
          select: { id: true },
        });
        throw new TurnConflict(seen ? 'duplicate' : 'number_taken', { cause: error });
      }
      throw error;
    }
  }

  async upcomingBookings(customerId: number, now: Date): Promise<BookingView[]> {
    const rows = await this.db.booking.findMany({
      where: { customerId, status: { in: [...ACTIVE_STATUSES] }, start: { gt: now } },
      orderBy: { start: 'asc' },
      take: 10,
      select: bookingView,
    });
    return rows.map(toView);
  }

  async customerBooking(customerId: number, bookingId: number): Promise<BookingView | undefined> {
    const row = await this.db.booking.findFirst({ where: { id: bookingId, customerId }, select: bookingView });
    return row ? toView(row) : undefined;
  }

  async completedVisit(customerId: number, bookingId: number, visit: number): Promise<CompletedVisit | undefined> {
    const row = await this.db.survey.findFirst({
      where: { bookingId, visit, booking: { customerId } },
      select: { confirmedAt: true, booking: { select: { number: true } } },
    });
    if (!row) return undefined;
    const dispute = await this.db.outbox.findUnique({ where: { dedupeKey: visitDisputeKey(bookingId, visit) }, select: { id: true } });
    return { bookingId, number: row.booking.number, visit, confirmedAt: row.confirmedAt, disputed: dispute !== null };
  }

  async complaintBookings(customerId: number, now: Date): Promise<BookingView[]> {
    const rows = await this.db.booking.findMany({
      where: { customerId, status: { not: 'cancelled' }, start: { gte: new Date(now.getTime() - 30 * 86_400_000) } },
      orderBy: { start: 'desc' },
      take: 5,
      select: bookingView,
    });
    return rows.map(toView);
  }

  async complaint(number: string): Promise<ComplaintView | undefined> {
    const row = await this.db.complaint.findUnique({ where: { number }, select: complaintSelect });
    return row ? toComplaintView(row) : undefined;
  }

  async customerComplaints(customerId: number, limit: number): Promise<ComplaintView[]> {
    const rows = await this.db.complaint.findMany({ where: { customerId }, orderBy: { receivedAt: 'desc' }, take: limit, select: complaintSelect });
    return rows.map(toComplaintView);
  }

  async staff(channel: Channel, userId: string): Promise<StaffView | undefined> {
    const row = await this.db.staff.findUnique({
      where: { channel_platformUserId: { channel, platformUserId: userId } },
      select: { id: true, role: true, displayName: true },
    });
    return row ? toStaffView(row) : undefined;
  }

  async survey(id: number): Promise<SurveyView | undefined> {
    const row = await this.db.survey.findUnique({ where: { id }, select: surveySelect });
    return row ? toSurveyView(row) : undefined;
  }

  async staffBooking(number: string): Promise<StaffBookingView | undefined> {
    const row = await this.db.booking.findUnique({ where: { number }, select: staffBookingSelect });
    return row ? toStaffBooking(row) : undefined;
  }

  async bookingPhone(bookingId: number): Promise<string | undefined> {
    return (await this.db.booking.findUnique({ where: { id: bookingId }, select: { phone: true } }))?.phone;
  }

  async staffBookingById(id: number): Promise<StaffBookingView | undefined> {
    const row = await this.db.booking.findUnique({ where: { id }, select: staffBookingSelect });
    return row ? toStaffBooking(row) : undefined;
  }

  async bookingsToComplete(now: Date, limit: number): Promise<StaffBookingView[]> {
    const rows = await this.db.booking.findMany({
      where: { status: { in: [...ACTIVE_STATUSES] }, start: { lte: now } },
      orderBy: { start: 'desc' },
      take: limit,
      select: staffBookingSelect,
    });
    return rows.map(toStaffBooking);
  }

  async matterComplaints(matter: string, since: Date): Promise<{ customerId: number; receivedAt: Date }[]> {
    return this.db.complaint.findMany({
      where: { matter, receivedAt: { gte: since } },
      select: { customerId: true, receivedAt: true },
    });
  }
}

export const complaintSelect = {
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

/** A complaint row as the core sees it (string columns narrowed to their domain types). */
export function toComplaintView(row: ComplaintRow): ComplaintView {
  return {
    ...row,
    channel: row.channel as Channel,
    grade: row.grade as Grade,
    level: row.level as Level,
    status: row.status as ComplaintStatus,
  };
}

function toStaffView(row: { id: number; role: string; displayName: string | null }): StaffView {
  return { ...row, role: row.role as Role };
}

export const surveySelect = {
  id: true,
  version: true,
  bookingId: true,
  visit: true,
  customerId: true,
  channel: true,
  chatId: true,
  locale: true,
  completedAt: true,
  status: true,
  dueAt: true,
  sentAt: true,
  remindedAt: true,
  identityOk: true,
  overall: true,
  quality: true,
  timeliness: true,
  comment: true,
  answeredAt: true,
  complaintNumber: true,
  booking: {
    select: { number: true, serviceCode: true, serviceName: true, start: true, contactName: true, salutation: true, phone: true, address: true },
  },
} as const;

export function toSurveyView(row: Prisma.SurveyGetPayload<{ select: typeof surveySelect }>): SurveyView {
  return { ...row, channel: row.channel as Channel, status: row.status as SurveyStatus };
}

const staffBookingSelect = {
  ...bookingView,
  frequency: true,
  visits: true,
  contactName: true,
  salutation: true,
  customer: { select: { locale: true, conversations: { select: { channel: true, chatId: true, locale: true }, take: 1, orderBy: { id: 'asc' } } } },
} as const;

function toStaffBooking(row: Prisma.BookingGetPayload<{ select: typeof staffBookingSelect }>): StaffBookingView {
  const { customer, ...rest } = row;
  const chat = customer.conversations[0];
  return {
    ...toView(rest),
    frequency: rest.frequency,
    visits: rest.visits,
    contactName: rest.contactName,
    salutation: rest.salutation,
    channelOfCustomer: (chat?.channel as Channel | undefined) ?? null,
    chatIdOfCustomer: chat?.chatId ?? null,
    localeOfCustomer: chat?.locale ?? customer.locale,
  };
}
