/**
 * What work orders say (DOMAIN §1 Work order), for the flow and the work order sweep alike: where a
 * work order is posted (its department's room, else the front desk's), the room's post with the
 * customer masked (DOMAIN §5), the worker's card with the full address and phone (they need them),
 * and the notices to the customer and the worker.
 */
import { maskAddress, maskPhone } from '../../domain/privacy.ts';
import { formatDateTime, formatPrice, messages, type Messages } from '../../i18n/index.ts';
import type { Outbound } from '../../contracts/messages.ts';
import type { Company } from '../../contracts/company.ts';
import type { OutboxMessage } from '../../contracts/outbox.ts';
import type { WorkOrderView } from '../../contracts/records.ts';

/** The booking fields a work order's texts name. */
export interface WorkOrderBooking {
  number: string;
  serviceCode: string;
  serviceName: string;
  start: Date;
  address: string;
  contactName: string;
  salutation: string;
  phone: string;
}

/** "¥150.00" from fen. */
export function feeText(fen: number): string {
  return `¥${formatPrice(fen / 100)}`;
}

/** The customer's language for a notice. */
export function customerMessages(locale: string): Messages {
  return messages(locale === 'en' ? 'en' : 'zh');
}

/** The room's post of a new (or returned) work order: masked customer, an "assign" and a "take it" button. */
export function workOrderPost(opts: { m: Messages; company: Company; b: WorkOrderBooking; department: string | null; now: Date }): Outbound {
  const { m, company, b } = opts;
  const department = company.departments.find((d) => d.code === opts.department);
  return {
    text: m.woPost({
      number: b.number,
      service: b.serviceName,
      time: formatDateTime(m, b.start, company.timeZone, { now: opts.now }),
      address: maskAddress(b.address),
      customer: m.who({ name: b.contactName, salutation: b.salutation }),
      phone: maskPhone(b.phone),
      department: department ? (m === messages('en') ? department.nameEn : department.name) : undefined,
    }),
    buttons: [[{ label: m.woAssignButton, action: `wo:assign.${b.number}` }, { label: m.woTakeButton, action: `wo:take.${b.number}` }]],
  };
}

/** The buttons a worker has on a visit in its current status. */
export function workerButtons(m: Messages, wo: Pick<WorkOrderView, 'status'> & { booking: { number: string } }): Outbound['buttons'] {
  const n = wo.booking.number;
  switch (wo.status) {
    case 'assigned':
      return [[{ label: m.woAcceptButton, action: `wo:ok.${n}` }, { label: m.woDeclineButton, action: `wo:no.${n}` }]];
    case 'accepted':
      return [[{ label: m.woLateButton, action: `wo:late.${n}` }, { label: m.woArrivedButton, action: `wo:here.${n}` }]];
    case 'arrived':
      return [[{ label: m.woDoneButton, action: `wo:done.${n}` }], [{ label: m.woDiffButton, action: `wo:diff.${n}` }]];
    default:
      return undefined;
  }
}

/** The worker's card in a private chat: service, time, full address and phone, what is included and excluded, the responsibilities. */
export function workerCard(opts: { m: Messages; company: Company; wo: WorkOrderView; now: Date }): Outbound {
  const { m, company, wo } = opts;
  const b = wo.booking;
  const service = company.catalog.find((s) => s.code === b.serviceCode);
  const en = m === messages('en');
  return {
    text: m.woWorkerCard({
      number: b.number,
      service: b.serviceName,
      time: formatDateTime(m, wo.visitStart, company.timeZone, { now: opts.now }),
      address: b.address,
      customer: m.who({ name: b.contactName, salutation: b.salutation }),
      phone: b.phone,
      fee: `${feeText(b.priceFen)}/${b.unit}`,
      includes: (en ? service?.includesEn : service?.includes)?.join(m.listSeparator) ?? '',
      excludes: (en ? company.excludesEn : company.excludes).join(m.listSeparator),
      responsibilities: en ? company.responsibilitiesEn : company.responsibilities,
    }),
    buttons: workerButtons(m, wo),
  };
}

/** A message to the worker's private chat with the bot (their platform identity). */
export function toWorker(wo: WorkOrderView, kind: string, key: string, message: Outbound): OutboxMessage | undefined {
  if (!wo.worker) return undefined;
  return { channel: wo.worker.channel, chatId: wo.worker.platformUserId, kind, dedupeKey: `workorder:${wo.id}:${key}`, message };
}

/** A message to the customer's chat, in their language; undefined when the booking has no chat. */
export function toCustomer(wo: WorkOrderView, kind: string, key: string, message: Outbound, notBefore?: Date): OutboxMessage | undefined {
  const { channelOfCustomer: channel, chatIdOfCustomer: chatId } = wo.booking;
  if (!channel || !chatId) return undefined;
  return { channel, chatId, kind, dedupeKey: `workorder:${wo.id}:${key}`, message, notBefore };
}

/** The evening-before reminder: time, worker, valuables, and buttons to reschedule or cancel (manage flow's buttons). */
export function reminderMessage(opts: { company: Company; wo: WorkOrderView; now: Date }): Outbound {
  const { company, wo } = opts;
  const cm = customerMessages(wo.booking.localeOfCustomer);
  return {
    text: cm.woReminder({
      who: cm.who({ name: wo.booking.contactName, salutation: wo.booking.salutation }),
      service: wo.booking.serviceName,
      time: formatDateTime(cm, wo.lateUntil ?? wo.visitStart, company.timeZone, { now: opts.now }),
      number: wo.booking.number,
      worker: wo.status === 'accepted' ? (wo.worker?.displayName ?? undefined) : undefined,
    }),
    buttons: [[{ label: cm.woOtherTimeButton, action: `move:${wo.booking.id}` }, { label: cm.woCancelButton, action: `cancel:${wo.booking.id}` }]],
  };
}

/** The lateness post for the front desk (seed 002 约定时间: late without notice). */
export function latenessPost(opts: { m: Messages; company: Company; wo: WorkOrderView; minutes: number; arrived: boolean; now: Date }): Outbound {
  const { m, company, wo } = opts;
  return {
    text: m.woLatePost({
      number: wo.booking.number,
      who: wo.worker?.displayName ?? m.roleLabel.on_site ?? '',
      minutes: opts.minutes,
      time: formatDateTime(m, wo.lateUntil ?? wo.visitStart, company.timeZone, { now: opts.now }),
      arrived: opts.arrived,
    }),
  };
}
