/**
 * `/join <code>` (DOMAIN §5 roles): binds this platform identity to the staff role the invite code
 * stands for, in any chat, staff rooms included.
 */
import { IDLE } from '../../contracts/state.ts';
import { slashCommand, type Command } from '../command.ts';
import type { StepResult, Turn } from '../turn.ts';

function reply(text: string): StepResult {
  return { state: IDLE, replies: [{ text, buttons: undefined }] };
}

/** `/join <code>`: binds this platform identity to the role the code stands for. */
export function join(turn: Turn, text: string): StepResult {
  const { m, complaints, from } = turn;
  const code = text.trim().split(/\s+/)[1];
  if (!code) return reply(m.joinUsage);
  const role = complaints.inviteCodes[code];
  if (!role || (complaints.consoleOnlyCodes && from.channel !== 'console')) return reply(m.joinRefused);
  turn.effects.push({ kind: 'joinStaff', channel: from.channel, userId: from.userId, displayName: from.displayName, role });
  return reply(m.joined({ role: m.roleLabel[role] ?? role }));
}

export const joinCommand: Command = {
  name: 'join',
  matches: slashCommand('join'),
  handle: (turn, text) => join(turn, text),
  allowedInStaffRoom: true,
  keepsOpenPrompt: true,
};
