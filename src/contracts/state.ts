/**
 * Conversation state: which flow, which step, slots filled so far. Persisted as JSON with every
 * turn and parsed with zod when read, so a restart mid-booking resumes at the same step and a
 * corrupted row falls back to the menu instead of crashing the turn.
 *
 * The one place a state's JSON is written: the core, the store and the sweeps build it with
 * `stateJson` and the builders below, never by hand, so a stored state always parses.
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
  /** A customer asked to erase their personal data and is asked to confirm (删除我的信息). */
  z.object({ flow: z.literal('erase'), step: z.enum(['confirm']) }),
  /** A staff member answering a prompt about a complaint (the result, an explanation, a reason). */
  z.object({
    flow: z.literal('staff'),
    step: z.enum(['resolve', 'invalid', 'regrade', 'regrade_reason']),
    number: z.string(),
    grade: z.enum(['major', 'important', 'minor']).optional(),
  }),
]);
export type State = z.infer<typeof stateSchema>;
/** A state inside a flow (every state but idle). */
export type ActiveState = Exclude<State, { flow: 'idle' }>;
export type SurveyStep = Extract<State, { flow: 'survey' }>['step'];

export const IDLE: State = { flow: 'idle' };

/** The JSON a state is stored as. */
export function stateJson(state: State): string {
  return JSON.stringify(state);
}

/** The stored idle state: a new conversation's, and the one a sweep may take over. */
export const IDLE_STATE_JSON = stateJson(IDLE);

/** The stored state of a customer answering survey `surveyId` at `step` (the survey sweep opens it). */
export function surveyStateJson(surveyId: number, step: SurveyStep): string {
  return stateJson({ flow: 'survey', surveyId, step });
}

/** Parses stored state; anything unreadable becomes the idle state. */
export function parseState(json: string): State {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : IDLE;
  } catch {
    return IDLE;
  }
}
