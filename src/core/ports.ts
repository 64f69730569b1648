/**
 * What the dialogue core needs from storage, as an interface: the Prisma store implements it,
 * unit tests can pass a fake. Flows read through it; writes are collected as effects and
 * committed in one transaction with the inbound message and the new conversation state.
 */
import type { Grade } from '../domain/complaints/grade.ts';
import type { Level } from '../domain/complaints/deadlines.ts';
import type { Role } from '../domain/complaints/permissions.ts';
import type { OutboxMessage } from '../outbox/types.ts';
import type { Period } from '../domain/reports/period.ts';
import type { CallbackRow, ComplaintRecordRow, ReportFigures } from '../reports/types.ts';
import type { Channel } from './types.ts';
import type { Salutation } from './state.ts';

export const ACTIVE_STATUSES = ['requested', 'confirmed', 'assigned'] as const;
export type BookingStatus = (typeof ACTIVE_STATUSES)[number] | 'completed' | 'cancelled';

export interface CustomerProfile {
  id: number;
  name: string | null;
  salutation: Salutation | null;
  phone: string | null;
  address: string | null;
}

export interface ConversationRecord {
  id: number;
  version: number;
  state: string;
  locale: string;
  customer: CustomerProfile;
}

export interface BookingView {
  id: number;
  number: string;
  customerId: number;
  serviceCode: string;
  serviceName: string;
  start: Date;
  status: BookingStatus;
}

export interface NewBooking {
  number: string;
  customerId: number;
  serviceCode: string;
  serviceName: string;
  start: Date;
  address: string;
  contactName: string;
  salutation: Salutation;
  phone: string;
  frequency: string;
  priceFen: number;
  unit: string;
  confirmKey: string;
}

export type ComplaintStatus = 'open' | 'claimed' | 'resolved' | 'invalid' | 'closed';

/** A complaint as flows and the watcher see it. */
export interface ComplaintView {
  id: number;
  number: string;
  version: number;
  customerId: number;
  channel: Channel;
  chatId: string;
  locale: string;
  receivedAt: Date;
  customerName: string;
  salutation: string | null;
  phone: string | null;
  address: string | null;
  content: string;
  category: string;
  matter: string;
  hadLoss: boolean;
  lossYuan: number | null;
  priorCount: number;
  grade: Grade;
  groupFlag: boolean;
  status: ComplaintStatus;
  valid: boolean | null;
  level: Level;
  forwardedAt: Date | null;
  claimedAt: Date | null;
  claimedBy: number | null;
  handler: string | null;
  answeredAt: Date | null;
  resolvedAt: Date | null;
  callbackAt: Date | null;
  solved: boolean | null;
  satisfied: boolean | null;
  upgradedAt: Date | null;
  escalatedFor: string | null;
  booking: { number: string; serviceName: string; start: Date } | null;
}

/** The fields a new complaint is created with: those of the view it will be, and who recorded it. */
export type NewComplaint = Pick<
  ComplaintView,
  | 'number' | 'customerId' | 'channel' | 'chatId' | 'locale' | 'receivedAt' | 'customerName' | 'salutation' | 'phone' | 'address'
  | 'content' | 'category' | 'matter' | 'hadLoss' | 'lossYuan' | 'priorCount' | 'grade' | 'groupFlag' | 'level'
> & { bookingId: number | null; recorder: string; forwardedAt: Date; nextDeadlineAt: Date | null };

/** A line of a complaint's history: who did what, when and why. */
export interface ComplaintEventInput {
  at: Date;
  actor: string;
  kind: string;
  fromGrade?: Grade;
  toGrade?: Grade;
  note?: string;
}

export type ComplaintChange = Partial<
  Pick<
    ComplaintView,
    'grade' | 'status' | 'valid' | 'level' | 'claimedAt' | 'claimedBy' | 'handler' | 'answeredAt' | 'resolvedAt' | 'callbackAt' | 'solved' | 'satisfied' | 'upgradedAt' | 'escalatedFor' | 'groupFlag'
  > & { resolution: string; invalidReason: string; departmentOpinion: string; callbackBy: string; nextDeadlineAt: Date | null }
>;

export type SurveyStatus = 'scheduled' | 'sent' | 'reminded' | 'answered' | 'phone' | 'declined';

/** A callback survey of one completed visit (DOMAIN §3). */
export interface SurveyView {
  id: number;
  version: number;
  bookingId: number;
  visit: number;
  customerId: number;
  channel: Channel;
  chatId: string;
  locale: string;
  completedAt: Date;
  status: SurveyStatus;
  dueAt: Date | null;
  sentAt: Date | null;
  remindedAt: Date | null;
  identityOk: boolean | null;
  overall: string | null;
  quality: string | null;
  timeliness: string | null;
  comment: string | null;
  answeredAt: Date | null;
  complaintNumber: string | null;
  booking: { number: string; serviceCode: string; serviceName: string; start: Date; contactName: string; salutation: string; phone: string; address: string };
}

export type SurveyChange = Partial<
  Pick<SurveyView, 'status' | 'dueAt' | 'sentAt' | 'remindedAt' | 'identityOk' | 'overall' | 'quality' | 'timeliness' | 'comment' | 'answeredAt' | 'complaintNumber'> & {
    phoneAt: Date;
    confirmedAt: Date;
    overallAt: Date;
    qualityAt: Date;
    timelinessAt: Date;
    commentAt: Date;
    answeredBy: string;
    /** A sweep's claim (src/store/survey-store.ts); cleared by the change the sweep applies. */
    claimedUntil: Date | null;
  }
>;

/** A booking as staff see it when marking a visit done. */
export interface StaffBookingView extends BookingView {
  frequency: string;
  visits: number;
  channelOfCustomer: Channel | null;
  chatIdOfCustomer: string | null;
  localeOfCustomer: string;
  contactName: string;
  salutation: string;
}

export interface StaffView {
  id: number;
  role: Role;
  displayName: string | null;
}

/** A write decided by a flow, applied atomically with the turn. */
export type Effect =
  | { kind: 'createBooking'; booking: NewBooking }
  | { kind: 'cancelBooking'; bookingId: number; customerId: number; at: Date }
  | { kind: 'moveBooking'; bookingId: number; customerId: number; start: Date }
  | {
      kind: 'updateCustomer';
      customerId: number;
      data: Partial<Pick<CustomerProfile, 'name' | 'salutation' | 'phone' | 'address'>>;
    }
  | { kind: 'createComplaint'; complaint: NewComplaint; events: ComplaintEventInput[] }
  /** Applies only if the complaint is still at `version`; otherwise the turn is recomputed. */
  | { kind: 'updateComplaint'; id: number; version: number; change: ComplaintChange; events: ComplaintEventInput[] }
  | { kind: 'flagGroup'; matter: string; since: Date }
  | { kind: 'enqueue'; message: OutboxMessage }
  | { kind: 'joinStaff'; channel: Channel; userId: string; displayName?: string; role: Role }
  /** Records a completed visit (only if `visits` still matches) and schedules its survey. */
  | {
      kind: 'completeVisit';
      bookingId: number;
      visits: number;
      completed: boolean;
      survey: { customerId: number; channel: Channel; chatId: string; locale: string; completedAt: Date; completedBy: string; dueAt: Date };
    }
  /** Applies only if the survey is still at `version`. */
  | { kind: 'updateSurvey'; id: number; version: number; change: SurveyChange }
  | { kind: 'confirmVisit'; bookingId: number; visit: number; at: Date };

export interface InboundKey {
  channel: Channel;
  messageId: string;
  chatId: string;
  userId: string;
  kind: 'text' | 'action';
  at: Date;
}

/** Why a turn could not be committed; the core retries or drops the turn accordingly. */
export class TurnConflict extends Error {
  constructor(
    readonly reason: 'duplicate' | 'stale' | 'number_taken',
    options?: { cause?: unknown },
  ) {
    super(`turn not committed: ${reason}`, options);
    this.name = 'TurnConflict';
  }
}

export interface CoreStore {
  /** The conversation of a chat, created with its customer on first contact. */
  conversation(opts: {
    channel: Channel;
    chatId: string;
    userId: string;
    displayName?: string;
    locale: string;
  }): Promise<ConversationRecord>;
  /**
   * Records the inbound message, the new state (if `version` still matches) and the effects, all
   * or nothing.
   * @throws TurnConflict `duplicate` when the message was already handled, `stale` when another
   *   process moved the conversation or a booking first, `number_taken` on a booking-number clash.
   */
  commitTurn(opts: {
    inbound: InboundKey;
    conversationId: number;
    version: number;
    state: string;
    locale: string;
    effects: Effect[];
    /** The turn's clock reading (outbox rows are due from it). */
    now: Date;
  }): Promise<void>;
  /** The customer's bookings that have not happened yet and are not cancelled, soonest first. */
  upcomingBookings(customerId: number, now: Date): Promise<BookingView[]>;
  /** One of the customer's bookings; undefined if it does not exist or is someone else's. */
  customerBooking(customerId: number, bookingId: number): Promise<BookingView | undefined>;
  /** Bookings a complaint may be about: not cancelled, from 30 days ago on, most recent first. */
  complaintBookings(customerId: number, now: Date): Promise<BookingView[]>;
  /** A complaint by its number. */
  complaint(number: string): Promise<ComplaintView | undefined>;
  /** The customer's most recent complaints, newest first. */
  customerComplaints(customerId: number, limit: number): Promise<ComplaintView[]>;
  /** The staff member behind a platform identity, if they joined. */
  staff(channel: Channel, userId: string): Promise<StaffView | undefined>;
  /** A survey by id. */
  survey(id: number): Promise<SurveyView | undefined>;
  /** The contact phone of a booking, for staff making a callback. */
  bookingPhone(bookingId: number): Promise<string | undefined>;
  /** A booking by number, for staff (any customer's). */
  staffBooking(number: string): Promise<StaffBookingView | undefined>;
  staffBookingById(id: number): Promise<StaffBookingView | undefined>;
  /** Active bookings whose visit has started by `now`, most recent first (to mark done). */
  bookingsToComplete(now: Date, limit: number): Promise<StaffBookingView[]>;
  /** Report figures of a period, computed in the database (DOMAIN §4). */
  reportFigures(period: Period, previous?: Period): Promise<ReportFigures>;
  complaintRows(period: Period): Promise<ComplaintRecordRow[]>;
  callbackRows(period: Period): Promise<CallbackRow[]>;
  /** Who complained about one matter since a time (for the group flag). */
  matterComplaints(matter: string, since: Date): Promise<{ customerId: number; receivedAt: Date }[]>;
}
