/**
 * `/done [booking number]` (DOMAIN §3): staff mark a visit completed, which asks the customer to
 * confirm it and schedules the callback survey. The work lives with the survey flow, which owns the
 * `done:<booking id>` button too.
 */
import { slashCommand, type Command } from '../command.ts';
import { markDone } from '../flows/survey.ts';

export const doneCommand: Command = {
  name: 'done',
  matches: slashCommand('done'),
  handle: (turn, text) => markDone(turn, text),
  allowedInStaffRoom: true,
  keepsOpenPrompt: true,
};
