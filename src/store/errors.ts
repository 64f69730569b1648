/**
 * The one place that reads Prisma's and the driver adapters' errors: which failures mean "a unique
 * key is taken" and which mean "the row changed under us". Callers turn them into their own
 * outcomes (a TurnConflict, a sweep's `false`); every other error is rethrown as it is.
 */
import { Prisma } from '../generated/prisma/client.ts';

/** Prisma's code of a known request error (P2002, P2025, …), or undefined. */
function prismaCode(error: unknown): string | undefined {
  return error instanceof Prisma.PrismaClientKnownRequestError ? error.code : undefined;
}

/** Raw statements report constraint failures as driver errors (P2010) rather than P-codes: the text tells them apart. */
function message(error: unknown): string {
  return error instanceof Error ? error.message : '';
}

/**
 * A unique constraint refused the write: Prisma's P2002, or the adapter's "UNIQUE constraint
 * failed" (SQLite) / "duplicate key value" (PostgreSQL) from a raw statement.
 */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === 'P2002' || /UNIQUE constraint failed|duplicate key value/i.test(message(error));
}

/**
 * A unique violation on a booking's number, as the drivers word it on the turn's direct path
 * ("UNIQUE constraint failed: Booking.number" on SQLite, constraint "Booking_number_key" on
 * PostgreSQL): a number drawn again, not a message seen before. False when the error does not say.
 */
export function isBookingNumberTaken(error: unknown): boolean {
  return /\bBooking\.number\b|"Booking_number_key"/.test(message(error));
}

/**
 * A version- or state-guarded write found its row changed first: P2025 (a conditional update
 * matched no row), P2011 or the adapter's NOT NULL failure from a raw statement (the turn's
 * version guard yields NULL when the version moved; see ConversationRepository.commitTurn).
 */
export function isStaleWrite(error: unknown): boolean {
  const code = prismaCode(error);
  return code === 'P2025' || code === 'P2011' || /NOT NULL constraint failed|null value in column/i.test(message(error));
}
