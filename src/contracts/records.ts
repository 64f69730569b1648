/**
 * The records as every layer sees them: views the store returns, the changes flows and sweeps
 * decide (`Effect`), and the small vocabularies they are written in (grades, levels, roles,
 * salutations). The store implements the interfaces its callers declare in these terms.
 */
import type { OutboxMessage } from './outbox.ts';
import type { Channel } from './messages.ts';

/** Complaint grades (DOMAIN §2 Grade): 重大, 重要, 轻微, most serious first. */
export const GRADES = ['major', 'important', 'minor'] as const;
export type Grade = (typeof GRADES)[number];

/** Escalation levels, lowest first (DOMAIN §2 Escalation): 接口人, 部门负责人, 总经理/园总. */
export const LEVELS = ['contact', 'department_head', 'general_manager'] as const;
export type Level = (typeof LEVELS)[number];

/** Staff roles an invite code grants (DOMAIN §5). */
export const ROLES = ['front_desk', 'on_site', 'department_head', 'general_manager'] as const;
export type Role = (typeof ROLES)[number];

export const SALUTATIONS = ['先生', '女士'] as const;
export type Salutation = (typeof SALUTATIONS)[number];

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
  /** "once", "weekly:N", "biweekly" or "monthly" (DOMAIN §1 Frequency). */
  frequency: string;
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
  /** The customer confirmed the visit was completed (the survey starts after it, DOMAIN §3). */
  confirmedAt: Date | null;
  identityOk: boolean | null;
  overall: string | null;
  quality: string | null;
  timeliness: string | null;
  comment: string | null;
  answeredAt: Date | null;
  complaintNumber: string | null;
  booking: { number: string; serviceCode: string; serviceName: string; start: Date; contactName: string; salutation: string; phone: string; address: string };
  /** The customer blocked the bot on the survey's platform (Customer.unreachableAt): phone instead. */
  customerUnreachable?: boolean;
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
    /** A sweep's claim (src/store/surveys.ts); cleared by the change the sweep applies. */
    claimedUntil: Date | null;
  }
>;

/** A visit staff marked completed, as its customer may confirm or dispute it. */
export interface CompletedVisit {
  /** The visit's survey. */
  surveyId: number;
  bookingId: number;
  number: string;
  visit: number;
  confirmedAt: Date | null;
  /** The front desk was already told this visit was not done. */
  disputed: boolean;
}

/**
 * The questions the bot sent a customer as notices that are still open, read from the records so
 * an answer in words is taken any time until the question is answered or expires: a resolved
 * complaint's callback (问题解决了吗？, then 满意吗？), a completed visit to confirm, a survey under way.
 */
export interface OpenQuestions {
  /** Resolved complaints not called back yet, newest first. */
  callbacks: ComplaintView[];
  /** Completed visits neither confirmed nor disputed, completed since the `since` passed, newest first. */
  visits: (CompletedVisit & { completedAt: Date })[];
  /** Surveys sent or reminded and not finished, newest first. */
  surveys: SurveyView[];
}

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
  /** The department's code (company file), when they named one at `/join`. */
  department?: string | null;
}

/** Work order statuses (DOMAIN §1 Work order), in the order a visit goes through them. */
export type WorkOrderStatus = 'open' | 'assigned' | 'accepted' | 'arrived' | 'fee_pending' | 'fee_disputed' | 'completed' | 'cancelled';

/** The customer's answer to a late notice (seed 002 约定时间 3). */
export type Reconfirm = 'pending' | 'kept' | 'moved' | 'cancelled' | 'escalated';

/** A staff member who can be reached in a private chat with the bot (an assigned worker). */
export interface StaffContact extends StaffView {
  channel: Channel;
  platformUserId: string;
}

/** A work order with its booking, as the front desk, the worker and the customer see it. */
export interface WorkOrderView {
  id: number;
  version: number;
  department: string | null;
  status: WorkOrderStatus;
  worker: StaffContact | null;
  assignedAt: Date | null;
  acceptedAt: Date | null;
  visitStart: Date;
  lateUntil: Date | null;
  lateFrom: Date | null;
  reconfirm: Reconfirm | null;
  reconfirmDueAt: Date | null;
  arrivedAt: Date | null;
  actualWork: string | null;
  actualFeeFen: number | null;
  remindedAt: Date | null;
  lateLoggedAt: Date | null;
  booking: StaffBookingView & { address: string; phone: string; priceFen: number; unit: string; customerId: number };
}

export type WorkOrderChange = Partial<
  Pick<WorkOrderView, 'status' | 'assignedAt' | 'acceptedAt' | 'visitStart' | 'lateUntil' | 'lateFrom' | 'reconfirm' | 'reconfirmDueAt' | 'arrivedAt' | 'actualWork' | 'actualFeeFen' | 'remindedAt' | 'lateLoggedAt'> & {
    workerId: number | null;
    assignedBy: number | null;
    declineReason: string | null;
    completedAt: Date;
  }
>;

/** A sweep's decided change to one work order, applied only if it is still at `version`. */
export interface WorkOrderUpdate {
  id: number;
  version: number;
  change: WorkOrderChange;
  events: WorkOrderEventInput[];
  outbox: OutboxMessage[];
}

/** A line of a work order's history (a lateness event is `late_unannounced` with its minutes). */
export interface WorkOrderEventInput {
  at: Date;
  actor: string;
  kind: string;
  minutes?: number;
  note?: string;
}

/** The customer file (客户信息档案) staff look up with `/customer <booking or complaint number>`. */
export interface CustomerFile {
  customer: { id: number; name: string | null; salutation: string | null; phone: string | null; address: string | null; since: Date; erased: boolean };
  bookings: { number: string; serviceName: string; start: Date; status: string; workOrder: string | null; worker: string | null }[];
  complaints: { number: string; receivedAt: Date; grade: string; status: string; category: string }[];
  surveys: { booking: string; visit: number; status: string; overall: string | null; completedAt: Date }[];
  handovers: { number: string; requestedAt: Date; reason: string; status: string; handler: string | null; endedAt: Date | null }[];
}

/** An on-site worker offered for a work order, with the visits they already have that day. */
export interface WorkerChoice {
  id: number;
  displayName: string | null;
  department: string | null;
  visitsThatDay: number;
}

/** A staff member as managers see them in `/staff`. */
export interface StaffMemberView extends StaffView {
  channel: Channel;
  joinedAt: Date;
}

/** What became of a `/join` attempt. */
export type JoinResult = 'joined' | 'wrong_code' | 'locked_out';

/** Why a customer was handed to a person (DOMAIN §5, issue #15 must 1). */
export const HANDOVER_REASONS = ['asked', 'not_understood', 'angry_complaint'] as const;
export type HandoverReason = (typeof HANDOVER_REASONS)[number];

export type HandoverStatus = 'waiting' | 'live' | 'ended';

/** A handover to a person (转人工) as flows and the sweep see it. */
export interface HandoverView {
  id: number;
  number: string;
  version: number;
  customerId: number;
  channel: Channel;
  chatId: string;
  locale: string;
  reason: HandoverReason;
  /** The customer as staff see them, masked. */
  customerLabel: string;
  /** The last messages before the handover, masked, one a line. */
  context: string;
  complaintNumber: string | null;
  status: HandoverStatus;
  level: Level;
  roomChannel: Channel;
  roomChatId: string;
  requestedAt: Date;
  nextDeadlineAt: Date | null;
  claimedAt: Date | null;
  claimedBy: number | null;
  handler: string | null;
  lastActivityAt: Date;
  endedAt: Date | null;
  endedBy: string | null;
}

export type NewHandover = Omit<HandoverView, 'id' | 'version' | 'status' | 'claimedAt' | 'claimedBy' | 'handler' | 'endedAt' | 'endedBy'>;

export type HandoverChange = Partial<
  Pick<HandoverView, 'status' | 'level' | 'roomChannel' | 'roomChatId' | 'nextDeadlineAt' | 'claimedAt' | 'claimedBy' | 'handler' | 'lastActivityAt' | 'endedAt' | 'endedBy'>
>;

/** The staff member who last took a customer's handover (首问负责), and their private chat. */
export interface HandoverOwner {
  staffId: number;
  name: string;
  channel: Channel;
  userId: string;
}

/** A sweep's decided change to one handover, applied only if it is still at `version`. */
export interface HandoverUpdate {
  id: number;
  version: number;
  change: HandoverChange;
  outbox: OutboxMessage[];
  /** The customer's conversation put back to the menu (if still in the handover's state). */
  conversation?: { channel: Channel; chatId: string; fromPrefix: string; to: string };
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
  | { kind: 'joinStaff'; channel: Channel; userId: string; displayName?: string; role: Role; department?: string | null; at: Date }
  /** The work order of a booking created in the same turn (found by its number). */
  | { kind: 'createWorkOrder'; bookingNumber: string; department: string | null; visitStart: Date; at: Date }
  /** Applies only if the work order is still at `version`; otherwise the turn is recomputed. */
  | { kind: 'updateWorkOrder'; id: number; version: number; change: WorkOrderChange; events: WorkOrderEventInput[] }
  /** A worker accepted: a confirmed booking becomes assigned (DOMAIN §1 lifecycle, 服务匹配); any other status stays. */
  | { kind: 'assignBooking'; bookingId: number }
  /** A `/join` attempt, counted for the lockout after repeated wrong codes (never the typed code). */
  | { kind: 'joinAttempt'; channel: Channel; userId: string; chatId: string; result: JoinResult; at: Date }
  /** A manager took a staff member's role away; they may `/join` again with a code. */
  | { kind: 'revokeStaff'; staffId: number; at: Date }
  /** Records a completed visit (only if `visits` still matches) and schedules its survey. */
  | {
      kind: 'completeVisit';
      bookingId: number;
      visits: number;
      completed: boolean;
      survey: { customerId: number; channel: Channel; chatId: string; locale: string; completedAt: Date; completedBy: string; dueAt: Date };
    }
  | { kind: 'createHandover'; handover: NewHandover }
  /** Applies only if the handover is still at `version`; otherwise the turn is recomputed. */
  | { kind: 'updateHandover'; id: number; version: number; change: HandoverChange }
  /** Records activity on a handover (a relayed message) without a version check. */
  | { kind: 'touchHandover'; id: number; at: Date }
  /**
   * Puts another conversation (the customer's, when staff end their handover) to `to` if its stored
   * state still begins with `fromPrefix`; nothing otherwise.
   */
  | { kind: 'moveConversation'; channel: Channel; chatId: string; fromPrefix: string; to: string }
  /** Applies only if the survey is still at `version`. */
  | { kind: 'updateSurvey'; id: number; version: number; change: SurveyChange }
  | { kind: 'confirmVisit'; bookingId: number; visit: number; at: Date }
  /**
   * Drops a notice to a chat not sent yet (still pending) whose dedupe key starts with the prefix:
   * a question the customer answered before it went out is never asked.
   */
  | { kind: 'dropOutbox'; channel: Channel; chatId: string; dedupeKeyPrefix: string }
  /**
   * Erases the customer's personal data and conversation history, keeping anonymised rows for the
   * reports (src/store/erasure.ts); `keep` is the inbound message being answered.
   */
  | { kind: 'eraseCustomer'; customerId: number; at: Date; keep: { channel: Channel; messageId: string } };

export interface InboundKey {
  channel: Channel;
  messageId: string;
  chatId: string;
  userId: string;
  kind: 'text' | 'action';
  at: Date;
}

/** Which conversation a turn is in: the chat, who wrote, and the language to start it in. */
export interface ConversationKey {
  channel: Channel;
  chatId: string;
  userId: string;
  displayName?: string;
  locale: string;
}

/** What one turn commits, all or nothing: the inbound message, the new state and the effects. */
export interface TurnCommit {
  inbound: InboundKey;
  conversationId: number;
  /** The version the turn read; the commit applies only if it still stands. */
  version: number;
  state: string;
  locale: string;
  effects: Effect[];
  /** The turn's clock reading (outbox rows are due from it). */
  now: Date;
}

/** A sweep's decided change to one complaint, applied only if it is still at `version`. */
export interface ComplaintUpdate {
  id: number;
  version: number;
  change: ComplaintChange;
  events: ComplaintEventInput[];
  outbox: OutboxMessage[];
}

/** A sweep's decided change to one survey, applied only if it is still at `version`. */
export interface SurveyUpdate {
  id: number;
  version: number;
  change: SurveyChange;
  outbox: OutboxMessage[];
  /** Puts the customer's idle conversation on the survey's first question, so a typed 是 answers it. */
  openConversation?: { channel: Channel; chatId: string; state: string };
}
