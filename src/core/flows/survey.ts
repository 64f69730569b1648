/**
 * Completed visits and the callback survey (DOMAIN §3). Staff mark a visit done (`/done`); the
 * customer is asked to confirm it; the survey is scheduled and later sent by the survey sweep.
 * Here: the customer's (or, for a phone callback, the front desk's) answers, in the script's words,
 * with buttons for every choice and free text understood; 一般/不满意 with a reason becomes a
 * complaint, graded and escalated by the complaint rules.
 */
import { DateTime } from 'luxon';
import { mayAct } from '../../domain/complaints/permissions.ts';
import { parseIdentity, parseOverall, parseQuality, parseTimeliness, readSurveyReply, type Overall } from '../../domain/survey/answers.ts';
import { nextOpenMoment } from '../../domain/quiet.ts';
import { parseCompleted } from '../../domain/nlu/answers.ts';
import { closingLine, holidayOn } from '../../domain/survey/script.ts';
import { firstSendAt } from '../../domain/survey/timing.ts';
import { tz } from '../../domain/zone.ts';
import { formatDate, formatDateTime, messages, type Messages } from '../../i18n/index.ts';
import { maskPhone } from '../../domain/privacy.ts';
import { openStep, scriptContext, surveyLocale, surveyQuestion } from '../../features/survey/messages.ts';
import type { Action } from '../actions.ts';
import type { StaffBookingView, SurveyChange, SurveyView } from '../../contracts/records.ts';
import type { State } from '../../contracts/state.ts';
import type { Outbound } from '../../contracts/messages.ts';
import { visitDisputeKey } from '../../contracts/outbox.ts';
import type { StepResult, Turn, TurnInput } from '../turn.ts';
import { recordComplaint } from './complaint.ts';
import { menu } from './menu.ts';
import type { Flow } from '../flow.ts';
import { cleanLine } from '../../lib/text.ts';

type SurveyState = Extract<State, { flow: 'survey' }>;
type SurveyStep = SurveyState['step'];

const IDLE: State = { flow: 'idle' };
const MAX_COMMENT = 1000;

function reply(state: State, text: string, buttons?: Outbound['buttons']): StepResult {
  return { state, replies: [{ text, buttons }] };
}

// ---- marking a visit done ----

function bookingButton(turn: Turn, b: StaffBookingView) {
  return [{ label: `${b.number} ${b.contactName}${b.salutation} ${b.serviceName} ${formatDateTime(turn.m, b.start, turn.company.timeZone, { now: turn.now })}`, action: `done:${b.id}` }];
}

/** `/done [booking number]` from any staff chat: marks a visit completed and schedules its survey. */
export async function markDone(turn: Turn, text: string): Promise<StepResult> {
  const { m } = turn;
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!staff) return reply(IDLE, m.notStaff);
  const number = text.trim().split(/\s+/)[1]?.toUpperCase();
  if (!number) {
    const list = await turn.store.bookingsToComplete(turn.now, 10);
    if (list.length === 0) return reply(IDLE, m.noBookingsToComplete);
    return reply(IDLE, m.pickBookingToComplete, list.map((b) => bookingButton(turn, b)));
  }
  const booking = await turn.store.staffBooking(number);
  return booking ? complete(turn, booking, staff.id) : reply(IDLE, m.bookingUnknown);
}

/** The `done:<booking id>` button. */
async function markDoneById(turn: Turn, id: number): Promise<StepResult> {
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!staff) return reply(IDLE, turn.m.notStaff);
  const booking = await turn.store.staffBookingById(id);
  return booking ? complete(turn, booking, staff.id) : reply(IDLE, turn.m.bookingUnknown);
}

/** Marks a visit of `b` completed by `staffId` (`/done`, and a work order's completion). */
export function complete(turn: Turn, b: StaffBookingView, staffId: number): StepResult {
  const { m, company, now } = turn;
  if (!['requested', 'confirmed', 'assigned'].includes(b.status)) return reply(IDLE, m.bookingNotActive({ number: b.number }));
  const channel = b.channelOfCustomer;
  const chatId = b.chatIdOfCustomer;
  if (!channel || !chatId) return reply(IDLE, m.bookingUnknown);
  const visit = b.visits + 1;
  const dueAt = firstSendAt(now, { policy: turn.survey, quietHours: company.quietHours, zone: company.timeZone });
  turn.effects.push({
    kind: 'completeVisit',
    bookingId: b.id,
    visits: b.visits,
    // Each completed visit of a recurring booking counts as one service (DOMAIN §3).
    completed: b.frequency === 'once',
    survey: { customerId: b.customerId, channel, chatId, locale: b.localeOfCustomer, completedAt: now, completedBy: `staff:${staffId}`, dueAt },
  });
  const cm = messages(b.localeOfCustomer === 'en' ? 'en' : 'zh');
  turn.effects.push({
    kind: 'enqueue',
    message: {
      channel,
      chatId,
      kind: 'notice',
      dedupeKey: `booking:${b.id}:visit:${visit}:done`,
      message: {
        text: cm.confirmCompletion({ date: formatDate(cm, DateTime.fromJSDate(b.start, { zone: tz(company.timeZone) }).toISODate() ?? '', company.timeZone, { now }), service: b.serviceName, number: b.number }),
        buttons: [[{ label: cm.confirmDone, action: `vok:${b.id}.${visit}` }, { label: cm.disputeDone, action: `vno:${b.id}.${visit}` }]],
      },
    },
  });
  return reply(IDLE, m.visitMarked({ number: b.number, visit, at: formatDateTime(m, dueAt, company.timeZone, { now }) }));
}

/**
 * The customer's answer to "please confirm the visit is completed" (a button, its number, or words
 * read by core/notices.ts). The payload is checked against what was shown: a completed visit of
 * this customer's booking; a visit is disputed once. The survey starts only after the confirmation
 * (DOMAIN §3): confirmed after its first send time, it goes out at the next sweep (outside quiet hours).
 */
export async function confirmVisit(turn: Turn, action: Extract<Action, { kind: 'vok' | 'vno' }>, said?: string): Promise<StepResult | undefined> {
  const { m } = turn;
  const [bookingId, visit] = action.ref.split('.').map(Number) as [number, number];
  if (turn.from.chatType !== 'private') return undefined;
  const v = await turn.store.completedVisit(turn.customer.id, bookingId, visit);
  if (!v) return undefined; // the engine answers "stale button" and asks the open question again
  if (action.kind === 'vok') {
    if (v.confirmedAt === null) {
      const s = await turn.store.survey(v.surveyId);
      if (s?.status === 'scheduled') {
        const firstAt = firstSendAt(s.completedAt, { policy: turn.survey, quietHours: turn.company.quietHours, zone: turn.company.timeZone });
        const dueAt = firstAt > turn.now ? firstAt : nextOpenMoment(turn.now, turn.company.quietHours, turn.company.timeZone);
        // 做完了，挺满意的: what the confirmation already says is not asked again in the survey.
        save(turn, s, { confirmedAt: turn.now, dueAt, ...(said ? ratingsIn(said, turn.now) : {}) });
      } else {
        turn.effects.push({ kind: 'confirmVisit', bookingId, visit, at: turn.now });
      }
    }
    return reply(IDLE, m.completionThanks);
  }
  if (v.disputed) return reply(IDLE, m.completionAlreadyDisputed);
  turn.effects.push({
    kind: 'enqueue',
    message: {
      ...turn.complaints.rooms.contact,
      kind: 'notice',
      dedupeKey: visitDisputeKey(bookingId, visit),
      message: { text: turn.staffM.completionDisputedPost({ number: v.number, who: turn.customer.name ?? turn.from.displayName ?? '' }) },
    },
  });
  return reply(IDLE, m.completionDisputed);
}

// ---- the survey ----

interface Answerer {
  /** "customer" or "staff:<id>". */
  by: string;
  m: Messages;
}

/** Who may answer: the surveyed customer, or front-desk staff recording a phone callback. */
async function answerer(turn: Turn, s: SurveyView): Promise<Answerer | undefined> {
  if (s.customerId === turn.customer.id && turn.from.chatType === 'private') return { by: 'customer', m: messages(surveyLocale(s.locale)) };
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (staff && mayAct(staff.role, 'resolve', 'contact')) return { by: `staff:${staff.id}`, m: turn.m };
  return undefined;
}

function save(turn: Turn, s: SurveyView, change: SurveyChange): void {
  turn.effects.push({ kind: 'updateSurvey', id: s.id, version: s.version, change });
}

const OVERALL: Record<string, Overall> = { s: 'satisfied', a: 'average', d: 'dissatisfied' };
const QUALITY: Record<string, string> = { s: 'satisfied', b: 'basic', d: 'dissatisfied' };
const TIMELINESS: Record<string, string> = { t: 'timely', a: 'average', l: 'late' };

/** The question of `step`, as the survey's open state. */
function askStep(turn: Turn, s: SurveyView, who: Answerer, step: SurveyStep, overall?: Overall): StepResult {
  const ctx = scriptContext(s, turn.company, turn.now);
  return {
    state: { flow: 'survey', surveyId: s.id, step },
    // Staff taking a phone callback type the comment in their room: a prompt to reply to.
    replies: [{ ...surveyQuestion(who.m, s, step, ctx, overall), ...(step === 'comment' && who.by !== 'customer' ? { expectsReply: true } : {}) }],
  };
}

/** One answer (a button); records it and asks the next question. */
async function answer(turn: Turn, s: SurveyView, who: Answerer, field: string, value: string, text?: string): Promise<StepResult> {
  const { m } = who;
  const now = turn.now;
  switch (field) {
    case 'i':
      if (value === 'y') return advance(turn, s, who, { identityOk: true });
      // Not that person: apologise, stop, hand the case to the front desk (DOMAIN §3).
      save(turn, s, { identityOk: false, status: 'declined', dueAt: null, answeredAt: now, answeredBy: who.by });
      turn.effects.push({
        kind: 'enqueue',
        message: { ...turn.complaints.rooms.contact, kind: 'phone', dedupeKey: `survey:${s.id}:declined`, message: { text: turn.staffM.surveyWrongPersonPost({ number: s.booking.number }) } },
      });
      return reply(IDLE, m.surveyWrongPerson);
    case 'o':
      return advance(turn, s, who, { overall: OVERALL[value], overallAt: now });
    case 'q':
      return advance(turn, s, who, { quality: QUALITY[value], qualityAt: now });
    case 't':
      return advance(turn, s, who, { timeliness: TIMELINESS[value], timelinessAt: now });
    default:
      return finish(turn, s, who, text);
  }
}

/**
 * Records this turn's answers and asks the first question still open: what the customer already
 * said (in the confirmation, or several answers in one reply) is not asked again; with the reason
 * already given, the survey ends.
 */
function advance(turn: Turn, s: SurveyView, who: Answerer, change: SurveyChange): Promise<StepResult> | StepResult {
  const merged: SurveyView = { ...s, ...change } as SurveyView;
  // Staff recording a phone callback start at the satisfaction question: no identity to ask.
  const next = openStep(who.by === 'customer' ? merged : { ...merged, identityOk: merged.identityOk ?? true });
  if (next === 'comment' && merged.comment !== null) return finish(turn, s, who, merged.comment, change);
  save(turn, s, change);
  return askStep(turn, merged, who, next, (merged.overall as Overall | null) ?? undefined);
}

/**
 * The last answer: the suggestion or reason, the closing line, and the closed loop. `prior` holds
 * the answers recorded in the same turn (a reply that answered several questions at once).
 */
async function finish(turn: Turn, s: SurveyView, who: Answerer, comment?: string, prior: SurveyChange = {}): Promise<StepResult> {
  const { m } = who;
  const now = turn.now;
  const overall = ((prior.overall ?? s.overall) as Overall | null) ?? 'satisfied';
  const holiday = holidayOn(now, turn.company.holidays, turn.company.timeZone);
  const closing = { text: closingLine(overall, holiday, surveyLocale(s.locale)) };
  // A reason recorded in an earlier turn keeps its time.
  const said = comment && comment !== s.comment ? { comment, commentAt: now } : {};
  const change: SurveyChange = { ...prior, status: 'answered', dueAt: null, answeredAt: now, answeredBy: who.by, ...said };
  if (overall === 'satisfied' || !comment) {
    save(turn, s, change);
    return { state: IDLE, replies: who.by === 'customer' ? [closing] : [{ text: turn.m.surveyRecorded }] };
  }
  // 一般/不满意 with a reason becomes a complaint (DOMAIN §3 closed loop).
  const { number, result } = await recordComplaint(
    turn,
    { content: comment, bookingId: s.bookingId, hadLoss: false, lossYuan: null, priorCount: 0 },
    [],
    {
      customer: { id: s.customerId, name: s.booking.contactName, salutation: s.booking.salutation === '女士' ? '女士' : '先生', phone: s.booking.phone, address: s.booking.address },
      channel: s.channel,
      chatId: s.chatId,
      locale: surveyLocale(s.locale),
    },
  );
  save(turn, s, { ...change, complaintNumber: number });
  const passedOn = { text: m.surveyPassedOn({ number }) };
  if (who.by === 'customer') return { state: IDLE, replies: [closing, passedOn] };
  turn.effects.push({ kind: 'enqueue', message: { channel: s.channel, chatId: s.chatId, kind: 'notice', dedupeKey: `survey:${s.id}:passed`, message: passedOn } });
  return { state: IDLE, replies: [{ text: turn.m.surveyRecorded }, ...result.replies] };
}

/**
 * The survey answers a confirmation gives beyond the confirmation itself (是的，做完了，挺满意的 ->
 * satisfied), with their times; a bare 是的 is the confirmation, not a rating.
 */
function ratingsIn(text: string, now: Date): SurveyChange {
  const rest = text
    .split(/[，,。.；;！!？?\n]+/)
    .map((c) => c.trim())
    .filter((c) => c && parseCompleted(c, { bare: true }) === undefined);
  if (rest.length === 0) return {};
  const said = readSurveyReply(rest.join('，'));
  return {
    ...(said.reason ? { comment: said.reason.slice(0, MAX_COMMENT), commentAt: now } : {}),
    ...(said.overall ? { overall: said.overall, overallAt: now } : {}),
    ...(said.quality ? { quality: said.quality, qualityAt: now } : {}),
    ...(said.timeliness ? { timeliness: said.timeliness, timelinessAt: now } : {}),
  };
}

/** The order of the answers (identity, overall, quality, timeliness, comment). */
const ANSWER_ORDER = 'ioqtc';

/** The field of the first question not yet answered. */
function nextQuestion(s: SurveyView): string {
  if (s.identityOk === null) return 'i';
  if (s.overall === null) return 'o';
  if (s.quality === null) return 'q';
  if (s.timeliness === null) return 't';
  return 'c';
}

/** A survey button: `sv:<id>:<field><value>` (identity, overall, quality, timeliness, no comment, phone record). */
async function surveyAction(turn: Turn, action: Extract<Action, { kind: 'sv' }>): Promise<StepResult> {
  const [idText, code] = action.answer.split(':') as [string, string];
  const s = await turn.store.survey(Number(idText));
  const who = s ? await answerer(turn, s) : undefined;
  if (!s || !who) return reply(IDLE, turn.m.surveyUnknown);
  if (s.status === 'answered' || s.status === 'declined') return reply(IDLE, who.m.surveyDone);
  const field = code.charAt(0);
  // The customer answers questions they were sent: not before the survey went out, and not one
  // further on than the first unanswered question (an earlier one may be answered again).
  if (who.by === 'customer' && (s.sentAt === null || ANSWER_ORDER.indexOf(field) > ANSWER_ORDER.indexOf(nextQuestion(s)))) {
    return reply(IDLE, turn.m.surveyUnknown);
  }
  const value = code.charAt(1);
  if (field === 'p') {
    // The front desk takes a phone task: the number to call, then the same questions.
    if (who.by === 'customer') return reply(IDLE, turn.m.surveyUnknown);
    const ctx = scriptContext(s, turn.company, turn.now);
    return {
      state: { flow: 'survey', surveyId: s.id, step: 'overall' },
      replies: [
        {
          // A staff room is a group: the number stays masked there (DOMAIN §5); the full number is
          // given only in a private chat with the bot (/call <booking number>).
          text: turn.m.phoneReveal({
            who: `${s.booking.contactName}${s.booking.salutation}`,
            phone: turn.from.chatType === 'private' ? s.booking.phone : `${maskPhone(s.booking.phone)}${turn.m.phoneInPrivate({ number: s.booking.number })}`,
          }),
        },
        surveyQuestion(turn.m, s, 'overall', ctx),
      ],
    };
  }
  return answer(turn, s, who, field, value);
}

/** Text while a survey question is open; undefined when it does not answer it. */
async function continueSurvey(turn: Turn, state: SurveyState, input: TurnInput): Promise<StepResult | undefined> {
  if (input.action?.kind === 'sv') return surveyAction(turn, input.action);
  const text = input.text === undefined ? undefined : cleanLine(input.text);
  if (!text) return undefined;
  const s = await turn.store.survey(state.surveyId);
  const who = s ? await answerer(turn, s) : undefined;
  if (!s || !who || s.status === 'answered' || s.status === 'declined') return { state: IDLE, replies: [{ text: turn.m.surveyDone }] };
  return answerInWords(turn, s, who, state.step, text);
}

/**
 * A survey under way, answered in words from outside its flow (core/notices.ts): the first open
 * question takes the text, except the free comment, which is only taken inside the survey.
 */
export async function answerSurvey(turn: Turn, s: SurveyView, text: string): Promise<StepResult | undefined> {
  const who = await answerer(turn, s);
  const step = openStep(s);
  if (who?.by !== 'customer' || step === 'comment') return undefined;
  return answerInWords(turn, s, who, step, cleanLine(text));
}

/** Whether `text` answers the survey's first open question (without recording anything). */
export function answersSurvey(s: SurveyView, text: string): boolean {
  switch (openStep(s)) {
    case 'identity':
      return parseIdentity(firstClause(text)) !== undefined;
    case 'overall':
      return (readSurveyReply(text).overall ?? parseOverall(text)) !== undefined;
    case 'quality':
      return (readSurveyReply(text).quality ?? parseQuality(text)) !== undefined;
    case 'timeliness':
      return (readSurveyReply(text).timeliness ?? parseTimeliness(text)) !== undefined;
    case 'comment':
      return false;
  }
}

function firstClause(text: string): string {
  return text.split(/[，,。.；;！!？?\n]+/)[0]?.trim() ?? '';
}

/** 没有了 / 没什么建议 / 挺好的没有: the comment question's "no comment", in words. */
const NO_COMMENT = /^(?:没有?了?|没啥|没什么(?:建议|意见)?了?|暂时没有|都挺好的?|no|nope|nothing|none)[\s\p{P}]*(?:谢谢|thanks)?[\s\p{P}]*$/iu;

/**
 * Text at `step`: it must answer that question; whatever else it says is recorded too and not asked
 * again (挺满意的，阿姨很仔细 answers the overall rating, the service quality and the reason), and
 * the next question is the first still open (DOMAIN §3: short, nothing asked twice).
 */
async function answerInWords(turn: Turn, s: SurveyView, who: Answerer, step: SurveyStep, text: string): Promise<StepResult | undefined> {
  if (step === 'comment') return finish(turn, s, who, NO_COMMENT.test(text) ? undefined : text.slice(0, MAX_COMMENT));
  const change: SurveyChange = {};
  let rest = text;
  if (step === 'identity') {
    const first = firstClause(text);
    const identity = parseIdentity(first) ?? parseIdentity(text);
    if (!identity) return undefined;
    if (identity === 'no') return answer(turn, s, who, 'i', 'n');
    change.identityOk = true;
    rest = text.slice(text.indexOf(first) + first.length).replace(/^[\s，,。.；;！!？?]+/, '');
  }
  const said = rest ? readSurveyReply(rest) : {};
  const overall = said.overall ?? (step === 'overall' ? parseOverall(rest) : undefined);
  const quality = said.quality ?? (step === 'quality' ? parseQuality(rest) : undefined);
  const timeliness = said.timeliness ?? (step === 'timeliness' ? parseTimeliness(rest) : undefined);
  if ((step === 'overall' && !overall) || (step === 'quality' && !quality) || (step === 'timeliness' && !timeliness)) return undefined;
  const now = turn.now;
  // A later question answered early is recorded; one answered before is changed only when asked.
  if (overall && (step === 'overall' || s.overall === null)) Object.assign(change, { overall, overallAt: now });
  if (quality && (step === 'quality' || s.quality === null)) Object.assign(change, { quality, qualityAt: now });
  if (timeliness && (step === 'timeliness' || s.timeliness === null)) Object.assign(change, { timeliness, timelinessAt: now });
  // The reason said early (阿姨很仔细) is kept, and the question asking for it is skipped.
  if (said.reason && s.comment === null) Object.assign(change, { comment: said.reason.slice(0, MAX_COMMENT), commentAt: now });
  return advance(turn, s, who, change);
}

/** The open question again (after an interruption or a stale button). */
async function repromptSurvey(turn: Turn, state: SurveyState): Promise<Outbound | undefined> {
  const s = await turn.store.survey(state.surveyId);
  if (!s || s.status === 'answered' || s.status === 'declined') return undefined;
  const m = messages(surveyLocale(s.locale));
  return surveyQuestion(m, s, state.step, scriptContext(s, turn.company, turn.now), (s.overall as Overall | null) ?? undefined);
}

/** The callback survey; its buttons (and completing a visit) work from any state. */
export const surveyFlow: Flow<'survey'> = {
  name: 'survey',
  continue: continueSurvey,
  reprompt: async (turn, state) => {
    const again = await repromptSurvey(turn, state);
    return again ? { state, replies: [again] } : { state: IDLE, replies: [menu(turn)] };
  },
  freeTextSteps: new Set(['comment']),
  // Survey answers are words like 满意 or 一般: they never change topic...
  switchesTopic: () => false,
  // ...but a question in the middle of a survey gets its answer, then the survey question again;
  // anything that starts a flow (a booking, a complaint) goes ahead: a survey never blocks it.
  onUnanswered: async (turn, state, input, byIntent) => {
    if (!input.understanding || input.understanding.intent === 'unknown') return undefined;
    const other = await byIntent(input);
    if (other.state.flow !== 'idle') return other;
    const again = await repromptSurvey(turn, state);
    return again ? { state, replies: [...other.replies, again] } : other;
  },
  inStaffRoom: true,
  actions: {
    sv: (turn, _state, action) => surveyAction(turn, action),
    done: (turn, _state, action) => markDoneById(turn, action.id),
    vok: (turn, _state, action) => confirmVisit(turn, action),
    vno: (turn, _state, action) => confirmVisit(turn, action),
  },
};
