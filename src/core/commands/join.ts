/**
 * `/join <code>` (DOMAIN §5 roles): binds this platform identity to the staff role the invite code
 * stands for, in any chat, staff rooms included. Codes cannot be guessed: they are compared in
 * constant time, 5 wrong codes in 15 minutes lock `/join` for 15 minutes for the user (and, in a
 * group, for the chat), every attempt is recorded with the turn (the lockout counts those rows, on
 * every instance and after restarts) and logged at warn, never with the typed code.
 */
import { DateTime } from 'luxon';
import { IDLE } from '../../contracts/state.ts';
import type { JoinResult, Role } from '../../contracts/records.ts';
import { findDepartment } from '../../domain/workorder/rules.ts';
import { inviteRole, JOIN_LOOKBACK_MS, joinLockedUntil } from '../../domain/staff/join.ts';
import { tz } from '../../domain/zone.ts';
import { slashCommand, type Command } from '../command.ts';
import type { StepResult, Turn } from '../turn.ts';

function reply(text: string): StepResult {
  return { state: IDLE, replies: [{ text, buttons: undefined }] };
}

/** Records the attempt with the turn and logs it at warn (a join is a security event too). */
function record(turn: Turn, result: JoinResult, role?: Role): void {
  const { channel, userId, chatId, chatType } = turn.from;
  turn.effects.push({ kind: 'joinAttempt', channel, userId, chatId, result, at: turn.now });
  const fields = { channel, userId, chatId, chatType };
  if (result === 'joined') turn.log.warn({ ...fields, role }, 'staff joined with an invite code');
  else turn.log.warn({ ...fields, reason: result }, 'staff join refused');
}

/** Until when /join is locked for this user or, in a group, this chat; undefined when open. */
async function lockedUntil(turn: Turn): Promise<Date | undefined> {
  const { channel, userId, chatId, chatType } = turn.from;
  const since = new Date(turn.now.getTime() - JOIN_LOOKBACK_MS);
  const failures = await turn.store.joinFailures({ channel, userId, chatId: chatType === 'group' ? chatId : undefined, since });
  const times = [joinLockedUntil(failures.user, turn.now), joinLockedUntil(failures.chat, turn.now)].filter((d) => d !== undefined);
  return times.length ? new Date(Math.max(...times.map((d) => d.getTime()))) : undefined;
}

/** `/join <code>`: binds this platform identity to the role the code stands for. */
async function join(turn: Turn, text: string): Promise<StepResult> {
  const { m, complaints, from } = turn;
  const code = text.trim().split(/\s+/)[1];
  if (!code) return reply(m.joinUsage);
  const until = await lockedUntil(turn);
  if (until) {
    record(turn, 'locked_out');
    // Rounded up to the minute, so that "after 10:19" is true at 10:19.
    const shown = new Date(Math.ceil(until.getTime() / 60_000) * 60_000);
    return reply(m.joinLockedOut({ until: DateTime.fromJSDate(shown, { zone: tz(turn.company.timeZone) }).toFormat('HH:mm') }));
  }
  const role = inviteRole(complaints.inviteCodes, code);
  if (!role || (complaints.consoleOnlyCodes && from.channel !== 'console')) {
    record(turn, 'wrong_code');
    return reply(m.joinRefused);
  }
  // `/join <code> <department>`: the department (company file) whose work orders they take.
  const typed = text.trim().split(/\s+/).slice(2).join(' ');
  const department = typed ? findDepartment(turn.company, typed) : undefined;
  if (typed && !department) {
    const names = turn.company.departments.map((d) => `${d.code}（${d.name}）`).join(m.listSeparator);
    return reply(m.joinDepartmentUnknown({ departments: names || '—' }));
  }
  record(turn, 'joined', role);
  turn.effects.push({ kind: 'joinStaff', channel: from.channel, userId: from.userId, displayName: from.displayName, role, department: department?.code ?? null, at: turn.now });
  const roleName = m.roleLabel[role] ?? role;
  const joined = department ? m.joinedDepartment({ role: roleName, department: turn.locale === 'en' ? department.nameEn : department.name }) : m.joined({ role: roleName });
  // A Telegram bot cannot start a private chat (403), nor a WeChat one with a stranger: whoever joins in a
  // group opens one now. A Slack app can open a direct message itself.
  return reply(from.chatType === 'group' && from.channel !== 'slack' ? `${joined}\n${m.joinedOpenPrivate}` : joined);
}

export const joinCommand: Command = {
  name: 'join',
  matches: slashCommand('join'),
  handle: (turn, text) => join(turn, text),
  allowedInStaffRoom: true,
  keepsOpenPrompt: true,
};
