/**
 * The dialogue core: `handle(inbound) -> replies`, one entry point for every platform.
 *
 * A turn reads the conversation (cached; the version column keeps several processes honest),
 * decides the replies and writes with the flows, then commits the inbound message id, the new
 * state and the writes in one transaction. A redelivered message fails the unique message id and
 * is answered once; a turn that lost a race with another process is recomputed on fresh state.
 */
import type { Clock } from '../domain/clock.ts';
import { classifyComplaint } from '../domain/complaints/classify.ts';
import { understand } from '../domain/nlu/index.ts';
import { messages, type Locale } from '../i18n/index.ts';
import type { Logger } from '../lib/log.ts';
import { parseAction, type Action } from './actions.ts';
import { abandonBooking, continueBooking, repromptBooking, startBooking } from './flows/booking.ts';
import { continueCancel, continueReschedule, listBookings, repromptCancel, repromptReschedule, startCancel, startReschedule } from './flows/manage.ts';
import { humanNotYet, menu, prices } from './flows/menu.ts';
import { callbackAnswer } from './flows/callback.ts';
import { complaintProgress, continueComplaint, repromptComplaint, startComplaint } from './flows/complaint.ts';
import { continueStaff, repromptStaff, staffAction } from './flows/staff.ts';
import type { ComplaintSettings } from '../domain/complaints/settings.ts';
import type { SurveyPolicy } from '../domain/survey/timing.ts';
import { commandFor, isStaffRoomCommand, keepsOpenPrompt } from './commands/index.ts';
import { confirmVisit, continueSurvey, markDoneById, repromptSurvey, surveyAction } from './flows/survey.ts';
import { type ConversationRecord } from '../contracts/records.ts';
import { IDLE, parseState, stateJson, type State } from '../contracts/state.ts';
import { makeTurn, type StepResult, type Turn, type TurnInput } from './turn.ts';
import { inboundSchema, MAX_TEXT_LENGTH, type Inbound, type Outbound } from '../contracts/messages.ts';
import type { Company } from '../contracts/company.ts';
import { TurnConflict } from '../lib/errors.ts';
import { BoundedCache } from '../lib/bounded-cache.ts';
import { KeyedQueue } from '../lib/keyed-queue.ts';
import { withoutControls } from '../lib/text.ts';
import type { CoreStore } from './ports.ts';

export interface CoreDeps {
  store: CoreStore;
  company: Company;
  clock: Clock;
  log: Logger;
  complaints: ComplaintSettings;
  survey: SurveyPolicy;
  /** The language before a customer writes, and of staff posts. */
  defaultLocale?: Locale;
}

const MAX_ATTEMPTS = 8;
const RETRY_JITTER_MS = 5;
const CACHE_LIMIT = 10_000;
/** Steps where any text is a legitimate answer, so only short commands switch topic. */
const FREE_TEXT_STEPS = new Set(['address', 'name', 'what', 'amount']);
const SHORT_COMMAND = 12;

/** Plain English words ("hello", "Mr Smith") or a sentence of at least two words. */
const ENGLISH_WORDS = /^[A-Za-z][A-Za-z\s'’,.!?-]*$/;
const ENGLISH_SENTENCE = /[A-Za-z]{2,}[\s,]+[A-Za-z]{2,}/;

/**
 * The language of the reply: the customer's, when the text says so clearly. Commands (/join),
 * numbers and symbol soup keep the conversation's language.
 */
function detectTurnLocale(text: string | undefined, understood: Locale | undefined, current: Locale): Locale {
  if (!text || text.trimStart().startsWith('/')) return current;
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  const trimmed = text.trim();
  return understood === 'en' && (ENGLISH_WORDS.test(trimmed) || ENGLISH_SENTENCE.test(trimmed)) ? 'en' : current;
}

/** Asking what became of one's complaint, rather than making a new one. */
const COMPLAINT_PROGRESS = /我的投诉|投诉(的)?(进度|进展|结果|状态)|投诉.{0,6}(怎么样|如何|处理得|处理了吗|有结果)|\bmy complaints?\b|complaint status/i;

/** Complaint categories that, said in free text, mean a complaint whatever else the words name. */
const COMPLAINT_CATEGORIES = new Set(['quality', 'damage', 'loss', 'attitude', 'no_show', 'late']);

/** Private chats are one conversation; in a group (a staff room) each member has their own. */
function conversationChat(inbound: Inbound): string {
  return inbound.chatType === 'group' ? `${inbound.chatId}|${inbound.userId}` : inbound.chatId;
}

function asLocale(value: string, fallback: Locale): Locale {
  return value === 'en' || value === 'zh' ? value : fallback;
}

type CachedConversation = ConversationRecord & { parsed?: State };

export class DialogueCore {
  readonly #deps: CoreDeps;
  /** Conversations this process served last, with their state already parsed. */
  readonly #cache = new BoundedCache<string, CachedConversation>(CACHE_LIMIT);
  /** Turns of one chat run one after another, in arrival order. */
  readonly #queue = new KeyedQueue();

  constructor(deps: CoreDeps) {
    this.#deps = deps;
  }

  /**
   * Handles one inbound event and returns the replies to send to the same chat. Never throws:
   * a malformed event is logged and answered with nothing, a failure inside is logged and
   * answered with an apology (the message is not recorded, so a redelivery is handled afresh).
   */
  async handle(raw: unknown): Promise<Outbound[]> {
    const parsed = inboundSchema.safeParse(raw);
    if (!parsed.success) {
      this.#deps.log.warn({ issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'inbound event refused');
      return [];
    }
    const inbound = parsed.data;
    const key = `${inbound.channel}\u0000${conversationChat(inbound)}`;
    return this.#queue.run(key, () => this.#turn(key, inbound));
  }

  async #turn(key: string, inbound: Inbound): Promise<Outbound[]> {
    const { store, log } = this.#deps;
    const fallback = this.#deps.defaultLocale ?? 'zh';
    try {
      for (let attempt = 1; ; attempt += 1) {
        const conversation = this.#cache.get(key) ?? (await this.#load(key, inbound, fallback));
        const decided = await this.#decide(conversation, inbound, fallback);
        if (!decided) return [];
        const state = stateJson(decided.state);
        try {
          await store.commitTurn({
            inbound: {
              channel: inbound.channel,
              messageId: inbound.messageId,
              chatId: inbound.chatId,
              userId: inbound.userId,
              kind: inbound.action !== undefined ? 'action' : 'text',
              at: inbound.at,
            },
            conversationId: conversation.id,
            version: conversation.version,
            state,
            locale: decided.locale,
            effects: decided.effects,
            now: decided.now,
          });
        } catch (error) {
          if (!(error instanceof TurnConflict)) throw error;
          if (error.reason === 'duplicate') {
            log.info({ channel: inbound.channel, messageId: inbound.messageId }, 'duplicate delivery ignored');
            return [];
          }
          this.#cache.delete(key);
          if (attempt >= MAX_ATTEMPTS) throw error;
          // Another instance committed this chat's turn first: back off a random moment so two
          // instances racing on one busy chat do not keep colliding in step.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_JITTER_MS * attempt));
          continue;
        }
        this.#cache.set(key, {
          ...conversation,
          version: conversation.version + 1,
          state,
          parsed: decided.state,
          locale: decided.locale,
          customer: { ...conversation.customer, ...decided.customerUpdate },
        });
        return decided.replies;
      }
    } catch (error) {
      const locale = asLocale(this.#cache.peek(key)?.locale ?? fallback, fallback);
      this.#cache.delete(key);
      log.error({ err: error, channel: inbound.channel, chatId: inbound.chatId }, 'turn failed');
      return [{ text: messages(locale).errorRetry }];
    }
  }

  async #load(key: string, inbound: Inbound, locale: Locale): Promise<ConversationRecord> {
    const record = await this.#deps.store.conversation({
      channel: inbound.channel,
      chatId: conversationChat(inbound),
      userId: inbound.userId,
      displayName: inbound.displayName,
      locale,
    });
    this.#cache.set(key, record);
    return record;
  }

  /** The turn's replies, new state and writes; undefined for group chatter that is not for the bot. */
  async #decide(conversation: CachedConversation, inbound: Inbound, fallback: Locale) {
    const { company, clock, store, complaints, survey } = this.#deps;
    const now = clock.now();
    const text = inbound.action === undefined ? withoutControls(inbound.text ?? '') : undefined;
    const tooLong = text !== undefined && text.length > MAX_TEXT_LENGTH;
    const understanding = text !== undefined && !tooLong && text.trim() ? understand(text, { now, zone: company.timeZone, catalog: company.catalog }) : undefined;
    const locale = detectTurnLocale(text, understanding?.locale, asLocale(conversation.locale, fallback));
    const turn = makeTurn({
      now,
      company,
      locale,
      staffLocale: fallback,
      customer: conversation.customer,
      from: { channel: inbound.channel, chatId: inbound.chatId, userId: inbound.userId, displayName: inbound.displayName, chatType: inbound.chatType },
      complaints,
      survey,
      store,
      messageKey: `${inbound.channel}:${inbound.messageId}`,
    });
    const state = conversation.parsed ?? parseState(conversation.state);
    if (inbound.chatType === 'group' && !this.#forStaffRoom(state, inbound)) return undefined;
    let result: StepResult;
    const command = text === undefined ? undefined : commandFor(text, state);
    if (inbound.action !== undefined) {
      const action = parseAction(inbound.action);
      result = action ? await this.#route(turn, state, { action }) : await this.#stale(turn, state);
    } else if (!text?.trim()) {
      result = await this.#reprompt(turn, state, turn.m.emptyMessage);
    } else if (tooLong) {
      result = await this.#reprompt(turn, state, turn.m.tooLong({ max: MAX_TEXT_LENGTH }));
    } else if (command) {
      result = await command.handle(turn, text, state);
    } else {
      result = await this.#route(turn, state, { text, understanding });
    }
    // Commands (/join, /done, /call, reports) answer and leave an open prompt where it was.
    if (text !== undefined && keepsOpenPrompt(text) && result.state.flow === 'idle') result = { ...result, state };
    // Only this conversation's own customer (a staff turn may update someone else's details).
    const customerUpdate = turn.effects.flatMap((e) => (e.kind === 'updateCustomer' && e.customerId === conversation.customer.id ? [e.data] : []));
    return { ...result, locale, now, effects: turn.effects, customerUpdate: Object.assign({}, ...customerUpdate) };
  }

  /** In a staff room the bot answers only staff business: commands, buttons, and its own prompts. */
  #forStaffRoom(state: State, inbound: Inbound): boolean {
    return inbound.action !== undefined || state.flow === 'staff' || state.flow === 'survey' || isStaffRoomCommand(inbound.text ?? '');
  }

  async #route(turn: Turn, state: State, input: TurnInput): Promise<StepResult> {
    const { action, understanding } = input;
    if (action) {
      const global = await this.#globalAction(turn, state, action);
      if (global) return global;
    }
    if (state.flow !== 'idle') {
      if (understanding && this.#switchesTopic(state, input)) {
        if (state.flow === 'book' && understanding.intent === 'cancel') return abandonBooking(turn);
        return this.#byIntent(turn, state, input);
      }
      const result = await this.#continue(turn, state, input);
      if (result) return result;
      // A question in the middle of a survey gets its answer, then the survey question again;
      // anything that starts a flow (a booking, a complaint) goes ahead: a survey never blocks it.
      if (state.flow === 'survey' && understanding && understanding.intent !== 'unknown') {
        const other = await this.#byIntent(turn, IDLE, input);
        if (other.state.flow !== 'idle') return other;
        const again = await repromptSurvey(turn, state);
        return again ? { state, replies: [...other.replies, again] } : other;
      }
      return action ? this.#stale(turn, state) : this.#reprompt(turn, state, turn.m.notUnderstood);
    }
    if (action) return this.#stale(turn, state);
    return this.#byIntent(turn, state, input);
  }

  /** Buttons that mean the same from any state (menus, price list, a booking's own buttons). */
  async #globalAction(turn: Turn, state: State, action: Action): Promise<StepResult | undefined> {
    switch (action.kind) {
      case 'menu':
        switch (action.item) {
          case 'home':
            return { state: IDLE, replies: [menu(turn)] };
          case 'book':
            return startBooking(turn, {});
          case 'price':
            return { state, replies: [prices(turn)] };
          case 'bookings':
            return listBookings(turn);
          case 'cancel':
            return startCancel(turn, {});
          case 'reschedule':
            return startReschedule(turn, {});
          case 'complain':
            return startComplaint(turn, {});
        }
        break;
      case 'info':
        return { state, replies: [prices(turn, action.code)] };
      case 'svc':
        if (state.flow === 'book' && state.step === 'service') return undefined;
        return startBooking(turn, { understanding: { intent: 'book', locale: turn.locale, serviceCode: action.code } });
      case 'cancel':
        return startCancel(turn, {}, action.id);
      case 'move':
        return startReschedule(turn, {}, action.id);
      case 'claim':
      case 'resolve':
      case 'invalid':
      case 'regrade':
        return staffAction(turn, action);
      case 'solved':
      case 'unsolved':
      case 'sat':
      case 'unsat':
        return callbackAnswer(turn, action);
      case 'done':
        return markDoneById(turn, action.id);
      case 'vok':
      case 'vno':
        return confirmVisit(turn, action);
      case 'sv':
        return surveyAction(turn, action);
      default:
        return undefined;
    }
  }

  /** Whether a text inside a flow starts something else rather than answering the step. */
  #switchesTopic(state: Exclude<State, { flow: 'idle' }>, input: TurnInput): boolean {
    const { understanding, text = '' } = input;
    if (!understanding || understanding.intent === 'unknown' || state.flow === 'staff' || state.flow === 'survey') return false;
    // Inside a complaint, complaint words are answers, not a new complaint.
    if (state.flow === 'complain') return understanding.intent !== 'complain' && (!FREE_TEXT_STEPS.has(state.step) || text.trim().length <= SHORT_COMMAND);
    if (understanding.intent === 'book' && state.flow === 'book') return false;
    // A time inside a flow that is asking for one answers the flow ("改到周六上午十点").
    if (understanding.start && (state.flow === 'reschedule' || (state.flow === 'book' && (state.step === 'time' || state.step === 'confirm')))) {
      return false;
    }
    if (state.flow === 'book' && FREE_TEXT_STEPS.has(state.step)) return text.trim().length <= SHORT_COMMAND;
    // "是"/"不" inside cancel and reschedule confirmations are answers, and so is a named booking.
    if (state.flow !== 'book' && understanding.intent === state.flow) return false;
    return true;
  }

  async #byIntent(turn: Turn, state: State, input: TurnInput): Promise<StepResult> {
    const { understanding } = input;
    if (input.text && COMPLAINT_PROGRESS.test(input.text.slice(0, 200))) return complaintProgress(turn);
    // "打扫得不干净" names a service but is a complaint about it.
    if ((understanding?.intent === 'book' || understanding?.intent === 'unknown') && input.text && COMPLAINT_CATEGORIES.has(classifyComplaint(input.text))) {
      return startComplaint(turn, input);
    }
    switch (understanding?.intent) {
      case 'help':
        return { state: IDLE, replies: [menu(turn)] };
      case 'price':
        return { state, replies: [prices(turn, understanding.serviceCode)] };
      case 'book':
        return startBooking(turn, input);
      case 'bookings':
        return listBookings(turn);
      case 'cancel':
        return startCancel(turn, input);
      case 'reschedule':
        return startReschedule(turn, input);
      case 'complain':
        return startComplaint(turn, input);
      case 'human':
        return { state, replies: [humanNotYet(turn)] };
      default:
        if (understanding?.serviceCode) return startBooking(turn, input);
        return { state: IDLE, replies: [menu(turn, turn.m.notUnderstood)] };
    }
  }

  async #continue(turn: Turn, state: Exclude<State, { flow: 'idle' }>, input: TurnInput): Promise<StepResult | undefined> {
    switch (state.flow) {
      case 'book':
        return continueBooking(turn, state, input);
      case 'cancel':
        return continueCancel(turn, state, input);
      case 'reschedule':
        return continueReschedule(turn, state, input);
      case 'complain':
        return continueComplaint(turn, state, input);
      case 'staff':
        return continueStaff(turn, state, input);
      case 'survey':
        return continueSurvey(turn, state, input);
    }
  }

  /** A button from an old menu or a forged payload: say so and ask the current question again. */
  #stale(turn: Turn, state: State): Promise<StepResult> {
    return this.#reprompt(turn, state, turn.m.staleButton);
  }

  async #reprompt(turn: Turn, state: State, lead: string): Promise<StepResult> {
    let result: StepResult;
    switch (state.flow) {
      case 'idle':
        return { state, replies: [menu(turn, lead)] };
      case 'book':
        result = { state, replies: [repromptBooking(turn, state)] };
        break;
      case 'cancel':
        result = await repromptCancel(turn, state);
        break;
      case 'reschedule':
        result = await repromptReschedule(turn, state);
        break;
      case 'complain':
        result = { state, replies: [await repromptComplaint(turn, state)] };
        break;
      case 'staff':
        result = { state, replies: [repromptStaff(turn, state)] };
        break;
      case 'survey': {
        const again = await repromptSurvey(turn, state);
        result = again ? { state, replies: [again] } : { state: IDLE, replies: [menu(turn)] };
        break;
      }
    }
    return { state: result.state, replies: [{ text: lead }, ...result.replies] };
  }
}
