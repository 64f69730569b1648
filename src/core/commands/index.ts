/**
 * Every command, one line each, in the order they are tried: the first whose `matches` accepts a
 * message handles it. Adding a command is one file in this folder and one line here.
 */
import type { Command } from '../command.ts';
import type { Turn } from '../turn.ts';
import type { State } from '../../contracts/state.ts';
import { callCommand } from './call.ts';
import { customerCommand } from './customer.ts';
import { doneCommand } from './done.ts';
import { endCommand } from './end.ts';
import { eraseCommand } from './erase.ts';
import { jobsCommand } from './jobs.ts';
import { joinCommand } from './join.ts';
import { reportCommand } from './report.ts';
import { revokeCommand } from './revoke.ts';
import { staffCommand } from './staff.ts';

const COMMANDS: readonly Command[] = [
  joinCommand,
  doneCommand,
  jobsCommand,
  callCommand,
  customerCommand,
  reportCommand,
  staffCommand,
  revokeCommand,
  eraseCommand,
  endCommand,
];

/**
 * The command a message is, in this state; undefined for ordinary text. Inside a flow an
 * `idleOnly` command counts only for the people its `inFlowFor` names.
 */
export async function commandFor(turn: Turn, text: string, state: State): Promise<Command | undefined> {
  for (const command of COMMANDS) {
    if (!command.matches(text)) continue;
    if (!command.idleOnly || state.flow === 'idle') return command;
    if (await command.inFlowFor?.(turn)) return command;
  }
  return undefined;
}

/** Whether a message is one the bot answers in a staff room, where it ignores other chatter. */
export function isStaffRoomCommand(text: string): boolean {
  return COMMANDS.some((command) => command.allowedInStaffRoom && command.matches(text));
}

const KEEPS_OPEN_PROMPT = COMMANDS.filter((command) => command.keepsOpenPrompt).map((command) => new RegExp(`^/${command.name}\\b`, 'i'));

/**
 * Whether a message leaves an open prompt where it was when its turn ends idle: any text starting
 * with the slash word of such a command, whichever handler answered it.
 */
export function keepsOpenPrompt(text: string): boolean {
  return KEEPS_OPEN_PROMPT.some((pattern) => pattern.test(text.trim()));
}
