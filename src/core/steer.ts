/**
 * What a message does to an open flow, the same for every flow (issue #16): a way out (算了, 退出)
 * leaves politely, saying what was not saved; a side question (price, what is included, opening
 * hours, how to cancel) is answered and the flow's question asked again; starting something else
 * goes through the flow's `onTopicSwitch` (the booking asks whether to drop its draft); the rest
 * answers the open step. A message with two requests (a booking and a question) is handled
 * request by request, in the order written, with the open question asked once, last.
 */
import { understand, parseYesNo, type Understanding } from '../domain/nlu/index.ts';
import { rulesIntent } from '../domain/nlu/rules.ts';
import { clauses, isExit, sideQuestion, type SideQuestion } from '../domain/nlu/steering.ts';
import { IDLE, type ActiveState, type State } from '../contracts/state.ts';
import type { Outbound } from '../contracts/messages.ts';
import { switchesTopic, type Flow } from './flow.ts';
import { flowStartedBy } from './flows/index.ts';
import { handOverFrom } from './flows/handover.ts';
import { asksForPerson } from './intents.ts';
import { prices } from './flows/menu.ts';
import { mentionsTime, type StepResult, type Turn, type TurnInput } from './turn.ts';

/** What the engine lends the steering: routing as if idle, and asking again after a lead. */
interface Routes {
  /** Routes input as if no flow were open (`state` stays for answers on the spot). */
  byIntent(state: State, input: TurnInput): Promise<StepResult>;
  /** `lead` ("not understood", "stale button"), then the open question again. */
  reprompt(state: State, lead: string): Promise<StepResult>;
  /** An answer to an open notice question (还没解决, 已经做完了), if the input is one (`notices.ts`). */
  notice(state: State, input: TurnInput, opts?: { clearOnly?: boolean }): Promise<StepResult | undefined>;
  /** A result that finishes a question which had interrupted another flow: that flow's question again. */
  resume(state: State, result: StepResult): Promise<StepResult>;
}

/** More clauses than this is a long story (a complaint), not a list of requests. */
const MAX_REQUESTS = 6;

/**
 * Intents answered where the customer stands (a price, 我的预约, the hotline, small talk): any that
 * starts no flow, except the menu. The flow's question follows the answer.
 */
function onTheSpot(understanding: Understanding): boolean {
  const { intent } = understanding;
  // Asking for a person is no aside: the handover (#15) takes the conversation over.
  return intent !== 'help' && intent !== 'unknown' && intent !== 'human' && flowStartedBy(intent) === undefined && understanding.serviceCode === undefined;
}

/** A step a customer answers in a private chat: not staff work, nor the handover itself. */
function customerStep(turn: Turn, flow: Flow): boolean {
  return turn.from.chatType === 'private' && !flow.staffSide && !flow.exclusive;
}

/** A text as the engine would have understood it. */
function understood(turn: Turn, text: string): TurnInput {
  return { text, understanding: understand(text, { now: turn.now, zone: turn.company.timeZone, catalog: turn.company.catalog }) };
}

/** The flow's open question, as a step result. */
async function askAgain(flow: Flow, turn: Turn, state: ActiveState): Promise<StepResult> {
  const again = await flow.reprompt(turn, state);
  return 'state' in again ? again : { state, replies: [again] };
}

/** `answers`, then the flow's open question again. */
async function withQuestion(flow: Flow, turn: Turn, state: ActiveState, answers: Outbound[]): Promise<StepResult> {
  const again = await askAgain(flow, turn, state);
  return { state: again.state, replies: [...answers, ...again.replies] };
}

/** The side question a text asks, if any ("那擦玻璃呢？" asks about the service it names). */
function askedAbout(text: string, understanding: Understanding | undefined): SideQuestion | undefined {
  return sideQuestion(text, understanding?.serviceCode !== undefined);
}

/** The answer to side question `kind`; `service` is the flow's, for "多少钱？". */
function aside(turn: Turn, kind: SideQuestion | undefined, understanding: Understanding | undefined, service: string | undefined): Outbound | undefined {
  const named = understanding?.serviceCode;
  const { m, company } = turn;
  switch (kind) {
    case undefined:
      return undefined;
    case 'hours':
      return { text: m.hoursAnswer({ open: company.serviceHours.start, close: company.serviceHours.end, hotline: company.hotline }) };
    case 'contact':
      return { text: m.contactAnswer({ hotline: company.hotline }) };
    case 'howCancel':
      return { text: m.howToCancel };
    case 'howReschedule':
      return { text: m.howToReschedule };
    default: {
      // A price or what a service includes: its card, without a button that would start another booking.
      const card = prices(turn, named ?? service);
      const buttons = card.buttons?.map((row) => row.filter((b) => !b.action.startsWith('svc:'))).filter((row) => row.length > 0);
      return buttons && buttons.length > 0 ? { text: card.text, buttons } : { text: card.text };
    }
  }
}

/**
 * On the menu, a question about the company itself, its number or its hours ("你们电话多少？",
 * "你们几点上班？"), answered as asked, where the intents read a price list (多少), a handover
 * (客服), a complaint or the menu into it. A text that also names a service or a time, uses a
 * complaint's words ("我要投诉…"), or asks the hours while starting a flow goes by its intent.
 */
export function companyQuestion(turn: Turn, input: TurnInput): StepResult | undefined {
  const { text, understanding } = input;
  if (!text || !understanding || understanding.serviceCode !== undefined || understanding.start !== undefined) return undefined;
  const kind = askedAbout(text, understanding);
  if (kind === 'contact' && rulesIntent(text) === 'complain') return undefined;
  if (kind === 'hours' && understanding.intent !== 'human' && flowStartedBy(understanding.intent) !== undefined) return undefined;
  if (kind !== 'contact' && kind !== 'hours') return undefined;
  const answer = aside(turn, kind, understanding, undefined);
  return answer ? { state: IDLE, replies: [answer] } : undefined;
}

/**
 * One input inside an open flow: a pending "drop this?" answered, a way out, a side question, a
 * change of topic, or an answer to the open step ("not understood" and the question again when
 * it is none of these).
 */
export async function steer(turn: Turn, flow: Flow, opened: ActiveState, input: TurnInput, routes: Routes): Promise<StepResult> {
  const { text, action, understanding } = input;
  let state = opened;
  if ('pending' in state && state.pending !== undefined) {
    const rest: ActiveState = { ...state, pending: undefined };
    const said = text ? (parseYesNo(text) ?? (isExit(text) ? 'yes' : undefined)) : undefined; // "放弃吧": drop it
    const answer = action?.kind === 'yes' ? 'yes' : action?.kind === 'no' ? 'no' : said;
    if (answer === 'yes') return routes.byIntent(IDLE, understood(turn, state.pending));
    if (answer === 'no') return withQuestion(flow, turn, rest, [{ text: turn.m.carryOn }]);
    state = rest; // something else: taken as it comes
  }
  // Asking for a person at a customer's step: handed over at once, the draft kept for the person
  // (issue #15 must 1), unless the words are the step's answer (人工湖小区3栋501 at the address).
  const asked = text !== undefined ? askedAbout(text, understanding) : undefined;
  // "客服电话多少" asks for the number, not for a person: answered below as a side question.
  if (text && asksForPerson(understanding) && asked !== 'contact' && customerStep(turn, flow) && !flow.fillsSlot?.(state, input)) return handOverFrom(turn, flow, state, 'asked');
  if (text && flow.leave && isExit(text)) return flow.leave(turn, state);
  // "周末可以吗？" at a time step asks for a time, not about opening hours.
  const timely = flow.takesTime?.(state) === true && mentionsTime(input);
  const asides = text !== undefined && flow.sideQuestions?.(state) === true && !flow.claims?.(state, input) && !timely;
  if (asides) {
    const answer = aside(turn, asked, understanding, flow.serviceOf?.(state));
    if (answer) return withQuestion(flow, turn, state, [answer]);
  }
  if (understanding && switchesTopic(flow, state, input)) {
    const answered = await routes.notice(state, input);
    if (answered) return answered;
    if (asides && onTheSpot(understanding)) return withQuestion(flow, turn, state, (await routes.byIntent(state, input)).replies);
    return (await flow.onTopicSwitch?.(turn, state, input)) ?? routes.byIntent(state, input);
  }
  // A free-text step (an address, a name) takes any text, but not a short, clear answer to a notice.
  if (text !== undefined && flow.freeTextSteps.has(state.step)) {
    const answered = await routes.notice(state, input, { clearOnly: true });
    if (answered) return answered;
  }
  const result = await flow.continue(turn, state, input);
  if (result) return routes.resume(state, result);
  const answered = await routes.notice(state, input);
  if (answered) return answered;
  const other = await flow.onUnanswered?.(turn, state, input, (elsewhere) => routes.byIntent(IDLE, elsewhere));
  if (other) return other;
  return routes.reprompt(state, action ? turn.m.staleButton : turn.m.notUnderstood);
}

/**
 * The requests of a message that makes more than one, in the order written: its questions (price,
 * what is included, hours...) each on its own, and the rest as one request ("明天下午三点来做日常
 * 保洁，顺便问下擦玻璃怎么收费？" -> the booking, then the price). Undefined for one request.
 */
export function requestsIn(turn: Turn, state: State, flow: Flow | undefined, input: TurnInput): TurnInput[] | undefined {
  if (!input.text || input.action) return undefined;
  // Inside a flow that takes side questions only: a survey answer or a staff prompt is one answer.
  if (state.flow !== 'idle' && !(flow && state.flow === flow.name && flow.sideQuestions?.(state))) return undefined;
  const parts = clauses(input.text);
  if (parts.length < 2 || parts.length > MAX_REQUESTS) return undefined;
  const read = parts.map((part) => understood(turn, part));
  const isQuestion = read.map((part) => askedAbout(part.text ?? '', part.understanding) !== undefined);
  const rest = read.filter((_, i) => !isQuestion[i]);
  const restText = rest.map((part) => part.text).join('');
  const restInput = restText ? understood(turn, restText) : undefined;
  // Inside a flow the rest answers the open step ("阳光小区3栋501，对了消杀多少钱？"); idle, it must ask for something.
  const meaningful =
    restInput?.understanding &&
    (state.flow !== 'idle' ||
      !['unknown', 'help'].includes(restInput.understanding.intent) ||
      restInput.understanding.start !== undefined ||
      restInput.understanding.serviceCode !== undefined);
  const questions = read.filter((_, i) => isQuestion[i]).length;
  if (questions === 0 || questions + (meaningful ? 1 : 0) < 2) return undefined;
  const requests: TurnInput[] = [];
  read.forEach((part, i) => {
    if (isQuestion[i]) requests.push(part);
    else if (meaningful && restInput && !requests.includes(restInput)) requests.push(restInput);
  });
  return requests;
}

/**
 * Routes each request in turn on the state the previous one left; the open question is asked
 * once, last. With no flow open, a question is answered on the spot ("保洁多少钱？擦玻璃呢？").
 */
export async function inOrder(turn: Turn, state: State, requests: TurnInput[], route: (state: State, input: TurnInput) => Promise<StepResult>): Promise<StepResult> {
  let current = state;
  const replies: Outbound[] = [];
  let service: string | undefined;
  for (const request of requests) {
    const answer = current.flow === 'idle' && request.text ? aside(turn, askedAbout(request.text, request.understanding), request.understanding, service) : undefined;
    const result = answer ? { state: current, replies: [answer] } : await route(current, request);
    service = request.understanding?.serviceCode ?? service;
    const last = replies[replies.length - 1];
    if (last && result.replies.some((r) => r.text === last.text)) replies.pop();
    replies.push(...result.replies);
    current = result.state;
  }
  return { state: current, replies };
}
