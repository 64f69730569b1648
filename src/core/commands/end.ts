/**
 * `/end`: ends a handover to a person (转人工): the customer's own, or, for staff, the handover of
 * the message they reply to, or the one they hold. Answered in staff rooms.
 */
import { slashCommand, type Command } from '../command.ts';
import { endCommand as end } from '../flows/handover.ts';

export const endCommand: Command = {
  name: 'end',
  matches: slashCommand('end'),
  handle: (turn, _text, state) => end(turn, state),
  allowedInStaffRoom: true,
};
