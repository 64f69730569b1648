/**
 * `/customer <booking or complaint number>` (客户信息档案, DOMAIN §5): staff in a private chat with
 * the bot see a customer's bookings (with their work orders), complaints and callbacks. Personal
 * details by role: the front desk, department heads and the general manager see the full phone
 * and address (they call back and send workers); on-site staff see them masked (their own visits'
 * details are on their work order cards and `/jobs`). Never in a group.
 */
import { mayAct } from '../../domain/complaints/permissions.ts';
import { maskAddress, maskPhone } from '../../domain/privacy.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { IDLE } from '../../contracts/state.ts';
import { slashCommand, type Command } from '../command.ts';
import type { StepResult, Turn } from '../turn.ts';

function reply(text: string): StepResult {
  return { state: IDLE, replies: [{ text }] };
}

async function lookUp(turn: Turn, text: string): Promise<StepResult> {
  const { m, company } = turn;
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!staff) return reply(m.notStaff);
  if (turn.from.chatType !== 'private') return reply(m.customerPrivateOnly);
  const number = text.trim().split(/\s+/)[1]?.toUpperCase();
  if (!number) return reply(m.customerUsage);
  const file = await turn.store.customerFile(number);
  if (!file) return reply(m.customerUnknown);
  const full = mayAct(staff.role, 'resolve', 'contact') && staff.role !== 'on_site';
  const when = (at: Date) => formatDateTime(m, at, company.timeZone, { now: turn.now });
  const c = file.customer;
  /** A section: its heading, then one line per record, or "none". */
  const section = <T>(heading: string, items: readonly T[], line: (item: T) => string): string[] => [heading, ...(items.length ? items.map(line) : [m.customerNone])];
  const lines = [
    m.customerHeader({
      id: c.id,
      who: c.name && c.salutation ? m.who({ name: c.name, salutation: c.salutation }) : (c.name ?? '—'),
      phone: c.phone ? (full ? c.phone : maskPhone(c.phone)) : '—',
      address: c.address ? (full ? c.address : maskAddress(c.address)) : '—',
      since: when(c.since),
    }),
    ...(c.erased ? [m.customerErased] : []),
    ...section(m.customerBookings, file.bookings, (b) =>
      m.customerBookingLine({
        number: b.number,
        service: b.serviceName,
        time: when(b.start),
        status: m.bookingStatusLabel[b.status] ?? b.status,
        workOrder: b.workOrder ? m.customerWorkOrder({ status: m.woStatusLabel[b.workOrder] ?? b.workOrder, worker: b.worker ?? undefined }) : '',
      }),
    ),
    ...section(m.customerComplaints, file.complaints, (x) =>
      m.customerComplaintLine({
        number: x.number,
        time: when(x.receivedAt),
        grade: m.gradeLabel[x.grade as 'major'] ?? x.grade,
        category: m.categoryLabel[x.category] ?? x.category,
        status: m.complaintStatusLabel[x.status] ?? x.status,
      }),
    ),
    ...section(m.customerSurveys, file.surveys, (s) =>
      m.customerSurveyLine({
        booking: s.booking,
        visit: s.visit,
        time: when(s.completedAt),
        status: m.surveyStatusLabel[s.status] ?? s.status,
        overall: s.overall ? ` · ${m.overallLabel[s.overall] ?? s.overall}` : '',
      }),
    ),
    ...section(m.customerHandovers, file.handovers, (x) =>
      m.customerHandoverLine({
        number: x.number,
        time: when(x.requestedAt),
        reason: m.handoverReason[x.reason] ?? x.reason,
        status: m.handoverStatusLabel[x.status] ?? x.status,
        handler: x.handler ?? undefined,
      }),
    ),
  ];
  return reply(lines.join('\n'));
}

export const customerCommand: Command = {
  name: 'customer',
  matches: slashCommand('customer'),
  handle: (turn, text) => lookUp(turn, text),
  allowedInStaffRoom: true,
  keepsOpenPrompt: true,
};
