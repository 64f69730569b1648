/**
 * What free text starts when no flow takes it: on the menu, or when a text inside a flow changes
 * topic. The intents answered on the spot come first, then the flows that declare the intent
 * (`Flow.intents`). When the classifier is unsure, the optional large-model fallback is asked,
 * else the customer is asked one short question with buttons (issue #12: a tap costs less than a
 * wrong guess); an unsure message that sounds angry goes to the complaint path.
 */
import type { Intent, Understanding } from '../domain/nlu/index.ts';
import { detectService, isUnsure, understand } from '../domain/nlu/index.ts';
import { IDLE, type State } from '../contracts/state.ts';
import { answerReport, isManager } from './commands/report.ts';
import { startBooking } from './flows/booking.ts';
import { complaintProgress, startComplaint } from './flows/complaint.ts';
import { flowStartedBy } from './flows/index.ts';
import { listBookings } from './flows/manage.ts';
import { startHandover } from './flows/handover.ts';
import { clarify, menu, prices } from './flows/menu.ts';
import type { StepResult, Turn, TurnInput } from './turn.ts';

/** Asking what became of one's complaint, rather than making a new one. */
const COMPLAINT_PROGRESS = /我的投诉|投诉(的)?(进度|进展|结果|状态)|投诉.{0,6}(怎么样|如何|处理得|处理了吗|有结果)|\bmy complaints?\b|complaint status/i;

/** Words of an upset customer: an unclear message with them is treated as a complaint. */
const ANGRY = /[!！]{2,}|[?？]{3,}|气死|垃圾|离谱|什么玩意|搞什么|太过分|过分了|无语|坑人|骗子|差劲|恶心|受不了|忍不了|火大|生气|\bwtf\b|\bridiculous\b|\bunacceptable\b|\bterrible\b|\bawful\b|\bangry\b|\bfurious\b/i;

type Answer = (turn: Turn, state: State, input: TurnInput) => StepResult | Promise<StepResult>;

/** Intents answered without opening a flow; small talk keeps whatever flow is open. */
const ANSWERS: Partial<Record<Intent, Answer>> = {
  help: (turn) => ({ state: IDLE, replies: [menu(turn)] }),
  greet: (turn, state) => ({ state, replies: [menu(turn)] }),
  thanks: (turn, state) => ({ state, replies: [{ text: turn.m.youAreWelcome }] }),
  bye: (turn, state) => ({ state, replies: [{ text: turn.m.goodbye }] }),
  price: (turn, state, input) => ({ state, replies: [prices(turn, input.understanding?.serviceCode)] }),
  bookings: (turn) => listBookings(turn),
  progress: (turn) => complaintProgress(turn),
  // A manager's report request runs the report; a customer's never opens a complaint.
  report: async (turn, state, input) =>
    (await isManager(turn)) ? answerReport(turn, input.text ?? '', state) : { state, replies: [{ text: turn.m.reportForStaff }] },
};

/**
 * Whether the text asks for a person (转人工, 人工客服, 找个真人, "talk to a human"): the one test, on
 * the menu (`byIntent`) and at every customer step of a flow (`steer.ts`), issue #15 must 1.
 */
export function asksForPerson(understanding: Understanding | undefined): boolean {
  return understanding?.intent === 'human' && !isUnsure(understanding);
}

/** Whether the classifier is too unsure of this understanding to act on it. */
function unsure(understanding: Understanding | undefined): boolean {
  return understanding !== undefined && understanding.intent !== 'unknown' && isUnsure(understanding);
}

/** The large model's reading of an unsure message, applied to the understanding; undefined when it has none. */
async function askFallback(turn: Turn, text: string, understanding: Understanding): Promise<Understanding | undefined> {
  const answer = await turn.understandFallback?.(text);
  if (!answer || answer.intent === 'unknown') return undefined;
  const serviceCode = (answer.service ? detectService(answer.service, turn.company.catalog) : undefined) ?? understanding.serviceCode;
  const time = answer.timeWords ? understand(answer.timeWords, { now: turn.now, zone: turn.company.timeZone, catalog: turn.company.catalog }) : undefined;
  const out: Understanding = { ...understanding, intent: answer.intent, confidence: 1 };
  if (serviceCode !== undefined) out.serviceCode = serviceCode;
  if (time?.start && !understanding.start) {
    out.start = time.start;
    if (time.when) out.when = time.when;
    if (time.precision) out.precision = time.precision;
  }
  return out;
}

/** Routes understood text by its intent, as if no flow were open (`state` stays for answers on the spot). */
export async function byIntent(turn: Turn, state: State, input: TurnInput): Promise<StepResult> {
  const { text } = input;
  let understanding = input.understanding;
  if (text && COMPLAINT_PROGRESS.test(text.slice(0, 200))) return complaintProgress(turn);
  if (text && understanding && (unsure(understanding) || understanding.intent === 'unknown')) {
    // The large model reads what the classifier could not act on: an unsure guess, or words it found no
    // intent in (an `unknown` of confidence 1 is symbols only: nothing to read).
    const unread = unsure(understanding) || (understanding.intent === 'unknown' && (understanding.confidence ?? 1) < 1);
    const read = unread ? await askFallback(turn, text, understanding) : undefined;
    if (read) understanding = read;
    // Unclear and upset: the complaint path, where the customer is heard first.
    else if (ANGRY.test(text)) return startComplaint(turn, input);
    else return { state, replies: [clarify(turn)] };
  }
  const routed = { ...input, understanding };
  const intent = understanding?.intent;
  if (asksForPerson(understanding)) return startHandover(turn, { reason: 'asked' });
  const answer = intent === undefined ? undefined : ANSWERS[intent];
  if (answer) return answer(turn, state, routed);
  const flow = intent === undefined ? undefined : flowStartedBy(intent);
  if (flow?.start) return flow.start(turn, routed);
  if (understanding?.serviceCode) return startBooking(turn, routed);
  return { state: IDLE, replies: [menu(turn, turn.m.notUnderstood)] };
}
