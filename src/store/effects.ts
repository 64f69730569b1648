/**
 * The statement(s) that apply one `Effect` (a change a flow or a sweep decided), unstarted, so it
 * joins the `db.$transaction([...])` batch of the change that caused it: a turn's commit
 * (conversations.ts), a complaint escalation (complaints.ts), a survey step (surveys.ts).
 * Conditional effects (on a version or a status) fail the batch with P2025 when the row changed
 * first; callers read that with `isStaleWrite` (errors.ts). Effects that only insert rows are
 * written by their `effectRows` on every path; the turn's direct path (conversations.ts) runs
 * `effectRows` of the others it can too.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import { ACTIVE_STATUSES, type Effect } from '../contracts/records.ts';
import type { Db } from './db.ts';
import { eraseCustomerStatements } from './erasure.ts';
import { isStaleWrite } from './errors.ts';
import { outboxRow } from './outbox.ts';
import { prismaStatement, type RowRef, type RowWrite } from './row-writes.ts';
import { staffChanged } from './staff.ts';

/** Effects that only insert rows: Prisma's batches run their `effectRows` as raw statements. */
type InsertEffect = Extract<Effect, { kind: 'createBooking' | 'createWorkOrder' | 'enqueue' }>;

function insertsOnly(effect: Effect): effect is InsertEffect {
  return effect.kind === 'createBooking' || effect.kind === 'createWorkOrder' || effect.kind === 'enqueue';
}

/** An effect applied by Prisma's own statement (an update keeps Prisma's: it fails with P2025 when it finds no row). */
type PrismaEffect = Exclude<Effect, InsertEffect | { kind: 'eraseCustomer' }>;

/** The statements that apply effects, in order; for `db.$transaction([...])` batches. */
export function writeEffects(db: Db, effects: readonly Effect[], now: Date): Prisma.PrismaPromise<unknown>[] {
  return effects.flatMap((effect): Prisma.PrismaPromise<unknown>[] => {
    if (effect.kind === 'eraseCustomer') return eraseCustomerStatements(db, { customerId: effect.customerId, at: effect.at, keep: effect.keep });
    if (insertsOnly(effect)) return insertRows(effect, now).map((row) => prismaStatement(db, row));
    return [writeEffect(db, effect)];
  });
}

/**
 * Applies a sweep's or staff action's effects in one transaction.
 * @returns false when a guarded write found its row changed first (nothing written).
 */
export async function applyEffects(db: Db, effects: readonly Effect[], now: Date): Promise<boolean> {
  try {
    await db.$transaction(writeEffects(db, effects, now));
    effectsCommitted(db, effects);
    return true;
  } catch (error) {
    if (isStaleWrite(error)) return false;
    throw error;
  }
}

/** After effects were committed: what this process keeps in memory of what they changed is stale (staff). */
export function effectsCommitted(db: Db, effects: readonly Effect[]): void {
  if (effects.some((e) => e.kind === 'joinStaff' || e.kind === 'revokeStaff')) staffChanged(db);
}

/** The statement that applies one effect with Prisma's query builder. */
function writeEffect(db: Db, effect: PrismaEffect): Prisma.PrismaPromise<unknown> {
  switch (effect.kind) {
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
 * The rows an effect writes, for the turn's direct path (conversations.ts), which runs them
 * without Prisma's query compiler; undefined when the effect needs Prisma (`writeEffect`).
 * Adding an effect to the direct path is one case here (or in `insertRows`).
 */
function effectRows(effect: Effect, now: Date): RowWrite[] | undefined {
  if (insertsOnly(effect)) return insertRows(effect, now);
  if (effect.kind === 'updateCustomer') {
    const set = Object.fromEntries(Object.entries(effect.data).filter(([, v]) => v !== undefined)) as Record<string, string | null>;
    return [{ kind: 'update', table: 'Customer', set: { ...set, updatedAt: new Date() }, id: effect.customerId }];
  }
  return undefined;
}

/**
 * The rows of an effect that only inserts, on every path. Columns Prisma fills are filled as it
 * fills them: `@default(now())` and `@updatedAt` with the time of the write, the rest by the
 * columns' defaults.
 */
function insertRows(effect: InsertEffect, now: Date): RowWrite[] {
  const written = new Date();
  switch (effect.kind) {
    case 'createBooking':
      return [{ kind: 'insert', table: 'Booking', values: { ...effect.booking, createdAt: written, updatedAt: written } }];
    case 'createWorkOrder': {
      // Prisma's `booking: { connect: { number } }` and the nested create of its first event.
      const booking: RowRef = { table: 'Booking', by: 'number', value: effect.bookingNumber };
      const workOrder: RowRef = { table: 'WorkOrder', by: 'bookingId', value: booking };
      return [
        { kind: 'insert', table: 'WorkOrder', values: { bookingId: booking, department: effect.department, visitStart: effect.visitStart, createdAt: written } },
        { kind: 'insert', table: 'WorkOrderEvent', values: { workOrderId: workOrder, at: effect.at, actor: 'system', kind: 'posted' } },
      ];
    }
    case 'enqueue':
      return [outboxRow(effect.message, now)];
  }
}

/** The rows of a turn's effects, or undefined when any of them needs Prisma. */
export function rowWrites(effects: readonly Effect[], now: Date): RowWrite[] | undefined {
  const writes: RowWrite[] = [];
  for (const effect of effects) {
    const rows = effectRows(effect, now);
    if (!rows) return undefined;
    writes.push(...rows);
  }
  return writes;
}
