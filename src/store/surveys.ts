/**
 * The surveys repository: a survey by id, and what the survey sweep reads and writes: surveys
 * whose next action is due (by the `dueAt` index, so the sweep costs the same with 10,000 or
 * 1,000,000 bookings), claimed for a while so several instances sweeping one database share the
 * work, and a change applied only if nobody changed the survey first. Surveys are created and
 * answered as effects of a turn.
 */
import { Prisma } from '../generated/prisma/client.ts';
import type { Channel } from '../contracts/messages.ts';
import type { CompletedVisit, SurveyStatus, SurveyView, SurveyUpdate } from '../contracts/records.ts';
import { visitDisputeKey } from '../contracts/outbox.ts';
import { IDLE_STATE_PREFIX } from '../contracts/state.ts';
import { idIn, skipLocked, type Db } from './db.ts';
import { applyEffects } from './effects.ts';

/** A step the survey sweep decided for one survey, with its messages. */

/** Long enough for a sweep to apply a batch; a dead instance's claims are taken over after it. */
const CLAIM_LEASE_MS = 30_000;

const surveySelect = {
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
  confirmedAt: true,
  identityOk: true,
  overall: true,
  quality: true,
  timeliness: true,
  comment: true,
  answeredAt: true,
  complaintNumber: true,
  booking: {
    select: {
      number: true, serviceCode: true, serviceName: true, start: true, contactName: true, salutation: true, phone: true, address: true,
      customer: { select: { unreachableAt: true } },
    },
  },
} as const;

function toSurveyView(row: Prisma.SurveyGetPayload<{ select: typeof surveySelect }>): SurveyView {
  const { customer, ...booking } = row.booking;
  return { ...row, booking, channel: row.channel as Channel, status: row.status as SurveyStatus, customerUnreachable: customer.unreachableAt !== null };
}

export class SurveyRepository {
  constructor(
    private readonly db: Db,
    /** How long a claim lasts (LEASE_SECONDS). */
    private readonly leaseMs = CLAIM_LEASE_MS,
  ) {}

  /**
   * A completed visit of one of the customer's bookings, with whether it was confirmed and whether
   * a dispute of it was already posted; undefined when no such visit was completed for them.
   */
  async completedVisit(customerId: number, bookingId: number, visit: number): Promise<CompletedVisit | undefined> {
    const row = await this.db.survey.findFirst({
      where: { bookingId, visit, booking: { customerId } },
      select: { id: true, confirmedAt: true, booking: { select: { number: true } } },
    });
    if (!row) return undefined;
    const dispute = await this.db.outbox.findUnique({ where: { dedupeKey: visitDisputeKey(bookingId, visit) }, select: { id: true } });
    return { surveyId: row.id, bookingId, number: row.booking.number, visit, confirmedAt: row.confirmedAt, disputed: dispute !== null };
  }

  /**
   * The customer's open survey questions: visits completed since `visitsSince`, neither confirmed
   * nor disputed, whose survey has not gone out (it closes the completion check), and surveys sent
   * or reminded; newest first. Found through the
   * customer's bookings (Booking's customerId index), then each booking's surveys.
   */
  async open(customerId: number, visitsSince: Date): Promise<{ visits: (CompletedVisit & { completedAt: Date })[]; surveys: SurveyView[] }> {
    const rows = await this.db.survey.findMany({
      where: {
        booking: { customerId },
        OR: [{ status: { in: ['sent', 'reminded'] } }, { confirmedAt: null, completedAt: { gte: visitsSince }, status: 'scheduled' }],
      },
      orderBy: { completedAt: 'desc' },
      take: 5,
      select: surveySelect,
    });
    const views = rows.map(toSurveyView);
    const unconfirmed = views.filter((s) => s.confirmedAt === null && s.completedAt >= visitsSince && s.status === 'scheduled');
    const disputes = unconfirmed.length
      ? await this.db.outbox.findMany({ where: { dedupeKey: { in: unconfirmed.map((s) => visitDisputeKey(s.bookingId, s.visit)) } }, select: { dedupeKey: true } })
      : [];
    const disputed = new Set(disputes.map((d) => d.dedupeKey));
    return {
      visits: unconfirmed
        .filter((s) => !disputed.has(visitDisputeKey(s.bookingId, s.visit)))
        .map((s) => ({ surveyId: s.id, bookingId: s.bookingId, number: s.booking.number, visit: s.visit, confirmedAt: null, disputed: false, completedAt: s.completedAt })),
      surveys: views.filter((s) => s.status === 'sent' || s.status === 'reminded'),
    };
  }

  /** A survey by id. */
  async byId(id: number): Promise<SurveyView | undefined> {
    const row = await this.db.survey.findUnique({ where: { id }, select: surveySelect });
    return row ? toSurveyView(row) : undefined;
  }

  /**
   * Claims up to `limit` surveys with an action due at or before `now`, oldest first, for
   * `leaseMs`: other instances skip them meanwhile (PostgreSQL: SKIP LOCKED, so concurrent sweeps
   * take different rows), and take them over when the lease expires without the action applied.
   */
  async claimDue(now: Date, limit: number, leaseMs = this.leaseMs): Promise<SurveyView[]> {
    // The due condition is repeated on the outer UPDATE for PostgreSQL's READ COMMITTED (see the
    // outbox claim in outbox.ts).
    const due = Prisma.sql`("dueAt" <= ${now} AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now}))`;
    const claimed = await this.db.$queryRaw<{ id: number | bigint }[]>`
      UPDATE "Survey" SET "claimedUntil" = ${new Date(now.getTime() + leaseMs)}
      WHERE ${idIn(this.db, Prisma.sql`SELECT "id" FROM "Survey" WHERE ${due} ORDER BY "dueAt" LIMIT ${limit} ${skipLocked(this.db)}`)}
        AND ${due}
      RETURNING "id"`;
    if (claimed.length === 0) return [];
    const rows = await this.db.survey.findMany({
      where: { id: { in: claimed.map((c) => Number(c.id)) } },
      orderBy: { id: 'asc' },
      select: surveySelect,
    });
    return rows.map(toSurveyView);
  }

  /** @returns false when another scheduler changed the survey first (nothing written). */
  apply(update: SurveyUpdate, now: Date): Promise<boolean> {
    const open = update.openConversation;
    return applyEffects(
      this.db,
      [
        { kind: 'updateSurvey', id: update.id, version: update.version, change: { ...update.change, claimedUntil: null } },
        ...update.outbox.map((message) => ({ kind: 'enqueue' as const, message })),
        // Only an idle conversation; the version bump makes every process's cached copy stale.
        ...(open ? [{ kind: 'moveConversation' as const, channel: open.channel, chatId: open.chatId, fromPrefix: IDLE_STATE_PREFIX, to: open.state }] : []),
      ],
      now,
    );
  }
}
