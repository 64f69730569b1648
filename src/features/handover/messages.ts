/**
 * The handover's messages that a turn and the handover sweep both send: the post to a staff room
 * (masked customer, reason, last messages, claim and end buttons) and the customer's "the bot is
 * back" message with the menu's buttons.
 */
import { maskAddress, maskPersonalText, maskPhone } from '../../domain/privacy.ts';
import { formatDateTime, type Messages } from '../../i18n/index.ts';
import type { Button, Channel, Outbound } from '../../contracts/messages.ts';
import type { CustomerProfile, HandoverView } from '../../contracts/records.ts';
import type { Company } from '../../contracts/company.ts';

/** Customer lines shown in a post, at most. */
export const RECENT_LINES = 5;

/** The menu's buttons (booking, prices, bookings, complaint, reschedule, cancel), as the menu shows them. */
export function menuRows(m: Messages): Button[][] {
  return [
    [{ label: m.menuBook, action: 'menu:book' }, { label: m.menuPrice, action: 'menu:price' }],
    [{ label: m.menuBookings, action: 'menu:bookings' }, { label: m.menuComplain, action: 'menu:complain' }],
    [{ label: m.menuReschedule, action: 'menu:reschedule' }, { label: m.menuCancel, action: 'menu:cancel' }],
  ];
}

/** To the customer when a handover ends: `lead` (why), then what the bot can do, with the menu. */
export function backMessage(m: Messages, lead?: string): Outbound {
  return { text: [lead, m.handoverBack].filter(Boolean).join('\n'), buttons: menuRows(m) };
}

/** "张先生 · 138****8000 · 阳光小区**** (telegram)": what a staff post shows of the customer (their display name or number when unnamed). */
export function maskedCustomer(m: Messages, customer: Pick<CustomerProfile, 'id' | 'name' | 'salutation' | 'phone' | 'address'>, channel: string, displayName?: string): string {
  const who = customer.name && customer.salutation ? m.who({ name: customer.name, salutation: customer.salutation }) : (customer.name ?? displayName ?? `#${customer.id}`);
  const parts = [who, customer.phone ? maskPhone(customer.phone) : '', maskAddress(customer.address)].filter(Boolean);
  return `${parts.join(' · ')} (${channel})`;
}

/** The customer's last lines as a post shows them: at most five, phone numbers, ID numbers and doors masked. */
export function maskedContext(recent: readonly string[]): string {
  return recent
    .slice(-RECENT_LINES)
    .map((line) => `· ${maskPersonalText(line.replace(/\s+/g, ' ').trim()).slice(0, 300)}`)
    .join('\n');
}

/**
 * The post to a staff room: number, reason, masked customer, time and deadline, the customer's
 * person (首问负责) when there is one, and the masked last messages; a claim and an end button.
 */
export function handoverPost(opts: {
  m: Messages;
  company: Company;
  h: Pick<HandoverView, 'number' | 'reason' | 'requestedAt' | 'customerLabel' | 'context'> & { complaintNumber?: string | null };
  /** The platform of the room it goes to: how staff answer there. */
  room: Channel;
  by: Date;
  owner?: string;
  header?: string;
  now: Date;
}): Outbound {
  const { m, company, h } = opts;
  const zone = company.timeZone;
  const body = m.handoverPost({
    number: h.number,
    // The complaint an angry follow-up is about, so the desk can open it (/customer <number>).
    reason: `${m.handoverReason[h.reason] ?? h.reason}${h.complaintNumber ? `（${h.complaintNumber}）` : ''}`,
    customer: h.customerLabel,
    at: formatDateTime(m, h.requestedAt, zone, { now: opts.now }),
    by: formatDateTime(m, opts.by, zone, { now: opts.now }),
    owner: opts.owner ? m.handoverOwnerLine({ who: opts.owner }) : '',
    recent: h.context || '·',
  });
  const text = [opts.header, body, m.handoverHowTo[opts.room]].filter(Boolean).join('\n');
  return {
    text,
    buttons: [[{ label: m.handoverClaimButton, action: `hclaim:${h.number}` }, { label: m.handoverEndStaffButton, action: `hend:${h.number}` }]],
  };
}
