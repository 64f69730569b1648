/**
 * Every flow, one line each, keyed by the state's `flow` value (the compiler checks every state
 * has its flow), and who owns each button kind. Adding a flow is one file in this folder, its state
 * variant in `src/contracts/state.ts` and one line here.
 */
import type { Intent } from '../../domain/nlu/index.ts';
import type { ActiveState } from '../../contracts/state.ts';
import type { Action } from '../actions.ts';
import type { ActionHandler, ActionHandlers, Flow, FlowName } from '../flow.ts';
import { bookingFlow } from './booking.ts';
import { callbackActions, callbackFlow } from './callback.ts';
import { complaintFlow } from './complaint.ts';
import { eraseFlow } from './erase.ts';
import { handoverFlow } from './handover.ts';
import { cancelFlow, rescheduleFlow } from './manage.ts';
import { menuButtons } from './menu.ts';
import { staffFlow } from './staff.ts';
import { surveyFlow } from './survey.ts';
import { workOrderFlow } from './workorder.ts';
import { DeskError, ErrorCode } from '../../lib/errors.ts';

const FLOWS: { readonly [N in FlowName]: Flow<N> } = {
  book: bookingFlow,
  cancel: cancelFlow,
  reschedule: rescheduleFlow,
  complain: complaintFlow,
  staff: staffFlow,
  survey: surveyFlow,
  erase: eraseFlow,
  handover: handoverFlow,
  workorder: workOrderFlow,
  callback: callbackFlow,
};

/** Buttons of no flow's state: the menu and the price list, the complaint callback. */
const STATELESS_BUTTONS: readonly ActionHandlers[] = [menuButtons, callbackActions];

/** Every flow, for lookups by something other than the state. */
const ALL: readonly Flow[] = Object.values(FLOWS) as Flow[];

/** The flow a state is in. */
export function flowOf(state: ActiveState): Flow {
  return FLOWS[state.flow] as Flow;
}

/** The flow an intent starts, if any. */
export function flowStartedBy(intent: Intent): Flow | undefined {
  return ALL.find((flow) => flow.intents?.includes(intent));
}

const BUTTONS = new Map<string, ActionHandler>();
for (const handlers of [...ALL.map((flow) => flow.actions ?? {}), ...STATELESS_BUTTONS]) {
  for (const [kind, handler] of Object.entries(handlers)) {
    if (BUTTONS.has(kind)) throw new DeskError(ErrorCode.InvalidArgument, `button kind '${kind}' has two owners`);
    BUTTONS.set(kind, handler as ActionHandler);
  }
}

/** The handler of a button kind that acts from any state; undefined for a flow's own answer buttons. */
export function buttonHandler(kind: Action['kind']): ActionHandler | undefined {
  return BUTTONS.get(kind);
}
