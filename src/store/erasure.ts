/**
 * Erasing a customer's personal data (DOMAIN §5; PIPL): on the customer's request (the
 * `eraseCustomer` effect of the 删除我的信息 flow) and by the retention policy (the daily job, for
 * customers without service for years). The rows stay, so report figures do not change: the
 * customer row keeps its id (foreign keys), bookings, complaints and surveys keep everything the
 * reports count (service, times, statuses, grades, ratings), and lose names, phones, addresses,
 * chat ids and the customer's words. Conversations, their inbound ids and the messages delivered to
 * the customer's chats (or naming their bookings and complaints) are deleted.
 *
 * Every statement is idempotent, so two instances erasing the same customer at once, or a job
 * retried after a crash, leave the same result.
 */
import { Prisma } from '../generated/prisma/client.ts';
import type { Channel } from '../contracts/messages.ts';
import { ACTIVE_STATUSES } from '../contracts/records.ts';
import { ERASED_TEXT } from '../domain/retention.ts';
import type { Db } from './db.ts';

/** Complaints still being handled: erasure waits until they are settled (the contact is needed). */
export const OPEN_COMPLAINT_STATUSES = ['open', 'claimed'] as const;
/** Surveys not answered yet: erasure ends them (nobody is asked any more). */
const PENDING_SURVEY_STATUSES = ['scheduled', 'sent', 'reminded'];

/** SQL: a row's text (`column`) names one of the customer's complaints or bookings by number. */
function namesRecordOf(customerId: number, column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(EXISTS (SELECT 1 FROM "Complaint" c WHERE c."customerId" = ${customerId} AND ${column} LIKE '%' || c."number" || '%')
    OR EXISTS (SELECT 1 FROM "Booking" b WHERE b."customerId" = ${customerId} AND ${column} LIKE '%' || b."number" || '%')
    OR EXISTS (SELECT 1 FROM "Handover" h WHERE h."customerId" = ${customerId} AND ${column} LIKE '%' || h."number" || '%'))`;
}

/**
 * The statements that erase customer `customerId`, in order, for one `db.$transaction([...])`.
 * `keep`: the inbound message being answered (the confirmation): its row stays, without chat and
 * user ids, so a redelivery of it is still answered once; the retention job deletes it later.
 */
export function eraseCustomerStatements(db: Db, opts: { customerId: number; at: Date; keep?: { channel: Channel; messageId: string } }): Prisma.PrismaPromise<unknown>[] {
  const id = opts.customerId;
  const keepChannel = opts.keep?.channel ?? '';
  const keepId = opts.keep?.messageId ?? '';
  return [
    // Messages to the customer's chats, and staff posts naming their bookings or complaints.
    db.$executeRaw`DELETE FROM "Outbox" WHERE EXISTS (
        SELECT 1 FROM "Conversation" v WHERE v."customerId" = ${id} AND v."channel" = "Outbox"."channel" AND v."chatId" = "Outbox"."chatId")
      OR ${namesRecordOf(id, Prisma.sql`"Outbox"."payload"`)}`,
    db.$executeRaw`DELETE FROM "ConsoleMessage" WHERE EXISTS (
        SELECT 1 FROM "Conversation" v WHERE v."customerId" = ${id} AND v."channel" = 'console' AND v."chatId" = "ConsoleMessage"."chatId")
      OR ${namesRecordOf(id, Prisma.sql`"ConsoleMessage"."payload"`)}`,
    // Inbound message ids from the customer's chats or identity, but the one being answered.
    db.$executeRaw`DELETE FROM "InboundMessage" WHERE (EXISTS (
        SELECT 1 FROM "Conversation" v WHERE v."customerId" = ${id} AND v."channel" = "InboundMessage"."channel" AND v."chatId" = "InboundMessage"."chatId")
      OR EXISTS (SELECT 1 FROM "Customer" u WHERE u."id" = ${id} AND u."channel" = "InboundMessage"."channel" AND u."platformUserId" = "InboundMessage"."userId"))
      AND NOT ("channel" = ${keepChannel} AND "platformMessageId" = ${keepId})`,
    db.inboundMessage.updateMany({ where: { channel: keepChannel, platformMessageId: keepId }, data: { chatId: '', userId: '' } }),
    // Complaints: who, how to reach them, and the words (theirs, and staff's answers about them).
    db.complaintEvent.updateMany({ where: { complaint: { customerId: id }, note: { not: null } }, data: { note: null } }),
    db.complaint.updateMany({
      where: { customerId: id },
      // No deadline left to sweep: nobody is asked (the callback) or escalated about it any more.
      data: { customerName: ERASED_TEXT, salutation: null, phone: null, address: null, content: ERASED_TEXT, chatId: '', nextDeadlineAt: null },
    }),
    db.complaint.updateMany({ where: { customerId: id, resolution: { not: null } }, data: { resolution: ERASED_TEXT } }),
    db.complaint.updateMany({ where: { customerId: id, invalidReason: { not: null } }, data: { invalidReason: ERASED_TEXT } }),
    db.complaint.updateMany({ where: { customerId: id, departmentOpinion: { not: null } }, data: { departmentOpinion: ERASED_TEXT } }),
    // Bookings: the contact, not the service.
    db.booking.updateMany({ where: { customerId: id }, data: { contactName: ERASED_TEXT, salutation: '', phone: '', address: ERASED_TEXT } }),
    // Surveys: the comment and the chat; unanswered ones end.
    db.survey.updateMany({ where: { customerId: id, status: { in: PENDING_SURVEY_STATUSES } }, data: { status: 'declined', dueAt: null, claimedUntil: null } }),
    db.survey.updateMany({ where: { customerId: id }, data: { comment: null, chatId: '' } }),
    // Handovers (their posts and relayed messages name them, deleted above): the row keeps only its
    // times, reason and handler; an open one ends.
    db.handover.updateMany({ where: { customerId: id, status: { not: 'ended' } }, data: { status: 'ended', endedAt: opts.at, endedBy: 'erased', nextDeadlineAt: null } }),
    db.handover.updateMany({ where: { customerId: id }, data: { chatId: '', customerLabel: ERASED_TEXT, context: ERASED_TEXT } }),
    db.conversation.deleteMany({ where: { customerId: id } }),
    // The customer: no name, no contact, no platform identity (a new message is a new customer).
    db.customer.updateMany({
      where: { id },
      data: { name: null, salutation: null, phone: null, address: null, displayName: null, platformUserId: `erased:${id}`, erasedAt: opts.at },
    }),
  ];
}

/** What still needs the customer's contact: bookings to serve and complaints being handled. */
export async function openMatters(db: Db, customerId: number): Promise<{ bookings: number; complaints: number }> {
  const [bookings, complaints] = await Promise.all([
    db.booking.count({ where: { customerId, status: { in: [...ACTIVE_STATUSES] } } }),
    db.complaint.count({ where: { customerId, status: { in: [...OPEN_COMPLAINT_STATUSES] } } }),
  ]);
  return { bookings, complaints };
}
