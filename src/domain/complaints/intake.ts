/**
 * Which of a customer's bookings a new complaint may be about (DOMAIN §2 Intake: the record names
 * the service complained about): those not cancelled whose visit started at most 30 days ago or
 * is still to come, the most recent few offered as choices.
 */

const DAY = 24 * 60 * 60 * 1000;

/** How far back a booking may be and still be complained about, in days (elapsed time). */
const COMPLAINT_BOOKING_WINDOW_DAYS = 30;

/** Bookings offered as choices when a complaint starts, most recent first. */
export const COMPLAINT_BOOKING_CHOICES = 5;

/** The earliest visit start a complaint at `now` may be about. */
export function complaintBookingsFrom(now: Date): Date {
  return new Date(now.getTime() - COMPLAINT_BOOKING_WINDOW_DAYS * DAY);
}
