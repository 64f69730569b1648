/**
 * The statement(s) that apply one `Effect` (a change a flow or a sweep decided), unstarted, so it
 * joins the `db.$transaction([...])` batch of the change that caused it: a turn's commit
 * (conversations.ts), a complaint escalation (complaints.ts), a survey step (surveys.ts).
 * Conditional effects (on a version or a status) fail the batch with P2025 when the row changed
 * first; callers read that with `isStaleWrite` (errors.ts).
 */
import type { Prisma } from '../generated/prisma/client.ts';
import { ACTIVE_STATUSES, type Effect } from '../contracts/records.ts';
import type { Db } from './db.ts';
import { eraseCustomerStatements } from './erasure.ts';
import { enqueue } from './outbox.ts';

/** An effect applied by a single statement (every effect but an erasure). */
type SingleEffect = Exclude<Effect, { kind: 'eraseCustomer' }>;

/** The statements that apply a turn's effects, in order; for `db.$transaction([...])` batches. */
export function writeEffects(db: Db, effects: readonly Effect[], now: Date): Prisma.PrismaPromise<unknown>[] {
  return effects.flatMap((effect) =>
    effect.kind === 'eraseCustomer'
      ? eraseCustomerStatements(db, { customerId: effect.customerId, at: effect.at, keep: effect.keep })
      : [writeEffect(db, effect, now)],
  );
}

/** The statement that applies one effect; for `db.$transaction([...])` batches. */
export function writeEffect(db: Db, effect: SingleEffect, now: Date): Prisma.PrismaPromise<unknown> {
  switch (effect.kind) {
    case 'createBooking':
      return db.booking.create({ data: effect.booking, select: { id: true } });
    case 'cancelBooking':
      return db.booking.update({
        where: { id: effect.bookingId, customerId: effect.customerId, status: { in: [...ACTIVE_STATUSES] } },
        data: { status: 'cancelled', cancelledAt: effect.at },
        select: { id: true },
      });
    case 'moveBooking':
      return db.booking.update({
        where: { id: effect.bookingId, customerId: effect.customerId, status: { in: [...ACTIVE_STATUSES] } },
        data: { start: effect.start },
        select: { id: true },
      });
    case 'updateCustomer':
      return db.customer.update({ where: { id: effect.customerId }, data: effect.data, select: { id: true } });
    case 'createComplaint':
      return db.complaint.create({
        data: { ...effect.complaint, events: { create: effect.events } },
        select: { id: true },
      });
    case 'updateComplaint':
      return db.complaint.update({
        where: { id: effect.id, version: effect.version },
        data: { ...effect.change, version: { increment: 1 }, events: { create: effect.events } },
        select: { id: true },
      });
    case 'flagGroup':
      return db.complaint.updateMany({
        where: { matter: effect.matter, receivedAt: { gte: effect.since }, groupFlag: false },
        data: { groupFlag: true },
      });
    case 'enqueue':
      return enqueue(db, effect.message, now);
    case 'completeVisit':
      return db.booking.update({
        where: { id: effect.bookingId, visits: effect.visits, status: { in: [...ACTIVE_STATUSES] } },
        data: {
          visits: { increment: 1 },
          ...(effect.completed ? { status: 'completed' } : {}),
          surveys: { create: { ...effect.survey, visit: effect.visits + 1 } },
        },
        select: { id: true },
      });
    case 'updateSurvey':
      return db.survey.update({
        where: { id: effect.id, version: effect.version },
        data: { ...effect.change, version: { increment: 1 } },
        select: { id: true },
      });
    case 'confirmVisit':
      return db.survey.updateMany({
        where: { bookingId: effect.bookingId, visit: effect.visit, confirmedAt: null },
        data: { confirmedAt: effect.at },
      });
    case 'dropOutbox':
      // Pending rows are few and found by the (status, nextAttemptAt) index.
      return db.outbox.deleteMany({ where: { status: 'pending', channel: effect.channel, chatId: effect.chatId, dedupeKey: { startsWith: effect.dedupeKeyPrefix } } });
    case 'joinStaff':
      return db.staff.upsert({
        where: { channel_platformUserId: { channel: effect.channel, platformUserId: effect.userId } },
        create: { channel: effect.channel, platformUserId: effect.userId, displayName: effect.displayName, role: effect.role, department: effect.department ?? null, joinedAt: effect.at },
        update: { role: effect.role, displayName: effect.displayName, department: effect.department ?? null, joinedAt: effect.at, revokedAt: null },
        select: { id: true },
      });
    case 'joinAttempt':
      return db.joinAttempt.create({
        data: { channel: effect.channel, userId: effect.userId, chatId: effect.chatId, result: effect.result, at: effect.at },
        select: { id: true },
      });
    case 'createHandover':
      return db.handover.create({ data: { ...effect.handover, status: 'waiting' }, select: { id: true } });
    case 'updateHandover':
      return db.handover.update({
        where: { id: effect.id, version: effect.version },
        data: { ...effect.change, version: { increment: 1 } },
        select: { id: true },
      });
    case 'touchHandover':
      return db.handover.updateMany({ where: { id: effect.id, status: { not: 'ended' } }, data: { lastActivityAt: effect.at } });
    case 'moveConversation':
      return db.conversation.updateMany({
        where: { channel: effect.channel, chatId: effect.chatId, state: { startsWith: effect.fromPrefix } },
        data: { state: effect.to, version: { increment: 1 } },
      });
    case 'createWorkOrder':
      return db.workOrder.create({
        data: {
          booking: { connect: { number: effect.bookingNumber } },
          department: effect.department,
          visitStart: effect.visitStart,
          events: { create: [{ at: effect.at, actor: 'system', kind: 'posted' }] },
        },
        select: { id: true },
      });
    case 'updateWorkOrder':
      return db.workOrder.update({
        where: { id: effect.id, version: effect.version },
        data: { ...effect.change, version: { increment: 1 }, events: { create: effect.events } },
        select: { id: true },
      });
    case 'assignBooking':
      return db.booking.updateMany({ where: { id: effect.bookingId, status: 'confirmed' }, data: { status: 'assigned' } });
    case 'revokeStaff':
      return db.staff.updateMany({ where: { id: effect.staffId, revokedAt: null }, data: { revokedAt: effect.at } });
  }
}

/**
 * An effect as one plain row write, for the turn's direct path (conversations.ts), which runs it
 * without Prisma's query compiler. Only the effects of the busiest turn, a booking's confirmation,
 * have one; every other effect keeps its Prisma statement (`writeEffect`). An update must change
 * exactly one row, like Prisma's `update`.
 */
export type RowWrite =
  | { kind: 'insert'; table: string; values: Record<string, string | number | Date | null> }
  | { kind: 'update'; table: string; set: Record<string, string | number | Date | null>; id: number };

/** The row writes of `effects`, or undefined when any of them needs Prisma. */
export function rowWrites(effects: readonly Effect[], now: Date): RowWrite[] | undefined {
  const writes: RowWrite[] = [];
  for (const effect of effects) {
    if (effect.kind === 'createBooking') {
      writes.push({ kind: 'insert', table: 'Booking', values: { ...effect.booking, createdAt: now, updatedAt: now } });
    } else if (effect.kind === 'updateCustomer') {
      const set = Object.fromEntries(Object.entries(effect.data).filter(([, v]) => v !== undefined)) as Record<string, string | null>;
      writes.push({ kind: 'update', table: 'Customer', set: { ...set, updatedAt: now }, id: effect.customerId });
    } else {
      return undefined;
    }
  }
  return writes;
}
