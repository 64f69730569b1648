/**
 * The work orders repository (DOMAIN §1 Work order): a booking's work order with its worker, the
 * on-site staff to offer for it with their visits that day, a worker's visits (`/jobs`), and what
 * the work order sweep acts on (reminders due, unanswered reconfirmations, late starts, visits
 * moved or cancelled since the worker was told). Work orders are written as effects (effects.ts).
 */
import type { Prisma } from '../generated/prisma/client.ts';
import type { Channel } from '../contracts/messages.ts';
import { ACTIVE_STATUSES, type Reconfirm, type Role, type StaffContact, type WorkerChoice, type WorkOrderStatus, type WorkOrderUpdate, type WorkOrderView } from '../contracts/records.ts';
import { staffBookingSelect, toStaffBooking } from './bookings.ts';
import type { Db } from './db.ts';
import { applyEffects } from './effects.ts';

/** Statuses of a work order still to be served (assigned to someone, not yet done). */
const OPEN_FOR_WORKER = ['assigned', 'accepted', 'arrived', 'fee_pending'];
const WORKERS_LISTED = 30;
const JOBS_LISTED = 30;
const SWEEP_BATCH = 200;

/**
 * A booking whose (first) visit is still to be served: not cancelled or completed, and not marked
 * done with `/done` outside its work order (then its work order is left alone).
 */
const STILL_TO_SERVE = { status: { in: [...ACTIVE_STATUSES] }, visits: 0 } satisfies Prisma.BookingWhereInput;

const staffContactSelect = { id: true, role: true, displayName: true, department: true, channel: true, platformUserId: true } as const;

const workOrderSelect = {
  id: true,
  version: true,
  department: true,
  status: true,
  assignedAt: true,
  acceptedAt: true,
  visitStart: true,
  lateUntil: true,
  lateFrom: true,
  reconfirm: true,
  reconfirmDueAt: true,
  arrivedAt: true,
  actualWork: true,
  actualFeeFen: true,
  remindedAt: true,
  lateLoggedAt: true,
  workerId: true,
  booking: { select: { ...staffBookingSelect, address: true, phone: true, priceFen: true, unit: true } },
} as const;

type Row = Prisma.WorkOrderGetPayload<{ select: typeof workOrderSelect }>;
type StaffRow = Prisma.StaffGetPayload<{ select: typeof staffContactSelect }>;

function toContact(row: StaffRow): StaffContact {
  return { ...row, role: row.role as Role, channel: row.channel as Channel };
}

export class WorkOrderRepository {
  constructor(private readonly db: Db) {}

  async #views(rows: Row[]): Promise<WorkOrderView[]> {
    const ids = [...new Set(rows.flatMap((r) => (r.workerId === null ? [] : [r.workerId])))];
    const staff = ids.length ? await this.db.staff.findMany({ where: { id: { in: ids } }, select: staffContactSelect }) : [];
    const byId = new Map(staff.map((s) => [s.id, toContact(s)]));
    return rows.map(({ workerId, booking, ...r }) => ({
      ...r,
      status: r.status as WorkOrderStatus,
      reconfirm: r.reconfirm as Reconfirm | null,
      worker: workerId === null ? null : (byId.get(workerId) ?? null),
      booking: { ...toStaffBooking(booking), address: booking.address, phone: booking.phone, priceFen: booking.priceFen, unit: booking.unit },
    }));
  }

  /** The work order of a booking, by the booking's number. */
  async byBookingNumber(number: string): Promise<WorkOrderView | undefined> {
    const row = await this.db.workOrder.findFirst({ where: { booking: { number } }, select: workOrderSelect });
    return row ? (await this.#views([row]))[0] : undefined;
  }

  /** A staff member reachable in a private chat, by id (current staff only). */
  async staffContact(id: number): Promise<StaffContact | undefined> {
    const row = await this.db.staff.findFirst({ where: { id, revokedAt: null }, select: staffContactSelect });
    return row ? toContact(row) : undefined;
  }

  /**
   * On-site staff to offer for a work order: those of `department` (all on-site staff when it has
   * none, or no department is given), each with the visits they already have in [from, to).
   */
  async workers(opts: { department: string | null; from: Date; to: Date }): Promise<WorkerChoice[]> {
    const read = (department?: string) =>
      this.db.staff.findMany({
        where: { role: 'on_site', revokedAt: null, ...(department ? { department } : {}) },
        select: { id: true, displayName: true, department: true },
        orderBy: { id: 'asc' },
        take: WORKERS_LISTED,
      });
    let staff = opts.department ? await read(opts.department) : [];
    if (staff.length === 0) staff = await read();
    if (staff.length === 0) return [];
    const counts = await this.db.workOrder.groupBy({
      by: ['workerId'],
      where: { workerId: { in: staff.map((s) => s.id) }, visitStart: { gte: opts.from, lt: opts.to }, status: { in: [...OPEN_FOR_WORKER, 'completed'] } },
      _count: { _all: true },
    });
    const count = new Map(counts.map((c) => [c.workerId, c._count._all]));
    return staff.map((s) => ({ ...s, visitsThatDay: count.get(s.id) ?? 0 }));
  }

  /**
   * A worker's visits with a start in [from, to), and those of any date still waiting for them to
   * accept (a card that never reached them must not hide the order), soonest first (`/jobs`).
   */
  async jobs(workerId: number, from: Date, to: Date): Promise<WorkOrderView[]> {
    const rows = await this.db.workOrder.findMany({
      where: { workerId, status: { in: OPEN_FOR_WORKER }, OR: [{ visitStart: { gte: from, lt: to } }, { status: 'assigned' }], booking: STILL_TO_SERVE },
      orderBy: { visitStart: 'asc' },
      take: JOBS_LISTED,
      select: workOrderSelect,
    });
    return this.#views(rows);
  }

  /** Visits starting in (after, before] whose customer was not reminded yet. */
  async unreminded(after: Date, before: Date): Promise<WorkOrderView[]> {
    return this.#due({ status: { in: ['open', 'assigned', 'accepted'] }, remindedAt: null, visitStart: { gt: after, lte: before } });
  }

  /** Late notices the customer has not answered by `now`. */
  async reconfirmationsOverdue(now: Date): Promise<WorkOrderView[]> {
    return this.#due({ reconfirm: 'pending', reconfirmDueAt: { lte: now } });
  }

  /** Visits that should have started by `startedBefore` and have no arrival and no lateness logged. */
  async notArrived(startedBefore: Date): Promise<WorkOrderView[]> {
    return this.#due({ status: { in: ['assigned', 'accepted'] }, lateLoggedAt: null, visitStart: { lte: startedBefore } });
  }

  /** Work orders whose booking was moved or cancelled since the worker was told. */
  async changedBookings(): Promise<WorkOrderView[]> {
    const rows = await this.db.$queryRaw<{ id: number }[]>`
      SELECT w."id" FROM "WorkOrder" w JOIN "Booking" b ON b."id" = w."bookingId"
      WHERE w."status" IN ('open', 'assigned', 'accepted') AND (b."start" <> w."visitStart" OR b."status" = 'cancelled')
      LIMIT ${SWEEP_BATCH}`;
    if (rows.length === 0) return [];
    const found = await this.db.workOrder.findMany({ where: { id: { in: rows.map((r) => Number(r.id)) } }, orderBy: { id: 'asc' }, select: workOrderSelect });
    return this.#views(found);
  }

  /** Applies a sweep's change with its messages; false when the work order changed first. */
  apply(update: WorkOrderUpdate, now: Date): Promise<boolean> {
    return applyEffects(
      this.db,
      [
        { kind: 'updateWorkOrder', id: update.id, version: update.version, change: update.change, events: update.events },
        ...update.outbox.map((message) => ({ kind: 'enqueue' as const, message })),
      ],
      now,
    );
  }

  async #due(where: Prisma.WorkOrderWhereInput): Promise<WorkOrderView[]> {
    const rows = await this.db.workOrder.findMany({ where: { ...where, booking: STILL_TO_SERVE }, orderBy: { id: 'asc' }, take: SWEEP_BATCH, select: workOrderSelect });
    return this.#views(rows);
  }
}
