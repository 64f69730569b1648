/**
 * The one shape of a command: a message that does one thing whatever the conversation is doing
 * (`/join <code>`, `/done`, `/call <booking>`, report requests). Each command is a module in
 * `commands/` exporting one `Command`, listed once in `commands/index.ts`.
 */
import type { State } from '../contracts/state.ts';
import type { StepResult, Turn } from './turn.ts';

export interface Command {
  /** The slash word: `join` for `/join`. */
  readonly name: string;
  /** Whether a message (untrimmed, control characters already blanked or not) is this command. */
  matches(text: string): boolean;
  /** Runs the command; `state` is the conversation's state before it. */
  handle(turn: Turn, text: string, state: State): StepResult | Promise<StepResult>;
  /** Whether the bot answers it in a staff room (a group), where it ignores other chatter. */
  readonly allowedInStaffRoom: boolean;
  /** Only outside every flow: inside one, the same words are text for the open step. */
  readonly idleOnly?: boolean;
  /** For an `idleOnly` command: who may still use it inside a flow (a manager's report request). */
  inFlowFor?(turn: Turn): Promise<boolean>;
  /**
   * Whether a message starting with `/<name>` leaves an open prompt where it was when it ends idle
   * (a staff member answering a survey can /join meanwhile and carry on).
   */
  readonly keepsOpenPrompt?: boolean;
}

/** `/name` followed by a space or the end, as a `matches` function. */
export function slashCommand(name: string): (text: string) => boolean {
  const pattern = new RegExp(`^/${name}(\\s|$)`, 'i');
  return (text) => pattern.test(text.trim());
}
