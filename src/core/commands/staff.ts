/**
 * `/staff` (DOMAIN §5): who joined as staff (number, name, role, platform, when), for department
 * heads and the general manager; the number is what `/revoke` takes. Anyone else gets a refusal.
 */
import { IDLE } from '../../contracts/state.ts';
import type { StaffMemberView } from '../../contracts/records.ts';
import { mayManageStaff } from '../../domain/complaints/permissions.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { cleanLine } from '../../lib/text.ts';
import { slashCommand, type Command } from '../command.ts';
import type { StepResult, Turn } from '../turn.ts';

function reply(text: string): StepResult {
  return { state: IDLE, replies: [{ text, buttons: undefined }] };
}

/** A staff member's name as managers see it (display names are the platform's, so cleaned). */
export function memberName(turn: Turn, member: Pick<StaffMemberView, 'displayName'>): string {
  const name = member.displayName ? cleanLine(member.displayName) : '';
  return name || turn.m.staffUnnamed;
}

/** The name of a staff member's department (company file), if they named one at `/join`. */
function departmentOfMember(turn: Turn, code: string | null | undefined): string | undefined {
  const department = code ? turn.company.departments.find((d) => d.code === code) : undefined;
  return department && (turn.locale === 'en' ? department.nameEn : department.name);
}

/** `/staff`: the list of current staff, numbered by their staff id, with their departments. */
async function listStaff(turn: Turn): Promise<StepResult> {
  const { m } = turn;
  const me = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!me || !mayManageStaff(me.role)) return reply(m.staffRefused);
  const members = await turn.store.staffMembers();
  if (!members.length) return reply(m.staffNone);
  const lines = members.map((s) =>
    m.staffLine({
      n: s.id,
      name: memberName(turn, s),
      role: departmentOfMember(turn, s.department) ? `${m.roleLabel[s.role] ?? s.role}（${departmentOfMember(turn, s.department)}）` : (m.roleLabel[s.role] ?? s.role),
      platform: s.channel,
      joined: formatDateTime(m, s.joinedAt, turn.company.timeZone),
    }),
  );
  return reply([m.staffTitle, ...lines].join('\n'));
}

export const staffCommand: Command = {
  name: 'staff',
  matches: slashCommand('staff'),
  handle: (turn) => listStaff(turn),
  allowedInStaffRoom: true,
  keepsOpenPrompt: true,
};
