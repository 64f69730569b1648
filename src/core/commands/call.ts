/**
 * `/call <booking number>` (DOMAIN §3 phone callbacks, §5 privacy): the customer's full number for
 * a staff member making a phone callback, only in a private chat with the bot.
 */
import { mayAct } from '../../domain/complaints/permissions.ts';
import { IDLE } from '../../contracts/state.ts';
import { slashCommand, type Command } from '../command.ts';
import type { StepResult, Turn } from '../turn.ts';

function reply(text: string): StepResult {
  return { state: IDLE, replies: [{ text, buttons: undefined }] };
}

/**
 * `/call <booking number>` in a private chat with the bot: the customer's full number for a staff
 * member making a phone callback (never posted in a group, DOMAIN §5).
 */
async function callNumber(turn: Turn, text: string): Promise<StepResult> {
  const { m } = turn;
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!staff || !mayAct(staff.role, 'resolve', 'contact')) return reply(m.notStaff);
  if (turn.from.chatType !== 'private') return reply(m.callPrivateOnly);
  const number = text.trim().split(/\s+/)[1]?.toUpperCase();
  const booking = number ? await turn.store.staffBooking(number) : undefined;
  if (!booking) return reply(m.bookingUnknown);
  const phone = await turn.store.bookingPhone(booking.id);
  return reply(phone ? m.callNumber({ who: `${booking.contactName}${booking.salutation}`, phone }) : m.bookingUnknown);
}

export const callCommand: Command = {
  name: 'call',
  matches: slashCommand('call'),
  handle: (turn, text) => callNumber(turn, text),
  allowedInStaffRoom: true,
  keepsOpenPrompt: true,
};
