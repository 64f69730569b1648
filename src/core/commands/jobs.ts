/**
 * `/jobs` (DOMAIN §5: staff see what is assigned to them): a worker's visits of today and tomorrow
 * and every order still waiting for them to accept (any date), each with the buttons of its status
 * (accept, late, arrived, done). The full address and phone are
 * shown only in a private chat with the bot; in a group they are masked (DOMAIN §5).
 */
import { DateTime } from 'luxon';
import { maskAddress, maskPhone } from '../../domain/privacy.ts';
import { tz } from '../../domain/zone.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { workerButtons } from '../../features/workorders/messages.ts';
import { IDLE } from '../../contracts/state.ts';
import { slashCommand, type Command } from '../command.ts';
import type { StepResult, Turn } from '../turn.ts';

async function jobs(turn: Turn): Promise<StepResult> {
  const { m, company } = turn;
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!staff) return { state: IDLE, replies: [{ text: m.notStaff }] };
  const today = DateTime.fromJSDate(turn.now, { zone: tz(company.timeZone) }).startOf('day');
  const list = await turn.store.jobs(staff.id, today.toJSDate(), today.plus({ days: 2 }).toJSDate());
  if (list.length === 0) return { state: IDLE, replies: [{ text: m.jobsNone }] };
  const open = turn.from.chatType === 'private';
  const lines = list.map((wo) =>
    m.jobsLine({
      time: formatDateTime(m, wo.lateUntil ?? wo.visitStart, company.timeZone, { now: turn.now }),
      number: wo.booking.number,
      service: wo.booking.serviceName,
      address: open ? wo.booking.address : maskAddress(wo.booking.address),
      customer: m.who({ name: wo.booking.contactName, salutation: wo.booking.salutation }),
      phone: open ? wo.booking.phone : maskPhone(wo.booking.phone),
      status: m.woStatusLabel[wo.status] ?? wo.status,
    }),
  );
  const buttons = list.flatMap((wo) => (workerButtons(m, wo) ?? []).map((row) => row.map((b) => ({ ...b, label: list.length > 1 ? `${wo.booking.number} ${b.label}` : b.label }))));
  const text = [m.jobsTitle, ...lines, ...(open ? [] : [m.jobsInGroup])].join('\n');
  return { state: IDLE, replies: [{ text, buttons: buttons.length ? buttons : undefined }] };
}

export const jobsCommand: Command = {
  name: 'jobs',
  matches: slashCommand('jobs'),
  handle: (turn) => jobs(turn),
  allowedInStaffRoom: true,
  keepsOpenPrompt: true,
};
