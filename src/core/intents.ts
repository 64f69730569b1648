/**
 * What free text starts when no flow takes it: on the menu, or when a text inside a flow changes
 * topic. A few rules come first, then the intents answered on the spot, then the flows that
 * declare the intent (`Flow.intents`), then a named service (a booking), else the menu.
 */
import { classifyComplaint } from '../domain/complaints/classify.ts';
import type { Intent } from '../domain/nlu/index.ts';
import { IDLE, type State } from '../contracts/state.ts';
import { startBooking } from './flows/booking.ts';
import { complaintProgress, startComplaint } from './flows/complaint.ts';
import { flowStartedBy } from './flows/index.ts';
import { listBookings } from './flows/manage.ts';
import { startHandover } from './flows/handover.ts';
import { menu, prices } from './flows/menu.ts';
import type { StepResult, Turn, TurnInput } from './turn.ts';

/** Asking what became of one's complaint, rather than making a new one. */
const COMPLAINT_PROGRESS = /我的投诉|投诉(的)?(进度|进展|结果|状态)|投诉.{0,6}(怎么样|如何|处理得|处理了吗|有结果)|\bmy complaints?\b|complaint status/i;

/** Complaint categories that, said in free text, mean a complaint whatever else the words name. */
const COMPLAINT_CATEGORIES = new Set(['quality', 'damage', 'loss', 'attitude', 'no_show', 'late']);

type Answer = (turn: Turn, state: State, input: TurnInput) => StepResult | Promise<StepResult>;

/** Intents answered without opening a flow. */
const ANSWERS: Partial<Record<Intent, Answer>> = {
  help: (turn) => ({ state: IDLE, replies: [menu(turn)] }),
  price: (turn, state, input) => ({ state, replies: [prices(turn, input.understanding?.serviceCode)] }),
  bookings: (turn) => listBookings(turn),
  human: (turn) => startHandover(turn, { reason: 'asked' }),
};

/** Routes understood text by its intent, as if no flow were open (`state` stays for answers on the spot). */
export async function byIntent(turn: Turn, state: State, input: TurnInput): Promise<StepResult> {
  const { understanding, text } = input;
  if (text && COMPLAINT_PROGRESS.test(text.slice(0, 200))) return complaintProgress(turn);
  // "打扫得不干净" names a service but is a complaint about it.
  if ((understanding?.intent === 'book' || understanding?.intent === 'unknown') && text && COMPLAINT_CATEGORIES.has(classifyComplaint(text))) {
    return startComplaint(turn, input);
  }
  const intent = understanding?.intent;
  const answer = intent === undefined ? undefined : ANSWERS[intent];
  if (answer) return answer(turn, state, input);
  const flow = intent === undefined ? undefined : flowStartedBy(intent);
  if (flow?.start) return flow.start(turn, input);
  if (understanding?.serviceCode) return startBooking(turn, input);
  return { state: IDLE, replies: [menu(turn, turn.m.notUnderstood)] };
}
