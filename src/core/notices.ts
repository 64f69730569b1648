/**
 * Questions the bot sends as notices (DOMAIN §2 回访: 问题解决了吗？ then 满意吗？; §3: the completion
 * check and the survey) stay answerable until answered or expired, whatever else was said in
 * between: by a button, by its number, or in words (还没解决, 是的，已经做完了, 挺满意的). They are
 * read from the records (the store's `openQuestions`), only when a message looks like an answer,
 * so ordinary turns pay nothing. Also here: the numbered options a customer was shown, kept with
 * the conversation so a typed "2" means the same button after a restart or in a later run.
 */
import { beyondAnswer, parseCompleted, parseResolved } from '../domain/nlu/answers.ts';
import type { Intent } from '../domain/nlu/index.ts';
import { parseOverall, readSurveyReply, parseIdentity } from '../domain/survey/answers.ts';
import { nextOpenMoment } from '../domain/quiet.ts';
import { messages } from '../i18n/index.ts';
import { surveyMessage } from '../features/survey/messages.ts';
import type { Button, Channel, Outbound } from '../contracts/messages.ts';
import type { ComplaintView, OpenQuestions, SurveyView } from '../contracts/records.ts';
import type { ShownOptions } from '../contracts/state.ts';
import { parseAction, type Action } from './actions.ts';
import { answerCallback, callbackButtons } from './flows/callback.ts';
import { answerSurvey, answersSurvey, confirmVisit } from './flows/survey.ts';
import type { StepResult, Turn, TurnInput } from './turn.ts';

/** Platforms without buttons, where options are shown as numbered lines (console, WeChat). */
const NUMBERED: ReadonlySet<Channel> = new Set<Channel>(['console', 'wechat']);

/** A typed option: its number (1-99) or its exact label. */
const OPTION_NUMBER = /^\s*(\d{1,2})\s*$/;

/** One open question: when it was put to the customer, its buttons, and how it takes words. */
interface Question {
  at: Date;
  buttons: Button[];
  /** The answer to `text`, or undefined when the text does not answer this question. */
  read(text: string, how: Reading): ((turn: Turn) => Promise<StepResult | undefined>) | undefined;
}

/** How loosely a text may be read as an answer. */
interface Reading {
  /** A bare 是的 / 没有 answers (no flow is open to have asked it). */
  bare: boolean;
  /** A rating word (满意, 一般, 好) answers: not when the text is a request of its own (你好, 擦玻璃多少钱). */
  rating: boolean;
}

/**
 * Requests that are never ratings, even with a rating word in them (你好 is a greeting, not 好).
 * Complaints and bookings are not listed: 不满意 reads as a complaint, 阿姨很仔细 names the service.
 */
const REQUESTS: ReadonlySet<Intent> = new Set<Intent>(['help', 'greet', 'price', 'bookings', 'cancel', 'reschedule', 'human', 'progress', 'report']);

/** When the callback question goes (or went) out: as staff scheduled it when resolving (staff.ts). */
function callbackAskedAt(turn: Turn, c: ComplaintView): Date {
  const resolvedAt = c.resolvedAt ?? c.receivedAt;
  return nextOpenMoment(new Date(resolvedAt.getTime() + turn.complaints.callbackDelayMs), turn.company.quietHours, turn.company.timeZone);
}

function callbackQuestion(turn: Turn, c: ComplaintView): Question {
  const at = callbackAskedAt(turn, c);
  const m = messages(c.locale === 'en' ? 'en' : 'zh');
  const asked = at <= turn.now;
  return {
    at,
    buttons: callbackButtons(m, c).flat(),
    read(text, { bare, rating }) {
      const act = (kind: 'solved' | 'unsolved' | 'sat' | 'unsat', said?: string) => (t: Turn) => answerCallback(t, { kind, number: c.number }, said);
      if (c.solved) {
        const overall = rating ? parseOverall(text) : undefined;
        if (!overall) return undefined;
        return act(overall === 'satisfied' ? 'sat' : 'unsat');
      }
      // Before the question went out only a clear answer counts (好的 acknowledges the result).
      const answer = parseResolved(text, { bare: bare && asked });
      if (answer === 'yes') return act('solved');
      if (answer === 'no') return act('unsolved', reasonIn(text));
      return undefined;
    },
  };
}

/** 还没解决，赔偿一直没给 -> 赔偿一直没给: what the customer said beyond "not solved". */
function reasonIn(text: string): string | undefined {
  return beyondAnswer(text, (clause) => parseResolved(clause) === 'no');
}

function visitQuestion(turn: Turn, visit: OpenQuestions['visits'][number]): Question {
  const ref = `${visit.bookingId}.${visit.visit}`;
  return {
    at: visit.completedAt,
    // As the notice of survey.ts's `complete` shows them.
    buttons: [
      { label: turn.m.confirmDone, action: `vok:${ref}` },
      { label: turn.m.disputeDone, action: `vno:${ref}` },
    ],
    read(text, { bare }) {
      const answer = parseCompleted(text, { bare });
      if (!answer) return undefined;
      return (turn) => confirmVisit(turn, { kind: answer === 'yes' ? 'vok' : 'vno', ref }, text);
    },
  };
}

function surveyQuestion(turn: Turn, s: SurveyView): Question {
  return {
    at: s.remindedAt ?? s.sentAt ?? s.completedAt,
    buttons: (surveyMessage(s, turn.company, turn.now).buttons ?? []).flat(),
    read(text, { rating }) {
      return rating && answersSurvey(s, text) ? (t) => answerSurvey(t, s, text) : undefined;
    },
  };
}

/** Whether the text could answer any notice question: cheap checks before reading the records. */
function mayAnswer(text: string, how: Reading): boolean {
  if (parseResolved(text, how) || parseCompleted(text, how)) return true;
  if (!how.rating) return false;
  if (parseOverall(text) || parseIdentity(text)) return true;
  const said = readSurveyReply(text);
  return Boolean(said.overall || said.quality || said.timeliness);
}

/** The customer's open notice questions, newest first; those not put to them yet come last. */
async function openQuestions(turn: Turn): Promise<Question[]> {
  const since = new Date(turn.now.getTime() - turn.survey.windowMs);
  const open = await turn.store.openQuestions(turn.customer.id, since);
  const questions = [
    ...open.callbacks.map((c) => callbackQuestion(turn, c)),
    ...open.visits.map((v) => visitQuestion(turn, v)),
    ...open.surveys.filter((s) => s.customerId === turn.customer.id).map((s) => surveyQuestion(turn, s)),
  ];
  const asked = (q: Question) => (q.at <= turn.now ? 1 : 0);
  return questions.sort((a, b) => asked(b) - asked(a) || b.at.getTime() - a.at.getTime());
}

/** Longest reply a free-text step gives up to a notice: 还没解决, 是的，已经做完了 (an address or a description is longer). */
const CLEAR_ANSWER_LENGTH = 10;

/**
 * Text that answers an open notice question, answered; undefined when it answers none (nothing is
 * read from the records unless the text looks like an answer). `bare` lets a bare 是的/没有 answer
 * the newest question: only when no flow is open, where nothing else asked a yes/no question.
 * `clearOnly` (at a flow's free-text step) takes only a short answer to resolved?/completed?, no rating.
 */
export async function answerNotice(turn: Turn, input: TurnInput, opts: { bare: boolean; clearOnly?: boolean }): Promise<StepResult | undefined> {
  const text = input.text?.trim();
  if (!text || (opts.clearOnly && text.length > CLEAR_ANSWER_LENGTH)) return undefined;
  const how: Reading = { bare: opts.bare, rating: !opts.clearOnly && !REQUESTS.has(input.understanding?.intent ?? 'unknown') };
  if (turn.from.chatType !== 'private' || !mayAnswer(text, how)) return undefined;
  for (const question of await openQuestions(turn)) {
    const answer = question.read(text, how);
    if (answer) {
      const result = await answer(turn);
      if (result) return result;
    }
  }
  return undefined;
}

/**
 * A typed "2" (or a label) on a platform that shows options as numbered lines, when the platform
 * did not turn it into a button itself (after a restart, in a later run): the button of the options
 * last shown, the conversation's or a newer notice question's. Undefined when the text picks none.
 */
export async function pickShownOption(turn: Turn, text: string, shown: ShownOptions | undefined): Promise<Action | undefined> {
  if (!NUMBERED.has(turn.from.channel) || turn.from.chatType !== 'private') return undefined;
  const number = OPTION_NUMBER.exec(text)?.[1];
  const label = text.trim();
  const byLabel = shown?.options.find((o) => o.label === label);
  if (number === undefined) return byLabel ? parseAction(byLabel.action) : undefined;
  const index = Number(number) - 1;
  let options: readonly { action: string }[] = shown?.options ?? [];
  // A notice question put to the customer after those options is what they see last.
  const shownAt = shown ? new Date(shown.at) : new Date(0);
  const newer = (await openQuestions(turn)).find((q) => q.at > shownAt && q.at <= turn.now);
  if (newer) options = newer.buttons;
  const picked = options[index];
  return picked ? parseAction(picked.action) : undefined;
}

/** The options a turn's replies show, numbered in order as the console and WeChat render them. */
export function shownBy(replies: readonly Outbound[], now: Date): ShownOptions | undefined {
  const options = replies.flatMap((r) => (r.buttons ?? []).flat()).map((b) => ({ label: b.label, action: b.action }));
  return options.length > 0 ? { at: now.toISOString(), options } : undefined;
}
