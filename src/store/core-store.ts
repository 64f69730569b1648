/**
 * The core's storage port (`CoreStore`, declared in src/core/ports.ts and met structurally, so the
 * store never imports the core) on the database: a thin composition of
 * the repositories, one per kind of record, each of which owns its queries.
 */
import type { Channel } from '../contracts/messages.ts';
import type {
  BookingView, ComplaintView, HandoverOwner, HandoverView, CompletedVisit, ConversationRecord, CustomerFile, OpenQuestions, StaffBookingView, StaffContact, StaffMemberView, StaffView, SurveyView, WorkerChoice, WorkOrderView,
} from '../contracts/records.ts';
import type { CallbackRow, ComplaintRecordRow, ReportFigures, ReportPeriod } from '../contracts/reports.ts';
import { BookingRepository } from './bookings.ts';
import { ComplaintRepository } from './complaints.ts';
import { ConversationRepository } from './conversations.ts';
import type { Db } from './db.ts';
import { customerFile } from './customer-file.ts';
import { openMatters } from './erasure.ts';
import { HandoverRepository } from './handovers.ts';
import { ReportRepository, type ReportOptions } from './reports.ts';
import { StaffRepository } from './staff.ts';
import { SurveyRepository } from './surveys.ts';
import { WorkOrderRepository } from './workorders.ts';

export class PrismaCoreStore {
  readonly #conversations: ConversationRepository;
  readonly #bookings: BookingRepository;
  readonly #complaints: ComplaintRepository;
  readonly #surveys: SurveyRepository;
  readonly #staff: StaffRepository;
  readonly #reports: ReportRepository;
  readonly #handovers: HandoverRepository;
  readonly #workOrders: WorkOrderRepository;
  readonly #db: Db;

  /** `options.zone`: the company zone the report's calendar-day deadlines are counted in; `departments` group the report's complaints. */
  constructor(db: Db, options: Pick<ReportOptions, 'zone' | 'departments'> = {}) {
    this.#db = db;
    this.#conversations = new ConversationRepository(db);
    this.#bookings = new BookingRepository(db);
    this.#complaints = new ComplaintRepository(db);
    this.#surveys = new SurveyRepository(db);
    this.#staff = new StaffRepository(db);
    this.#reports = new ReportRepository(db, options);
    this.#handovers = new HandoverRepository(db);
    this.#workOrders = new WorkOrderRepository(db);
  }

  handover(number: string): Promise<HandoverView | undefined> {
    return this.#handovers.byNumber(number);
  }

  handoverByRef(channel: Channel, chatId: string, ref: string): Promise<string | undefined> {
    return this.#handovers.numberByRef(channel, chatId, ref);
  }

  handoverPostRef(number: string, channel: Channel, chatId: string): Promise<string | undefined> {
    return this.#handovers.postRef(number, channel, chatId);
  }

  handoverOwner(customerId: number, since: Date): Promise<HandoverOwner | undefined> {
    return this.#handovers.lastOwner(customerId, since);
  }

  claimedHandovers(staffId: number, limit: number): Promise<HandoverView[]> {
    return this.#handovers.claimedBy(staffId, limit);
  }

  conversation(opts: Parameters<ConversationRepository['conversation']>[0]): Promise<ConversationRecord> {
    return this.#conversations.conversation(opts);
  }

  commitTurn(opts: Parameters<ConversationRepository['commitTurn']>[0]): Promise<void> {
    return this.#conversations.commitTurn(opts);
  }

  upcomingBookings(customerId: number, now: Date): Promise<BookingView[]> {
    return this.#bookings.upcoming(customerId, now);
  }

  customerBooking(customerId: number, bookingId: number): Promise<BookingView | undefined> {
    return this.#bookings.ofCustomer(customerId, bookingId);
  }

  complaintBookings(customerId: number, now: Date): Promise<BookingView[]> {
    return this.#bookings.forComplaint(customerId, now);
  }

  staffBooking(number: string): Promise<StaffBookingView | undefined> {
    return this.#bookings.byNumber(number);
  }

  staffBookingById(id: number): Promise<StaffBookingView | undefined> {
    return this.#bookings.byId(id);
  }

  bookingPhone(bookingId: number): Promise<string | undefined> {
    return this.#bookings.phone(bookingId);
  }

  bookingsToComplete(now: Date, limit: number): Promise<StaffBookingView[]> {
    return this.#bookings.toComplete(now, limit);
  }

  completedVisit(customerId: number, bookingId: number, visit: number): Promise<CompletedVisit | undefined> {
    return this.#surveys.completedVisit(customerId, bookingId, visit);
  }

  complaint(number: string): Promise<ComplaintView | undefined> {
    return this.#complaints.byNumber(number);
  }

  customerComplaints(customerId: number, limit: number): Promise<ComplaintView[]> {
    return this.#complaints.ofCustomer(customerId, limit);
  }

  matterComplaints(matter: string, since: Date): Promise<{ customerId: number; receivedAt: Date }[]> {
    return this.#complaints.ofMatter(matter, since);
  }

  openMatters(customerId: number): Promise<{ bookings: number; complaints: number }> {
    return openMatters(this.#db, customerId);
  }

  async openQuestions(customerId: number, visitsSince: Date): Promise<OpenQuestions> {
    const [callbacks, surveys] = await Promise.all([this.#complaints.awaitingCallback(customerId), this.#surveys.open(customerId, visitsSince)]);
    return { callbacks, ...surveys };
  }

  survey(id: number): Promise<SurveyView | undefined> {
    return this.#surveys.byId(id);
  }

  staff(channel: Channel, userId: string): Promise<StaffView | undefined> {
    return this.#staff.byIdentity(channel, userId);
  }

  staffMembers(): Promise<StaffMemberView[]> {
    return this.#staff.members();
  }

  joinFailures(opts: Parameters<StaffRepository['joinFailures']>[0]): Promise<{ user: Date[]; chat: Date[] }> {
    return this.#staff.joinFailures(opts);
  }

  reportFigures(period: ReportPeriod, previous: ReportPeriod | undefined, now: Date): Promise<ReportFigures> {
    return this.#reports.figures(period, previous, now);
  }

  complaintRows(period: ReportPeriod): Promise<ComplaintRecordRow[]> {
    return this.#reports.complaintRows(period);
  }

  callbackRows(period: ReportPeriod): Promise<CallbackRow[]> {
    return this.#reports.callbackRows(period);
  }

  workOrder(bookingNumber: string): Promise<WorkOrderView | undefined> {
    return this.#workOrders.byBookingNumber(bookingNumber);
  }

  staffContact(id: number): Promise<StaffContact | undefined> {
    return this.#workOrders.staffContact(id);
  }

  workers(opts: { department: string | null; from: Date; to: Date }): Promise<WorkerChoice[]> {
    return this.#workOrders.workers(opts);
  }

  jobs(workerId: number, from: Date, to: Date): Promise<WorkOrderView[]> {
    return this.#workOrders.jobs(workerId, from, to);
  }

  customerFile(number: string): Promise<CustomerFile | undefined> {
    return customerFile(this.#db, number);
  }
}
