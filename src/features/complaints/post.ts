/**
 * Posts about complaints for staff channels and the texts around them. Customer details are
 * masked in every post, structured fields and the customer's own words alike (DOMAIN §5: phone
 * numbers and addresses are private).
 */
import { deadlineSchedule } from '../../domain/complaints/deadlines.ts';
import { maskAddress, maskPersonalText, maskPhone } from '../../domain/privacy.ts';
import { formatDateTime, type Messages } from '../../i18n/index.ts';
import type { ComplaintView } from '../../contracts/records.ts';
import type { Outbound } from '../../contracts/messages.ts';
import type { Company } from '../../contracts/company.ts';

/** "张先生 138****8000 · 阳光小****". */
function maskedCustomer(m: Messages, c: Pick<ComplaintView, 'customerName' | 'salutation' | 'phone' | 'address'>): string {
  const who = c.salutation ? m.who({ name: c.customerName, salutation: c.salutation }) : c.customerName;
  return [who, c.phone ? maskPhone(c.phone) : '', maskAddress(c.address)].filter(Boolean).join(' · ');
}

/**
 * The escalation post: number, grade, level, each deadline (claim, coordinate, answer, resolve), masked customer, summary, and actions. The
 * customer's words are masked too (a phone number or a door typed into the complaint).
 */
export function complaintPost(opts: { m: Messages; company: Company; c: ComplaintView; header?: string; now?: Date }): Outbound {
  const { m, company, c } = opts;
  const now = { now: opts.now }; // dates in another year than now say their year
  const zone = company.timeZone;
  const loss = !c.hadLoss ? m.lossNone : c.lossYuan !== null ? m.lossAbout({ amount: c.lossYuan }) : m.lossUnknownAmount;
  const body = m.complaintPost({
    number: c.number,
    grade: m.gradeLabel[c.grade],
    level: m.levelLabel[c.level],
    flag: c.groupFlag ? m.groupFlag : '',
    // Each deadline the watcher escalates on, named as its escalation names it (m.missed).
    deadlines: deadlineSchedule(c.grade, c.receivedAt, zone)
      .map(({ kind, at }) => m.deadlineItem({ kind: m.missed[kind] ?? kind, time: formatDateTime(m, at, zone, now) }))
      .join(' · '),
    customer: maskedCustomer(m, c),
    category: m.categoryLabel[c.category] ?? c.category,
    loss,
    prior: c.priorCount > 0 ? m.priorTimes({ n: c.priorCount }) : m.priorFirst,
    content: maskPersonalText(c.content),
    booking: c.booking ? `${c.booking.number} ${c.booking.serviceName} ${formatDateTime(m, c.booking.start, zone, now)}` : '',
  });
  return {
    text: opts.header ? `${opts.header}\n${body}` : body,
    buttons: [
      [
        { label: m.claimButton, action: `claim:${c.number}` },
        { label: m.resolveButton, action: `resolve:${c.number}` },
      ],
      [
        { label: m.invalidButton, action: `invalid:${c.number}` },
        { label: m.regradeButton, action: `regrade:${c.number}` },
      ],
    ],
  };
}
