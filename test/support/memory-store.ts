/**
 * An in-memory CoreStore (src/core/ports.ts) for fast unit tests of the conversation flows: no
 * database, no migrations, one object per test. It keeps the Prisma store's turn semantics
 * (src/store/core-store.ts): a turn records its inbound message, the new conversation state and
 * its effects all or nothing; a moved conversation version or a conditional effect whose row
 * changed is `TurnConflict('stale')`, a message seen before is `'duplicate'`, and a clash of a
 * unique booking or complaint number is `'number_taken'`. Outbox rows are kept, deduplicated by
 * key, for assertions; nothing sends them.
 *
 * Not covered: the report queries (figures and sheet rows are computed in SQL; use the database
 * tests in test/core/report.test.ts), which throw.
 */
import { ACTIVE_STATUSES } from '../../src/contracts/records.ts';
import type {
  HandoverOwner,
  HandoverView,
  BookingStatus,
  BookingView,
  CompletedVisit,
  ComplaintEventInput,
  ComplaintView,
  ConversationRecord,
  CustomerFile,
  CustomerProfile,
  Effect,
  OpenQuestions,
  JoinResult,
  NewBooking,
  Role,
  StaffBookingView,
  StaffMemberView,
  StaffContact,
  StaffView,
  SurveyChange,
  WorkerChoice,
  WorkOrderView,
  SurveyView,
} from '../../src/contracts/records.ts';
import type { Channel } from '../../src/contracts/messages.ts';
import { visitDisputeKey, type OutboxMessage } from '../../src/contracts/outbox.ts';
import type { CallbackRow, ComplaintRecordRow, ReportFigures, ReportPeriod } from '../../src/contracts/reports.ts';
import type { CoreStore } from '../../src/core/ports.ts';
import { TurnConflict } from '../../src/lib/errors.ts';

export interface MemoryCustomer extends CustomerProfile {
  channel: Channel;
  platformUserId: string;
  displayName: string | null;
  locale: string;
}

export interface MemoryConversation {
  id: number;
  channel: Channel;
  chatId: string;
  customerId: number;
  state: string;
  locale: string;
  version: number;
}

export interface MemoryBooking extends NewBooking {
  id: number;
  status: BookingStatus;
  visits: number;
  cancelledAt: Date | null;
}

/** A complaint as stored: its view's fields (the booking looked up on read) and the rest. */
export interface MemoryComplaint extends Omit<ComplaintView, 'booking'> {
  bookingId: number | null;
  recorder: string;
  nextDeadlineAt: Date | null;
  resolution: string | null;
  invalidReason: string | null;
  departmentOpinion: string | null;
  callbackBy: string | null;
  events: ComplaintEventInput[];
}

/** A survey as stored: its view's fields (the booking looked up on read) and the rest. */
export interface MemorySurvey extends Omit<SurveyView, 'booking'>, Omit<SurveyChange, keyof SurveyView> {
  completedBy: string;
}

export interface MemoryStaff extends StaffView {
  channel: Channel;
  platformUserId: string;
  joinedAt: Date;
  revokedAt: Date | null;
}

/** A recorded `/join` attempt. */
export interface MemoryJoinAttempt {
  channel: Channel;
  userId: string;
  chatId: string;
  result: JoinResult;
  at: Date;
}

/** An outbox row: the message and when it is due (its `notBefore`, or the turn's time). */
export interface MemoryOutboxRow extends OutboxMessage {
  dueAt: Date;
}

/** Everything the store holds; tests read it directly to check what a turn wrote. */
export interface MemoryRecords {
  customers: MemoryCustomer[];
  conversations: MemoryConversation[];
  /** `channel\0messageId` of every recorded inbound message. */
  inbound: string[];
  bookings: MemoryBooking[];
  complaints: MemoryComplaint[];
  surveys: MemorySurvey[];
  staff: MemoryStaff[];
  joinAttempts: MemoryJoinAttempt[];
  outbox: MemoryOutboxRow[];
  handovers: HandoverView[];
  nextId: number;
}

/** An effect whose row is gone or changed: the Prisma store's P2025, a stale turn. */
class RowChanged extends Error {}
/** A unique booking or complaint number (or confirm key) taken. */
class UniqueTaken extends Error {}

const isActive = (status: BookingStatus) => (ACTIVE_STATUSES as readonly string[]).includes(status);

/** The in-memory CoreStore: pass it as DialogueCore's `store`, read `records` to assert. */
export class MemoryCoreStore implements CoreStore {
  records: MemoryRecords = { customers: [], conversations: [], inbound: [], bookings: [], complaints: [], surveys: [], staff: [], joinAttempts: [], outbox: [], handovers: [], nextId: 1 };
  /** How many turns were committed and refused, by reason. */
  readonly turns = { committed: 0, duplicate: 0, stale: 0, number_taken: 0 };

  #id(): number {
    return this.records.nextId++;
  }

  async conversation(opts: Parameters<CoreStore['conversation']>[0]): Promise<ConversationRecord> {
    let customer = this.records.customers.find((c) => c.channel === opts.channel && c.platformUserId === opts.userId);
    if (!customer) {
      customer = {
        id: this.#id(),
        channel: opts.channel,
        platformUserId: opts.userId,
        displayName: opts.displayName ?? null,
        locale: opts.locale,
        name: null,
        salutation: null,
        phone: null,
        address: null,
      };
      this.records.customers.push(customer);
    }
    let conversation = this.records.conversations.find((c) => c.channel === opts.channel && c.chatId === opts.chatId);
    if (!conversation) {
      conversation = { id: this.#id(), channel: opts.channel, chatId: opts.chatId, customerId: customer.id, state: '{"flow":"idle"}', locale: opts.locale, version: 0 };
      this.records.conversations.push(conversation);
    }
    // A chat created by another identity earlier: the conversation's own customer counts.
    const owner = this.records.customers.find((c) => c.id === conversation.customerId)!;
    return {
      id: conversation.id,
      version: conversation.version,
      state: conversation.state,
      locale: conversation.locale,
      customer: { id: owner.id, name: owner.name, salutation: owner.salutation, phone: owner.phone, address: owner.address },
    };
  }

  async commitTurn(opts: Parameters<CoreStore['commitTurn']>[0]): Promise<void> {
    const conflict = this.#commit(opts);
    if (conflict) {
      this.turns[conflict] += 1;
      throw new TurnConflict(conflict);
    }
    this.turns.committed += 1;
  }

  /** Applies a turn to a copy and keeps the copy only if every write succeeded. */
  #commit(opts: Parameters<CoreStore['commitTurn']>[0]): TurnConflict['reason'] | undefined {
    const draft = structuredClone(this.records);
    const conversation = draft.conversations.find((c) => c.id === opts.conversationId);
    // The version guard comes first, as in the Prisma store's insert.
    if (!conversation || conversation.version !== opts.version) return 'stale';
    const key = `${opts.inbound.channel}\0${opts.inbound.messageId}`;
    if (draft.inbound.includes(key)) return 'duplicate';
    draft.inbound.push(key);
    conversation.state = opts.state;
    conversation.locale = opts.locale;
    conversation.version += 1;
    try {
      for (const effect of opts.effects) apply(draft, effect, opts.now);
    } catch (error) {
      if (error instanceof RowChanged) return 'stale';
      if (error instanceof UniqueTaken) return 'number_taken';
      throw error;
    }
    this.records = draft;
    return undefined;
  }

  async upcomingBookings(customerId: number, now: Date): Promise<BookingView[]> {
    return this.records.bookings
      .filter((b) => b.customerId === customerId && isActive(b.status) && b.start > now)
      .sort((a, b) => a.start.getTime() - b.start.getTime())
      .slice(0, 10)
      .map(bookingView);
  }

  async customerBooking(customerId: number, bookingId: number): Promise<BookingView | undefined> {
    const booking = this.records.bookings.find((b) => b.id === bookingId && b.customerId === customerId);
    return booking && bookingView(booking);
  }

  async complaintBookings(customerId: number, now: Date): Promise<BookingView[]> {
    const from = now.getTime() - 30 * 86_400_000;
    return this.records.bookings
      .filter((b) => b.customerId === customerId && b.status !== 'cancelled' && b.start.getTime() >= from)
      .sort((a, b) => b.start.getTime() - a.start.getTime())
      .slice(0, 5)
      .map(bookingView);
  }

  async complaint(number: string): Promise<ComplaintView | undefined> {
    const complaint = this.records.complaints.find((c) => c.number === number);
    return complaint && this.#complaintView(complaint);
  }

  async handover(number: string): Promise<HandoverView | undefined> {
    const found = this.records.handovers.find((h) => h.number === number);
    return found ? { ...found } : undefined;
  }

  /** Platform message ids exist only once a platform sent something: none in memory. */
  async handoverByRef(): Promise<string | undefined> {
    return undefined;
  }

  async handoverPostRef(): Promise<string | undefined> {
    return undefined;
  }

  async handoverOwner(customerId: number, since: Date): Promise<HandoverOwner | undefined> {
    const last = this.records.handovers
      .filter((h) => h.customerId === customerId && h.claimedAt && h.claimedAt >= since && h.claimedBy !== null)
      .sort((a, b) => (b.claimedAt?.getTime() ?? 0) - (a.claimedAt?.getTime() ?? 0))[0];
    const staff = last ? this.records.staff.find((m) => m.id === last.claimedBy && !m.revokedAt) : undefined;
    return last && staff ? { staffId: staff.id, name: last.handler ?? '', channel: staff.channel, userId: staff.platformUserId } : undefined;
  }

  async claimedHandovers(staffId: number, limit: number): Promise<HandoverView[]> {
    return this.records.handovers.filter((h) => h.claimedBy === staffId && h.status === 'live').slice(0, limit);
  }

  async customerComplaints(customerId: number, limit: number): Promise<ComplaintView[]> {
    return this.records.complaints
      .filter((c) => c.customerId === customerId)
      .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime())
      .slice(0, limit)
      .map((c) => this.#complaintView(c));
  }

  async staff(channel: Channel, userId: string): Promise<StaffView | undefined> {
    const member = this.records.staff.find((s) => s.channel === channel && s.platformUserId === userId && !s.revokedAt);
    return member && { id: member.id, role: member.role, displayName: member.displayName };
  }

  async staffMembers(): Promise<StaffMemberView[]> {
    return this.records.staff
      .filter((s) => !s.revokedAt)
      .map((s) => ({ id: s.id, role: s.role, displayName: s.displayName, channel: s.channel, joinedAt: s.joinedAt }));
  }

  async joinFailures(opts: { channel: Channel; userId: string; chatId?: string; since: Date }): Promise<{ user: Date[]; chat: Date[] }> {
    const failed = this.records.joinAttempts.filter((a) => a.channel === opts.channel && a.result === 'wrong_code' && a.at >= opts.since);
    return {
      user: failed.filter((a) => a.userId === opts.userId).map((a) => a.at),
      chat: opts.chatId === undefined ? [] : failed.filter((a) => a.chatId === opts.chatId).map((a) => a.at),
    };
  }

  async openMatters(customerId: number): Promise<{ bookings: number; complaints: number }> {
    return {
      bookings: this.records.bookings.filter((b) => b.customerId === customerId && isActive(b.status)).length,
      complaints: this.records.complaints.filter((c) => c.customerId === customerId && (c.status === 'open' || c.status === 'claimed')).length,
    };
  }

  async completedVisit(customerId: number, bookingId: number, visit: number): Promise<CompletedVisit | undefined> {
    const booking = this.records.bookings.find((b) => b.id === bookingId && b.customerId === customerId);
    const survey = this.records.surveys.find((s) => s.bookingId === bookingId && s.visit === visit);
    if (!booking || !survey) return undefined;
    const disputed = this.records.outbox.some((row) => row.dedupeKey === visitDisputeKey(bookingId, visit));
    return { surveyId: survey.id, bookingId, number: booking.number, visit, confirmedAt: survey.confirmedAt ?? null, disputed };
  }

  async openQuestions(customerId: number, visitsSince: Date): Promise<OpenQuestions> {
    const newest = <T>(rows: T[], at: (row: T) => Date) => rows.sort((a, b) => at(b).getTime() - at(a).getTime()).slice(0, 5);
    const callbacks = newest(
      this.records.complaints.filter((c) => c.customerId === customerId && c.status === 'resolved' && c.callbackAt === null),
      (c) => c.resolvedAt ?? c.receivedAt,
    ).map((c) => this.#complaintView(c));
    const mine = newest(
      this.records.surveys.filter((s) => this.records.bookings.some((b) => b.id === s.bookingId && b.customerId === customerId)),
      (s) => s.completedAt,
    );
    const visits = mine
      .filter((s) => !s.confirmedAt && s.completedAt >= visitsSince && s.status === 'scheduled')
      .filter((s) => !this.records.outbox.some((row) => row.dedupeKey === visitDisputeKey(s.bookingId, s.visit)))
      .map((s) => ({ surveyId: s.id, bookingId: s.bookingId, number: this.records.bookings.find((b) => b.id === s.bookingId)!.number, visit: s.visit, confirmedAt: null, disputed: false, completedAt: s.completedAt }));
    const surveys = await Promise.all(mine.filter((s) => s.status === 'sent' || s.status === 'reminded').map((s) => this.survey(s.id)));
    return { callbacks, visits, surveys: surveys.filter((s): s is SurveyView => s !== undefined) };
  }

  async survey(id: number): Promise<SurveyView | undefined> {
    const survey = this.records.surveys.find((s) => s.id === id);
    if (!survey) return undefined;
    const booking = this.records.bookings.find((b) => b.id === survey.bookingId)!;
    const { completedBy: _by, phoneAt: _p, overallAt: _o, qualityAt: _q, timelinessAt: _t, commentAt: _m, answeredBy: _a, claimedUntil: _u, ...view } = survey;
    return {
      ...view,
      confirmedAt: survey.confirmedAt ?? null,
      booking: {
        number: booking.number,
        serviceCode: booking.serviceCode,
        serviceName: booking.serviceName,
        start: booking.start,
        contactName: booking.contactName,
        salutation: booking.salutation,
        phone: booking.phone,
        address: booking.address,
      },
    };
  }

  async bookingPhone(bookingId: number): Promise<string | undefined> {
    return this.records.bookings.find((b) => b.id === bookingId)?.phone;
  }

  async staffBooking(number: string): Promise<StaffBookingView | undefined> {
    const booking = this.records.bookings.find((b) => b.number === number);
    return booking && this.#staffBooking(booking);
  }

  async staffBookingById(id: number): Promise<StaffBookingView | undefined> {
    const booking = this.records.bookings.find((b) => b.id === id);
    return booking && this.#staffBooking(booking);
  }

  async bookingsToComplete(now: Date, limit: number): Promise<StaffBookingView[]> {
    return this.records.bookings
      .filter((b) => isActive(b.status) && b.start <= now)
      .sort((a, b) => b.start.getTime() - a.start.getTime())
      .slice(0, limit)
      .map((b) => this.#staffBooking(b));
  }

  // Work orders are not kept here (see `apply`): none is found.
  async workOrder(_bookingNumber: string): Promise<WorkOrderView | undefined> {
    return undefined;
  }

  async staffContact(_id: number): Promise<StaffContact | undefined> {
    return undefined;
  }

  async workers(_opts: { department: string | null; from: Date; to: Date }): Promise<WorkerChoice[]> {
    return [];
  }

  async jobs(_workerId: number, _from: Date, _to: Date): Promise<WorkOrderView[]> {
    return [];
  }

  async customerFile(_number: string): Promise<CustomerFile | undefined> {
    return undefined;
  }

  async matterComplaints(matter: string, since: Date): Promise<{ customerId: number; receivedAt: Date }[]> {
    return this.records.complaints.filter((c) => c.matter === matter && c.receivedAt >= since).map((c) => ({ customerId: c.customerId, receivedAt: c.receivedAt }));
  }

  reportFigures(_period: ReportPeriod, _previous: ReportPeriod | undefined, _now: Date): Promise<ReportFigures> {
    return Promise.reject(new Error('MemoryCoreStore has no report queries: use a database test'));
  }

  complaintRows(_period: ReportPeriod): Promise<ComplaintRecordRow[]> {
    return Promise.reject(new Error('MemoryCoreStore has no report queries: use a database test'));
  }

  callbackRows(_period: ReportPeriod): Promise<CallbackRow[]> {
    return Promise.reject(new Error('MemoryCoreStore has no report queries: use a database test'));
  }

  #complaintView(complaint: MemoryComplaint): ComplaintView {
    const { bookingId, recorder: _r, nextDeadlineAt: _n, resolution: _s, invalidReason: _i, departmentOpinion: _d, callbackBy: _c, events: _e, ...view } = complaint;
    const booking = bookingId === null ? undefined : this.records.bookings.find((b) => b.id === bookingId);
    return { ...view, booking: booking ? { number: booking.number, serviceName: booking.serviceName, start: booking.start } : null };
  }

  #staffBooking(booking: MemoryBooking): StaffBookingView {
    const customer = this.records.customers.find((c) => c.id === booking.customerId)!;
    const chat = this.records.conversations.filter((c) => c.customerId === booking.customerId).sort((a, b) => a.id - b.id)[0];
    return {
      ...bookingView(booking),
      frequency: booking.frequency,
      visits: booking.visits,
      contactName: booking.contactName,
      salutation: booking.salutation,
      channelOfCustomer: chat?.channel ?? null,
      chatIdOfCustomer: chat?.chatId ?? null,
      localeOfCustomer: chat?.locale ?? customer.locale,
    };
  }
}

function bookingView(b: MemoryBooking): BookingView {
  return { id: b.id, number: b.number, customerId: b.customerId, serviceCode: b.serviceCode, serviceName: b.serviceName, start: b.start, status: b.status, frequency: b.frequency };
}

/** One effect on the draft records, as writeEffect in src/store/core-store.ts does it in SQL. */
function apply(records: MemoryRecords, effect: Effect, now: Date): void {
  const id = () => records.nextId++;
  const activeBooking = (bookingId: number, customerId: number) => {
    const booking = records.bookings.find((b) => b.id === bookingId && b.customerId === customerId && isActive(b.status));
    if (!booking) throw new RowChanged();
    return booking;
  };
  switch (effect.kind) {
    case 'createBooking': {
      const { booking } = effect;
      if (records.bookings.some((b) => b.number === booking.number || b.confirmKey === booking.confirmKey)) throw new UniqueTaken();
      records.bookings.push({ ...booking, id: id(), status: 'confirmed', visits: 0, cancelledAt: null });
      return;
    }
    case 'cancelBooking': {
      const booking = activeBooking(effect.bookingId, effect.customerId);
      booking.status = 'cancelled';
      booking.cancelledAt = effect.at;
      return;
    }
    case 'moveBooking':
      activeBooking(effect.bookingId, effect.customerId).start = effect.start;
      return;
    case 'updateCustomer': {
      const customer = records.customers.find((c) => c.id === effect.customerId);
      if (!customer) throw new RowChanged();
      Object.assign(customer, effect.data);
      return;
    }
    case 'createComplaint': {
      const { complaint } = effect;
      if (records.complaints.some((c) => c.number === complaint.number)) throw new UniqueTaken();
      records.complaints.push({
        ...complaint,
        id: id(),
        version: 0,
        status: 'open',
        valid: null,
        claimedAt: null,
        claimedBy: null,
        handler: null,
        answeredAt: null,
        resolvedAt: null,
        callbackAt: null,
        solved: null,
        satisfied: null,
        upgradedAt: null,
        escalatedFor: null,
        resolution: null,
        invalidReason: null,
        departmentOpinion: null,
        callbackBy: null,
        events: [...effect.events],
      });
      return;
    }
    case 'updateComplaint': {
      const complaint = records.complaints.find((c) => c.id === effect.id && c.version === effect.version);
      if (!complaint) throw new RowChanged();
      Object.assign(complaint, effect.change);
      complaint.version += 1;
      complaint.events.push(...effect.events);
      return;
    }
    case 'flagGroup':
      for (const c of records.complaints) if (c.matter === effect.matter && c.receivedAt >= effect.since) c.groupFlag = true;
      return;
    case 'enqueue':
      // ON CONFLICT ("dedupeKey") DO NOTHING: a repeated decision enqueues once.
      if (!records.outbox.some((row) => row.dedupeKey === effect.message.dedupeKey)) records.outbox.push({ ...effect.message, dueAt: effect.message.notBefore ?? now });
      return;
    case 'dropOutbox':
      // Every kept row is pending here (nothing sends them).
      records.outbox = records.outbox.filter((row) => !(row.channel === effect.channel && row.chatId === effect.chatId && row.dedupeKey.startsWith(effect.dedupeKeyPrefix)));
      return;
    case 'joinStaff': {
      const member = records.staff.find((s) => s.channel === effect.channel && s.platformUserId === effect.userId);
      if (member) {
        member.role = effect.role;
        member.displayName = effect.displayName ?? null;
        member.revokedAt = null;
      } else {
        records.staff.push({
          id: id(),
          channel: effect.channel,
          platformUserId: effect.userId,
          role: effect.role as Role,
          displayName: effect.displayName ?? null,
          joinedAt: now,
          revokedAt: null,
        });
      }
      return;
    }
    case 'joinAttempt':
      records.joinAttempts.push({ channel: effect.channel, userId: effect.userId, chatId: effect.chatId, result: effect.result, at: effect.at });
      return;
    case 'revokeStaff': {
      const member = records.staff.find((s) => s.id === effect.staffId && !s.revokedAt);
      if (!member) throw new RowChanged();
      member.revokedAt = effect.at;
      return;
    }
    case 'completeVisit': {
      const booking = records.bookings.find((b) => b.id === effect.bookingId && b.visits === effect.visits && isActive(b.status));
      if (!booking) throw new RowChanged();
      const visit = effect.visits + 1;
      if (records.surveys.some((s) => s.bookingId === booking.id && s.visit === visit)) throw new RowChanged();
      booking.visits = visit;
      if (effect.completed) booking.status = 'completed';
      const { survey } = effect;
      records.surveys.push({
        id: id(),
        version: 0,
        bookingId: booking.id,
        visit,
        customerId: survey.customerId,
        channel: survey.channel,
        chatId: survey.chatId,
        locale: survey.locale,
        completedAt: survey.completedAt,
        completedBy: survey.completedBy,
        dueAt: survey.dueAt,
        status: 'scheduled',
        sentAt: null,
        remindedAt: null,
        confirmedAt: null,
        identityOk: null,
        overall: null,
        quality: null,
        timeliness: null,
        comment: null,
        answeredAt: null,
        complaintNumber: null,
      });
      return;
    }
    case 'updateSurvey': {
      const survey = records.surveys.find((s) => s.id === effect.id && s.version === effect.version);
      if (!survey) throw new RowChanged();
      Object.assign(survey, effect.change);
      survey.version += 1;
      return;
    }
    case 'eraseCustomer':
      // The database store's erasure (src/store/erasure.ts) is tested end to end in test/core/erase.test.ts.
      throw new Error('MemoryCoreStore does not erase customers; use the database harness');
    case 'createHandover':
      if (records.handovers.some((h) => h.number === effect.handover.number)) throw new UniqueTaken();
      records.handovers.push({ ...effect.handover, id: id(), version: 0, status: 'waiting', claimedAt: null, claimedBy: null, handler: null, endedAt: null, endedBy: null });
      return;
    case 'updateHandover': {
      const handover = records.handovers.find((h) => h.id === effect.id && h.version === effect.version);
      if (!handover) throw new RowChanged();
      Object.assign(handover, effect.change);
      handover.version += 1;
      return;
    }
    case 'touchHandover':
      for (const h of records.handovers) if (h.id === effect.id && h.status !== 'ended') h.lastActivityAt = effect.at;
      return;
    case 'moveConversation':
      for (const c of records.conversations) {
        if (c.channel === effect.channel && c.chatId === effect.chatId && c.state.startsWith(effect.fromPrefix)) {
          c.state = effect.to;
          c.version += 1;
        }
      }
      return;
    case 'confirmVisit':
      for (const s of records.surveys) if (s.bookingId === effect.bookingId && s.visit === effect.visit && !s.confirmedAt) s.confirmedAt = effect.at;
      return;
    case 'createWorkOrder':
    case 'updateWorkOrder':
    case 'assignBooking':
      // Work orders are tested on the database (test/core/workorder-flow.test.ts); here they are not kept.
      return;
  }
}
