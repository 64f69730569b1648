/**
 * The one shape of a flow: a conversation that spans several turns and keeps its place in the
 * conversation state (`State['flow']`). Each flow is a module exporting one `Flow`, listed once in
 * `flows/index.ts`; the engine routes every turn through these fields and knows no flow by name.
 */
import { SWITCH_TOPIC_BELOW, parseYesNo, type Intent } from '../domain/nlu/index.ts';
import type { Outbound } from '../contracts/messages.ts';
import type { ActiveState, State } from '../contracts/state.ts';
import type { Action } from './actions.ts';
import type { StepResult, Turn, TurnInput } from './turn.ts';

type MaybePromise<T> = T | Promise<T>;

/** The `flow` value of every state but idle: one per flow. */
export type FlowName = ActiveState['flow'];
/** The state of one flow. */
export type FlowState<N extends FlowName> = Extract<State, { flow: N }>;

/**
 * A button handler: what pressing a button of one kind does, whatever the current state. Returns
 * undefined to let the current flow's `continue` take the button as an answer instead.
 */
export type ActionHandler<K extends Action['kind'] = Action['kind']> = (
  turn: Turn,
  state: State,
  action: Extract<Action, { kind: K }>,
) => MaybePromise<StepResult | undefined>;

/** The button kinds a module owns, each with its handler. A kind has one owner in the whole core. */
export type ActionHandlers = { readonly [K in Action['kind']]?: ActionHandler<K> };

/** A yes this short answers a flow's question rather than changing topic. */
const SHORT_YES = 6;

/** A text inside a flow this long or shorter can still change topic on a free-text step. */
const SHORT_COMMAND = 12;

export interface Flow<N extends FlowName = FlowName> {
  /** The state's `flow` value. */
  readonly name: N;
  /**
   * The intents that start this flow from free text. Inside the flow, the same intent answers the
   * open step rather than starting over ("是"/"不" at a cancel confirmation, a named booking).
   */
  readonly intents?: readonly Intent[];
  /** Starts the flow, using whatever the first message already said. */
  start?(turn: Turn, input: TurnInput): MaybePromise<StepResult>;
  /** One input at the open step; undefined when it does not answer it (the engine then says so). */
  continue(turn: Turn, state: FlowState<N>, input: TurnInput): MaybePromise<StepResult | undefined>;
  /**
   * The open question again, after a stale button, an empty or too long message, or text that
   * answers nothing. An `Outbound` means "this question, same state".
   */
  reprompt(turn: Turn, state: FlowState<N>): MaybePromise<StepResult | Outbound>;
  /** Steps where any text is a legitimate answer, so only short texts there change topic. */
  readonly freeTextSteps: ReadonlySet<string>;
  /** Steps where a date or time in the text answers the flow ("改到周六上午十点") rather than changing topic. */
  takesTime?(state: FlowState<N>): boolean;
  /** Buttons this flow owns: they act from any state (a "cancel this booking" button under a list). */
  readonly actions?: ActionHandlers;
  /** Overrides the default rule of `switchesTopic` (for flows that never change topic, say). */
  switchesTopic?(state: FlowState<N>, input: TurnInput): boolean;
  /** What leaving the flow for another topic does instead of starting it, if anything. */
  onTopicSwitch?(turn: Turn, state: FlowState<N>, input: TurnInput): MaybePromise<StepResult | undefined>;
  /**
   * Input that `continue` did not take, before the engine says "not understood": a flow may answer
   * it some other way. `byIntent` routes the input as if no flow were open.
   */
  onUnanswered?(
    turn: Turn,
    state: FlowState<N>,
    input: TurnInput,
    byIntent: (input: TurnInput) => Promise<StepResult>,
  ): MaybePromise<StepResult | undefined>;
  /**
   * While this flow is open, only its own buttons act (others are ignored without a word): a
   * customer talking to a person does not start a booking from an old menu.
   */
  readonly exclusive?: boolean;
  /**
   * Whether a photo or file without words goes to `continue` (`turn.media`; the handover relays
   * it); elsewhere the engine says the bot cannot read it and asks the open question again.
   */
  readonly takesMedia?: boolean;
  /** In a staff room (a group), whether the bot answers this flow's steps; other chatter is ignored. */
  readonly inStaffRoom?: boolean;
  /**
   * Input this step takes whatever its intent (晚一点的 at the time step, 地址改成… at a summary,
   * 第一个 under a list): it goes to `continue`, never to another topic or a side question.
   */
  claims?(state: FlowState<N>, input: TurnInput): boolean;
  /**
   * Whether a side question (price, what is included, opening hours, how to cancel) is answered
   * at this step, then the step asked again (`src/core/steer.ts`). Flows without it take such
   * text as an answer.
   */
  sideQuestions?(state: FlowState<N>): boolean;
  /** The service the flow is about, for "多少钱？" without a name. */
  serviceOf?(state: FlowState<N>): string | undefined;
  /**
   * Leaving on 算了, 不约了, 先不弄了, 退出: the polite goodbye saying what was not saved. Flows
   * without it take those words as answers.
   */
  leave?(turn: Turn, state: FlowState<N>): MaybePromise<StepResult>;
  /**
   * Handed to a person in the middle of this flow (asked for one, or not understood twice): `told`,
   * what the customer hears became of the unfinished step; `draft`, what was filled, masked as the
   * handover post masks, for the post. Flows without it leave nothing behind.
   */
  leftBehind?(turn: Turn, state: FlowState<N>): { told: string; draft?: string };
  /**
   * Whether the text answers the open step as its slot reads it (an address at the address step, a
   * name at the name step), whatever words it holds: 人工湖小区3栋501 or 张真人 is no request for a person.
   */
  fillsSlot?(state: FlowState<N>, input: TurnInput): boolean;
  /** A flow staff go through (staff prompts, a work order): text it does not understand is asked again, never handed to a person. */
  readonly staffSide?: boolean;
}

/**
 * Whether a text inside a flow starts something else rather than answering the step. By default:
 * understood text with a known intent changes topic, except the flow's own intents, what the step
 * claims or reads as its slot's value, a time where the flow takes one, and a long text on a free-text step.
 */
export function switchesTopic<N extends FlowName>(flow: Flow<N>, state: FlowState<N>, input: TurnInput): boolean {
  const { understanding, text = '' } = input;
  if (!understanding || understanding.intent === 'unknown') return false;
  // An unsure guess does not take the customer out of what they are doing.
  if (understanding.confidence !== undefined && understanding.confidence < SWITCH_TOPIC_BELOW) return false;
  if (flow.switchesTopic) return flow.switchesTopic(state, input);
  if (flow.claims?.(state, input) || flow.fillsSlot?.(state, input)) return false;
  const freeText = flow.freeTextSteps.has((state as ActiveState).step);
  // A short yes ("确认", "好的", "可以") answers a question with options, whatever else it could mean.
  if (!freeText && text.trim().length <= SHORT_YES && parseYesNo(text) === 'yes') return false;
  if (flow.intents?.includes(understanding.intent)) return false;
  if ((understanding.start || understanding.when?.rejected) && flow.takesTime?.(state)) return false;
  if (freeText) return text.trim().length <= SHORT_COMMAND;
  return true;
}
