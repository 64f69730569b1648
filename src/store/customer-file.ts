/**
 * The customer file (客户信息档案, #15 must 10): a customer found by one of their booking or
 * complaint numbers, with their latest bookings (and work orders), complaints, surveys and handovers, for
 * `/customer`. Who may see which personal detail is the command's decision, not the query's.
 */
import type { CustomerFile } from '../contracts/records.ts';
import type { Db } from './db.ts';

const LISTED = 10;

export async function customerFile(db: Db, number: string): Promise<CustomerFile | undefined> {
  const owner =
    (await db.booking.findUnique({ where: { number }, select: { customerId: true } })) ??
    (await db.complaint.findUnique({ where: { number }, select: { customerId: true } }));
  if (!owner) return undefined;
  const id = owner.customerId;
  const [customer, bookings, complaints, surveys, handovers] = await Promise.all([
    db.customer.findUniqueOrThrow({ where: { id }, select: { id: true, name: true, salutation: true, phone: true, address: true, createdAt: true, erasedAt: true } }),
    db.booking.findMany({
      where: { customerId: id },
      orderBy: { start: 'desc' },
      take: LISTED,
      select: { number: true, serviceName: true, start: true, status: true, workOrder: { select: { status: true, workerId: true } } },
    }),
    db.complaint.findMany({ where: { customerId: id }, orderBy: { receivedAt: 'desc' }, take: LISTED, select: { number: true, receivedAt: true, grade: true, status: true, category: true } }),
    db.survey.findMany({
      where: { customerId: id },
      orderBy: { completedAt: 'desc' },
      take: LISTED,
      select: { visit: true, status: true, overall: true, completedAt: true, booking: { select: { number: true } } },
    }),
    db.handover.findMany({
      where: { customerId: id },
      orderBy: { requestedAt: 'desc' },
      take: LISTED,
      select: { number: true, requestedAt: true, reason: true, status: true, handler: true, endedAt: true },
    }),
  ]);
  const workerIds = bookings.flatMap((b) => (b.workOrder?.workerId ? [b.workOrder.workerId] : []));
  const workers = workerIds.length ? await db.staff.findMany({ where: { id: { in: workerIds } }, select: { id: true, displayName: true } }) : [];
  const name = new Map(workers.map((w) => [w.id, w.displayName]));
  return {
    customer: { id: customer.id, name: customer.name, salutation: customer.salutation, phone: customer.phone, address: customer.address, since: customer.createdAt, erased: customer.erasedAt !== null },
    bookings: bookings.map((b) => ({
      number: b.number,
      serviceName: b.serviceName,
      start: b.start,
      status: b.status,
      workOrder: b.workOrder?.status ?? null,
      worker: b.workOrder?.workerId ? (name.get(b.workOrder.workerId) ?? null) : null,
    })),
    complaints,
    surveys: surveys.map((s) => ({ booking: s.booking.number, visit: s.visit, status: s.status, overall: s.overall, completedAt: s.completedAt })),
    handovers,
  };
}
