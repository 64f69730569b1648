/**
 * What the dialogue core needs from storage, declared where it is used: the Prisma store
 * implements it, unit tests can pass a fake. Flows read through it; writes are collected as
 * effects and committed in one transaction with the inbound message and the new conversation state.
 */
import type { Channel } from '../contracts/messages.ts';
import type {
  BookingView, ComplaintView, HandoverOwner, HandoverView, CompletedVisit, ConversationKey, ConversationRecord, CustomerFile, OpenQuestions, StaffBookingView, StaffContact, StaffMemberView, StaffView, SurveyView, TurnCommit, WorkerChoice, WorkOrderView,
} from '../contracts/records.ts';
import type { ReportSource } from '../features/reports/build.ts';

/** Also the report's figures and rows (`ReportSource`), for managers' report commands. */
export interface CoreStore extends ReportSource {
  /** The conversation of a chat, created with its customer on first contact. */
  conversation(opts: ConversationKey): Promise<ConversationRecord>;
  /**
   * Records the inbound message, the new state (if `version` still matches) and the effects, all
   * or nothing.
   * @throws TurnConflict `duplicate` when the message was already handled, `stale` when another
   *   process moved the conversation or a booking first, `number_taken` on a booking-number clash.
   */
  commitTurn(opts: TurnCommit): Promise<void>;
  /** The customer's bookings that have not happened yet and are not cancelled, soonest first. */
  upcomingBookings(customerId: number, now: Date): Promise<BookingView[]>;
  /** One of the customer's bookings; undefined if it does not exist or is someone else's. */
  customerBooking(customerId: number, bookingId: number): Promise<BookingView | undefined>;
  /** Bookings a complaint may be about: not cancelled, from 30 days ago on, most recent first. */
  complaintBookings(customerId: number, now: Date): Promise<BookingView[]>;
  /**
   * A completed visit of one of the customer's bookings (its survey exists); undefined if there is
   * no such visit or the booking is someone else's.
   */
  completedVisit(customerId: number, bookingId: number, visit: number): Promise<CompletedVisit | undefined>;
  /** A complaint by its number. */
  complaint(number: string): Promise<ComplaintView | undefined>;
  /** The customer's most recent complaints, newest first. */
  customerComplaints(customerId: number, limit: number): Promise<ComplaintView[]>;
  /** The staff member behind a platform identity, if they joined. */
  staff(channel: Channel, userId: string): Promise<StaffView | undefined>;
  /** Current staff (not revoked), in the order they joined, for managers. */
  staffMembers(): Promise<StaffMemberView[]>;
  /**
   * Times of wrong invite codes since `since`: of the user on the platform, and of anyone in
   * `chatId` when given (a group chat), for the `/join` lockout.
   */
  joinFailures(opts: { channel: Channel; userId: string; chatId?: string; since: Date }): Promise<{ user: Date[]; chat: Date[] }>;
  /**
   * The customer's open notice questions (callbacks, visits to confirm since `visitsSince`, surveys
   * under way); read only when a message looks like an answer to one.
   */
  openQuestions(customerId: number, visitsSince: Date): Promise<OpenQuestions>;
  /** A survey by id. */
  survey(id: number): Promise<SurveyView | undefined>;
  /** The contact phone of a booking, for staff making a callback. */
  bookingPhone(bookingId: number): Promise<string | undefined>;
  /** A booking by number, for staff (any customer's). */
  staffBooking(number: string): Promise<StaffBookingView | undefined>;
  staffBookingById(id: number): Promise<StaffBookingView | undefined>;
  /** Active bookings whose visit has started by `now`, most recent first (to mark done). */
  bookingsToComplete(now: Date, limit: number): Promise<StaffBookingView[]>;
  /** What still needs the customer's contact: active bookings and complaints being handled (before an erasure). */
  openMatters(customerId: number): Promise<{ bookings: number; complaints: number }>;
  /** A handover to a person by its number. */
  handover(number: string): Promise<HandoverView | undefined>;
  /** The number of the handover whose post or relayed message in `chatId` has the platform id `ref`. */
  handoverByRef(channel: Channel, chatId: string, ref: string): Promise<string | undefined>;
  /** The platform id of the handover's post in a staff chat, to thread the customer's messages under. */
  handoverPostRef(number: string, channel: Channel, chatId: string): Promise<string | undefined>;
  /** Who took the customer's last handover claimed since `since` (首问负责), if still staff. */
  handoverOwner(customerId: number, since: Date): Promise<HandoverOwner | undefined>;
  /** Live handovers a staff member claimed, newest first. */
  claimedHandovers(staffId: number, limit: number): Promise<HandoverView[]>;
  /** Who complained about one matter since a time (for the group flag). */
  matterComplaints(matter: string, since: Date): Promise<{ customerId: number; receivedAt: Date }[]>;
  /** The work order of a booking, by the booking's number. */
  workOrder(bookingNumber: string): Promise<WorkOrderView | undefined>;
  /** A current staff member reachable in a private chat, by id. */
  staffContact(id: number): Promise<StaffContact | undefined>;
  /** On-site staff to offer for a work order (its department's first), with their visits in [from, to). */
  workers(opts: { department: string | null; from: Date; to: Date }): Promise<WorkerChoice[]>;
  /** A worker's visits with a start in [from, to), soonest first. */
  jobs(workerId: number, from: Date, to: Date): Promise<WorkOrderView[]>;
  /** The customer file of the customer behind a booking or complaint number. */
  customerFile(number: string): Promise<CustomerFile | undefined>;
}
