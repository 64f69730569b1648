/**
 * How many bookings a customer is shown at once when they look at, reschedule or cancel their own
 * bookings (DOMAIN §1 Lifecycle). A chat list stays short; the soonest come first.
 */

/** Upcoming bookings listed to a customer, soonest first. */
export const UPCOMING_BOOKINGS_LISTED = 10;
