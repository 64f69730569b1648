/**
 * `/revoke <number>` (DOMAIN §5): a department head or the general manager takes a staff member's
 * role away, by the number `/staff` shows. The general manager may revoke anyone else, a department
 * head front desk and on-site staff. Nothing is posted to anyone else; the revocation is logged at
 * warn. The person may `/join` again with a valid code.
 */
import { IDLE } from '../../contracts/state.ts';
import { mayManageStaff, mayRevoke } from '../../domain/complaints/permissions.ts';
import { slashCommand, type Command } from '../command.ts';
import type { StepResult, Turn } from '../turn.ts';
import { memberName } from './staff.ts';

function reply(text: string): StepResult {
  return { state: IDLE, replies: [{ text, buttons: undefined }] };
}

async function revokeStaff(turn: Turn, text: string): Promise<StepResult> {
  const { m } = turn;
  const me = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!me || !mayManageStaff(me.role)) return reply(m.staffRefused);
  const arg = text.trim().split(/\s+/)[1];
  if (!arg || !/^\d{1,9}$/.test(arg)) return reply(m.revokeUsage);
  const id = Number(arg);
  const target = (await turn.store.staffMembers()).find((s) => s.id === id);
  if (!target) return reply(m.revokeUnknown);
  const name = memberName(turn, target);
  const role = m.roleLabel[target.role] ?? target.role;
  if (target.id === me.id) return reply(m.revokeSelf);
  if (!mayRevoke(me.role, target.role)) return reply(m.revokeNotAllowed({ name, role }));
  turn.effects.push({ kind: 'revokeStaff', staffId: target.id, at: turn.now });
  const { channel, userId, chatId } = turn.from;
  turn.log.warn({ channel, userId, chatId, staffId: target.id, role: target.role, by: me.id }, 'staff role revoked');
  return reply(m.revoked({ name, role }));
}

export const revokeCommand: Command = {
  name: 'revoke',
  matches: slashCommand('revoke'),
  handle: (turn, text) => revokeStaff(turn, text),
  allowedInStaffRoom: true,
  keepsOpenPrompt: true,
};
