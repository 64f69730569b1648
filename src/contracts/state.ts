/**
 * Conversation state: which flow, which step, slots filled so far. Persisted as JSON with every
 * turn and parsed with zod when read, so a restart mid-booking resumes at the same step and a
 * corrupted row falls back to the menu instead of crashing the turn.
 *
 * The one place a state's JSON is written: the core, the store and the sweeps build it with
 * `conversationJson` and the builders below, never by hand, so a stored state always parses. The
 * options last shown to the customer are stored with the state (`shown`), so a typed "2" lasts.
 */
import { z } from 'zod';
import { SALUTATIONS } from './records.ts';

/**
 * What the customer and the bot last said about the day: the day being discussed (a time alone
 * keeps it) and the range of the slots last offered (晚一点的 / 早一点 move from it). ISO strings.
 */
const offerSchema = z.object({
  /** YYYY-MM-DD in the company zone. */
  day: z.string().optional(),
  /** The first and last slot offered. */
  first: z.string().optional(),
  last: z.string().optional(),
});
export type Offer = z.infer<typeof offerSchema>;

export const bookingDraftSchema = z.object({
  serviceCode: z.string().optional(),
  /** ISO instant of the chosen start. */
  start: z.string().optional(),
  address: z.string().optional(),
  name: z.string().optional(),
  salutation: z.enum(SALUTATIONS).optional(),
  phone: z.string().optional(),
  /** "once", "weekly:N", "biweekly" or "monthly". */
  frequency: z.string().optional(),
  /** The day and slots under discussion while the start is not chosen. */
  offer: offerSchema.optional(),
  /** A name the platform gave, offered for confirmation at the name step. */
  suggestedName: z.string().optional(),
});
export type BookingDraft = z.infer<typeof bookingDraftSchema>;

export const BOOK_STEPS = ['service', 'time', 'address', 'name', 'salutation', 'phone', 'frequency', 'confirm'] as const;
export type BookStep = (typeof BOOK_STEPS)[number];

export const complaintDraftSchema = z.object({
  content: z.string().optional(),
  /** Booking the complaint is about; null when the customer said it is about none. */
  bookingId: z.number().int().nullable().optional(),
  hadLoss: z.boolean().optional(),
  /** null: a loss of unknown amount. */
  lossYuan: z.number().int().nonnegative().nullable().optional(),
  priorCount: z.number().int().nonnegative().optional(),
  name: z.string().optional(),
  salutation: z.enum(SALUTATIONS).optional(),
  phone: z.string().optional(),
});
export type ComplaintDraft = z.infer<typeof complaintDraftSchema>;

export const COMPLAIN_STEPS = ['what', 'booking', 'loss', 'amount', 'prior', 'name', 'phone'] as const;
export type ComplainStep = (typeof COMPLAIN_STEPS)[number];

export const stateSchema = z.discriminatedUnion('flow', [
  z.object({ flow: z.literal('idle') }),
  z.object({
    flow: z.literal('book'),
    step: z.enum(BOOK_STEPS),
    draft: bookingDraftSchema,
    /** Text that started something else, waiting for the customer to drop this booking or go on. */
    pending: z.string().optional(),
  }),
  z.object({ flow: z.literal('cancel'), step: z.enum(['pick', 'confirm']), bookingId: z.number().int().optional() }),
  z.object({
    flow: z.literal('reschedule'),
    step: z.enum(['pick', 'time', 'confirm']),
    bookingId: z.number().int().optional(),
    start: z.string().optional(),
    offer: offerSchema.optional(),
  }),
  z.object({ flow: z.literal('complain'), step: z.enum(COMPLAIN_STEPS), draft: complaintDraftSchema }),
  /** Answering the callback survey (the customer, or a staff member recording a phone callback). */
  z.object({
    flow: z.literal('survey'),
    surveyId: z.number().int(),
    step: z.enum(['identity', 'overall', 'quality', 'timeliness', 'comment']),
  }),
  /** The customer said a resolved complaint is not solved; asked what is still wrong (DOMAIN §2 回访). */
  z.object({
    flow: z.literal('callback'),
    step: z.enum(['reason']),
    number: z.string(),
    /** The flow this question interrupted (a booking under way), as stored JSON: resumed after the answer. */
    resume: z.string().max(20_000).optional(),
  }),
  /**
   * The customer is handed to a person (转人工, handover `number`): their messages go to the staff
   * room, and the bot stays silent except for commands until either side ends it.
   */
  z.object({ flow: z.literal('handover'), step: z.enum(['open']), number: z.string() }),
  /** A customer asked to erase their personal data and is asked to confirm (删除我的信息). */
  z.object({ flow: z.literal('erase'), step: z.enum(['confirm']) }),
  /** A staff member answering a prompt about a complaint (the result, an explanation, a reason). */
  z.object({
    flow: z.literal('staff'),
    step: z.enum(['resolve', 'invalid', 'regrade', 'regrade_reason']),
    number: z.string(),
    grade: z.enum(['major', 'important', 'minor']).optional(),
  }),
  /** A worker typing about their work order (DOMAIN §1): why they decline, how late, the actual work and fee. */
  z.object({ flow: z.literal('workorder'), step: z.enum(['decline', 'late', 'actual']), number: z.string() }),
]);
export type State = z.infer<typeof stateSchema>;
/** A state inside a flow (every state but idle). */
export type ActiveState = Exclude<State, { flow: 'idle' }>;
export type SurveyStep = Extract<State, { flow: 'survey' }>['step'];

export const IDLE: State = { flow: 'idle' };

/** The JSON a state is stored as. */
function stateJson(state: State): string {
  return JSON.stringify(state);
}

/** The stored idle state: a new conversation's, and the one a sweep may take over. */
export const IDLE_STATE_JSON = stateJson(IDLE);

/**
 * The numbered options a customer was last shown (a reply's or a notice's buttons) and when, kept
 * with the conversation so a typed "2" still means the same button after a restart, in a later run,
 * or on a platform that forgot it (console, WeChat: buttons shown as numbered lines).
 */
const shownSchema = z.object({
  /** ISO instant the options were shown. */
  at: z.string(),
  options: z.array(z.object({ label: z.string().max(200), action: z.string().max(64) })).max(50),
});
export type ShownOptions = z.infer<typeof shownSchema>;

/** The JSON of a conversation: its flow state and the options last shown, if any. */
export function conversationJson(state: State, shown?: ShownOptions): string {
  return JSON.stringify(shown && shown.options.length > 0 ? { ...state, shown } : state);
}

/**
 * `question`, a state that asks something of its own, remembering the flow it interrupted (states
 * with a `resume` field), so that flow's question comes back once it is answered.
 */
export function interrupting(question: State, interrupted: State): State {
  return question.flow === 'callback' && interrupted.flow !== 'idle' ? { ...question, resume: conversationJson(interrupted) } : question;
}

/** How every stored idle state begins, with or without shown options (a sweep may take it over). */
export const IDLE_STATE_PREFIX = IDLE_STATE_JSON.slice(0, -1);

/**
 * The stored state of a customer answering survey `surveyId` at `step` (the survey sweep opens it),
 * with the question's buttons as the options shown.
 */
export function surveyStateJson(surveyId: number, step: SurveyStep, shown?: ShownOptions): string {
  return conversationJson({ flow: 'survey', surveyId, step }, shown);
}

/**
 * How the stored state of a customer whose handover `number` is open begins, with or without
 * shown options: ending it puts the conversation back to idle only while it is still there.
 */
export function handoverStatePrefix(number: string): string {
  return stateJson({ flow: 'handover', step: 'open', number }).slice(0, -1);
}

/** Parses a stored conversation: its state (anything unreadable becomes idle) and the options last shown. */
export function parseConversation(json: string): { state: State; shown?: ShownOptions } {
  try {
    const raw: unknown = JSON.parse(json);
    const parsed = stateSchema.safeParse(raw);
    const shown = shownSchema.safeParse((raw as { shown?: unknown } | null)?.shown);
    return { state: parsed.success ? parsed.data : IDLE, ...(shown.success ? { shown: shown.data } : {}) };
  } catch {
    return { state: IDLE };
  }
}
