/**
 * The bookings repository: a customer's own bookings (upcoming, one by id, those a complaint may
 * be about) and, for staff, any booking by number or id, its contact phone, and the visits due to
 * be marked done. Bookings are written as effects of a turn (effects.ts).
 */
import type { Prisma } from '../generated/prisma/client.ts';
import type { Channel } from '../contracts/messages.ts';
import { ACTIVE_STATUSES, type BookingStatus, type BookingView, type StaffBookingView } from '../contracts/records.ts';
import { UPCOMING_BOOKINGS_LISTED } from '../domain/booking/lists.ts';
import { COMPLAINT_BOOKING_CHOICES, complaintBookingsFrom } from '../domain/complaints/intake.ts';
import type { Db } from './db.ts';

const bookingView = {
  id: true,
  number: true,
  customerId: true,
  serviceCode: true,
  serviceName: true,
  start: true,
  status: true,
  frequency: true,
} as const;

function toView(b: { id: number; number: string; customerId: number; serviceCode: string; serviceName: string; start: Date; status: string; frequency: string }): BookingView {
  return { ...b, status: b.status as BookingStatus };
}

export const staffBookingSelect = {
  ...bookingView,
  visits: true,
  contactName: true,
  salutation: true,
  customer: { select: { locale: true, conversations: { select: { channel: true, chatId: true, locale: true }, take: 1, orderBy: { id: 'asc' } } } },
} as const;

export function toStaffBooking(row: Prisma.BookingGetPayload<{ select: typeof staffBookingSelect }>): StaffBookingView {
  const { customer, ...rest } = row;
  const chat = customer.conversations[0];
  return {
    ...toView(rest),
    visits: rest.visits,
    contactName: rest.contactName,
    salutation: rest.salutation,
    channelOfCustomer: (chat?.channel as Channel | undefined) ?? null,
    chatIdOfCustomer: chat?.chatId ?? null,
    localeOfCustomer: chat?.locale ?? customer.locale,
  };
}

export class BookingRepository {
  constructor(private readonly db: Db) {}

  /** The customer's bookings that have not happened yet and are not cancelled, soonest first. */
  async upcoming(customerId: number, now: Date): Promise<BookingView[]> {
    const rows = await this.db.booking.findMany({
      where: { customerId, status: { in: [...ACTIVE_STATUSES] }, start: { gt: now } },
      orderBy: { start: 'asc' },
      take: UPCOMING_BOOKINGS_LISTED,
      select: bookingView,
    });
    return rows.map(toView);
  }

  /** One of the customer's bookings; undefined if it does not exist or is someone else's. */
  async ofCustomer(customerId: number, bookingId: number): Promise<BookingView | undefined> {
    const row = await this.db.booking.findFirst({ where: { id: bookingId, customerId }, select: bookingView });
    return row ? toView(row) : undefined;
  }

  /** Bookings a complaint may be about (domain/complaints/intake.ts), most recent first. */
  async forComplaint(customerId: number, now: Date): Promise<BookingView[]> {
    const rows = await this.db.booking.findMany({
      where: { customerId, status: { not: 'cancelled' }, start: { gte: complaintBookingsFrom(now) } },
      orderBy: { start: 'desc' },
      take: COMPLAINT_BOOKING_CHOICES,
      select: bookingView,
    });
    return rows.map(toView);
  }

  /** A booking by number, for staff (any customer's). */
  async byNumber(number: string): Promise<StaffBookingView | undefined> {
    const row = await this.db.booking.findUnique({ where: { number }, select: staffBookingSelect });
    return row ? toStaffBooking(row) : undefined;
  }

  /** A booking by id, for staff (any customer's). */
  async byId(id: number): Promise<StaffBookingView | undefined> {
    const row = await this.db.booking.findUnique({ where: { id }, select: staffBookingSelect });
    return row ? toStaffBooking(row) : undefined;
  }

  /** The contact phone of a booking, for staff making a callback. */
  async phone(bookingId: number): Promise<string | undefined> {
    return (await this.db.booking.findUnique({ where: { id: bookingId }, select: { phone: true } }))?.phone;
  }

  /** Active bookings whose visit has started by `now`, most recent first (to mark done). */
  async toComplete(now: Date, limit: number): Promise<StaffBookingView[]> {
    const rows = await this.db.booking.findMany({
      where: { status: { in: [...ACTIVE_STATUSES] }, start: { lte: now } },
      orderBy: { start: 'desc' },
      take: limit,
      select: staffBookingSelect,
    });
    return rows.map(toStaffBooking);
  }
}
