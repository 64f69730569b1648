/**
 * The dialogue core: `handle(inbound) -> replies`, one entry point for every platform.
 *
 * A turn reads the conversation (cached; the version column keeps several processes honest),
 * decides the replies and writes with the flows, then commits the inbound message id, the new
 * state and the writes in one transaction. A redelivered message fails the unique message id and
 * is answered once; a turn that lost a race with another process is recomputed on fresh state.
 */
import type { Clock } from '../domain/clock.ts';
import { understand } from '../domain/nlu/index.ts';
import { isClearEnglish } from '../domain/nlu/language.ts';
import type { ComplaintSettings } from '../domain/complaints/settings.ts';
import type { SurveyPolicy } from '../domain/survey/timing.ts';
import { DEFAULT_HANDOVER_POLICY, soundsAngry, type HandoverPolicy } from '../domain/handover/rules.ts';
import { RECENT_LINES } from '../features/handover/messages.ts';
import { DEFAULT_WORK_ORDER_POLICY, type WorkOrderPolicy } from '../domain/workorder/rules.ts';
import { messages, type Locale } from '../i18n/index.ts';
import type { Logger } from '../lib/log.ts';
import { TurnConflict } from '../lib/errors.ts';
import { BoundedCache } from '../lib/bounded-cache.ts';
import { KeyedQueue } from '../lib/keyed-queue.ts';
import { withoutControls } from '../lib/text.ts';
import type { ConversationRecord } from '../contracts/records.ts';
import { conversationJson, interrupting, parseConversation, type ShownOptions, type State } from '../contracts/state.ts';
import { inboundSchema, MAX_TEXT_LENGTH, type Inbound, type Media, type Outbound } from '../contracts/messages.ts';
import type { Company } from '../contracts/company.ts';
import { parseAction } from './actions.ts';
import { commandFor, isStaffRoomCommand, keepsOpenPrompt } from './commands/index.ts';
import { buttonHandler, flowOf } from './flows/index.ts';
import { mediaAnswer, menu } from './flows/menu.ts';
import { addressedHandover, handOverFrom, heldHandover, relayStaff, startHandover } from './flows/handover.ts';
import { referredBooking } from './flows/manage.ts';
import { byIntent } from './intents.ts';
import { answerNotice, pickShownOption, shownBy } from './notices.ts';
import { companyQuestion, inOrder, requestsIn, steer } from './steer.ts';
import { TurnBudget } from './turn-budget.ts';
import { makeTurn, type StepResult, type Turn, type TurnInput, type UnderstandFallback } from './turn.ts';
import type { CoreStore } from './ports.ts';

interface CoreDeps {
  store: CoreStore;
  company: Company;
  clock: Clock;
  log: Logger;
  complaints: ComplaintSettings;
  survey: SurveyPolicy;
  /** Handovers to a person: answer time, idle end, the customer's person; default DEFAULT_HANDOVER_POLICY. */
  handover?: HandoverPolicy;
  /** Work order timings; default `DEFAULT_WORK_ORDER_POLICY`. */
  workOrders?: WorkOrderPolicy;
  /** The language before a customer writes, and of staff posts. */
  defaultLocale?: Locale;
  /** Turns one conversation (a private chat, or one member in a group) may take per rolling minute; default 30. */
  turnBudgetPerMinute?: number;
  /** The large-model fallback for messages the classifier is unsure of; off when absent. */
  understandFallback?: UnderstandFallback;
}

const DEFAULT_TURN_BUDGET = 30;

const MAX_ATTEMPTS = 8;
const RETRY_JITTER_MS = 5;
const CACHE_LIMIT = 10_000;

/**
 * The language of the reply: the customer's, when the text says so clearly (issue #16). Commands
 * (/join), numbers, emoji, punctuation and Latin gibberish keep the conversation's language.
 */
function detectTurnLocale(text: string | undefined, current: Locale): Locale {
  if (!text || text.trimStart().startsWith('/')) return current;
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  return isClearEnglish(text) ? 'en' : current;
}

/** Private chats are one conversation; in a group (a staff room) each member has their own. */
function conversationChat(inbound: Inbound): string {
  return inbound.chatType === 'group' ? `${inbound.chatId}|${inbound.userId}` : inbound.chatId;
}

function asLocale(value: string, fallback: Locale): Locale {
  return value === 'en' || value === 'zh' ? value : fallback;
}

/**
 * A conversation as this process last left it: the parsed state and the options shown, the customer's last lines (for a
 * handover post) and how many turns in a row the bot failed to understand (two hand the customer
 * to a person). The last two live in memory only: a restart or another instance starts them afresh.
 */
type CachedConversation = ConversationRecord & { parsed?: State; shown?: ShownOptions; recent?: string[]; misses?: number };

/** Turns in a row the bot may fail to understand before the customer is handed to a person. */
const MISSES_BEFORE_HANDOVER = 2;

export class DialogueCore {
  readonly #deps: CoreDeps;
  /** Conversations this process served last, with their state already parsed. */
  readonly #cache = new BoundedCache<string, CachedConversation>(CACHE_LIMIT);
  /** Turns of one chat run one after another, in arrival order. */
  readonly #queue = new KeyedQueue();
  /** Turns per conversation per minute, so one chat cannot monopolise the core or a staff room. */
  readonly #budget: TurnBudget;

  constructor(deps: CoreDeps) {
    this.#deps = deps;
    this.#budget = new TurnBudget(deps.turnBudgetPerMinute ?? DEFAULT_TURN_BUDGET, CACHE_LIMIT);
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
    // Before any work: over budget, no read, no state, nothing recorded; "please wait" once a window.
    const verdict = this.#budget.take(key, this.#deps.clock.now());
    if (verdict !== 'go') {
      if (verdict === 'silent') return [];
      const fallback = this.#deps.defaultLocale ?? 'zh';
      this.#deps.log.warn({ channel: inbound.channel, chatId: inbound.chatId }, 'turn budget exceeded');
      return [{ text: messages(asLocale(this.#cache.peek(key)?.locale ?? fallback, fallback)).pleaseWait }];
    }
    return this.#queue.run(key, () => this.#turn(key, inbound));
  }

  async #turn(key: string, inbound: Inbound): Promise<Outbound[]> {
    const { store, log } = this.#deps;
    const fallback = this.#deps.defaultLocale ?? 'zh';
    try {
      for (let attempt = 1; ; attempt += 1) {
        const conversation = this.#cache.peek(key) ?? (await this.#load(key, inbound, fallback));
        const decided = await this.#decide(conversation, inbound, fallback);
        if (!decided) return [];
        const state = conversationJson(decided.state, decided.shown);
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
          if (attempt >= MAX_ATTEMPTS) {
            this.#cache.delete(key);
            throw error;
          }
          // A new number drawn by a booking or complaint that clashed with one taken: nothing was
          // written and the conversation did not move, so the turn runs again at once on the same
          // read (1 confirmation in 20 at a thousand bookings a day, a few ms each when it reloaded
          // and waited as below).
          if (error.reason === 'number_taken') continue;
          this.#cache.delete(key);
          // Another instance committed this chat's turn first: back off a random moment so two
          // instances racing on one busy chat do not keep colliding in step.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_JITTER_MS * attempt));
          continue;
        }
        if (decided.effects.some((e) => e.kind === 'eraseCustomer')) {
          // The conversation and the customer's identity are gone: the next message starts afresh.
          this.#cache.delete(key);
          return decided.replies;
        }
        this.#cache.set(key, {
          ...conversation,
          version: conversation.version + 1,
          state,
          parsed: decided.state,
          shown: decided.shown,
          recent: decided.recent,
          misses: decided.misses,
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
    const { company, clock, store, complaints, survey, log } = this.#deps;
    const now = clock.now();
    const text = inbound.action === undefined ? withoutControls(inbound.text ?? '') : undefined;
    const tooLong = text !== undefined && text.length > MAX_TEXT_LENGTH;
    const understanding = text !== undefined && !tooLong && text.trim() ? understand(text, { now, zone: company.timeZone, catalog: company.catalog }) : undefined;
    const locale = detectTurnLocale(text, asLocale(conversation.locale, fallback));
    const isPrivate = inbound.chatType === 'private';
    const recent = isPrivate && text?.trim() && !tooLong ? [...(conversation.recent ?? []), text].slice(-RECENT_LINES) : (conversation.recent ?? []);
    const turn = makeTurn({
      now,
      company,
      locale,
      staffLocale: fallback,
      customer: conversation.customer,
      from: { channel: inbound.channel, chatId: inbound.chatId, userId: inbound.userId, displayName: inbound.displayName, chatType: inbound.chatType, replyTo: inbound.replyTo, quoted: inbound.quoted },
      ...(inbound.media ? { media: inbound.media } : {}),
      complaints,
      survey,
      handover: this.#deps.handover ?? DEFAULT_HANDOVER_POLICY,
      recent,
      workOrders: this.#deps.workOrders ?? DEFAULT_WORK_ORDER_POLICY,
      store,
      log,
      messageKey: `${inbound.channel}:${inbound.messageId}`,
      understandFallback: this.#deps.understandFallback,
    });
    const { state, shown } = conversation.parsed ? { state: conversation.parsed, shown: conversation.shown } : parseConversation(conversation.state);
    const command = text === undefined ? undefined : await commandFor(turn, text, state);
    // Staff answering a handover (a reply to its post or a relayed line, a quote, its number first) reach its customer.
    const relayed = (text?.trim() || inbound.media) && !tooLong && !command ? await addressedHandover(turn, text ?? '') : undefined;
    if (!relayed && inbound.chatType === 'group' && !this.#forStaffRoom(state, inbound)) return undefined;
    // An unclaimed complaint's customer writing again angrily gets a person (issue #15 must 1).
    const angryAbout = isPrivate && text && !tooLong && !command && state.flow !== 'handover' && soundsAngry(text) ? await this.#unclaimedComplaint(turn) : undefined;
    let result: StepResult;
    let misses = 0;
    // "2" typed where options are numbered lines and the platform no longer knew them (a restart).
    const picked = text !== undefined && !command && !tooLong && !relayed ? await pickShownOption(turn, text, shown) : undefined;
    // Plain text from staff in their private chat while they hold a live handover (no reply references needed).
    const held = isPrivate && state.flow === 'idle' && (text?.trim() || inbound.media) && !tooLong && !command && !relayed && !picked ? await heldHandover(turn, state, text ?? '') : undefined;
    if (relayed) {
      result = await relayStaff(turn, state, relayed.number, relayed.text);
    } else if (held) {
      result = 'state' in held ? held : await relayStaff(turn, state, held.number, held.text);
    } else if (angryAbout) {
      result = await startHandover(turn, { reason: 'angry_complaint', complaintNumber: angryAbout });
    } else if (inbound.action !== undefined) {
      const action = parseAction(inbound.action);
      result = action ? await this.#route(turn, state, { action }) : await this.#stale(turn, state);
    } else if (picked) {
      result = await this.#route(turn, state, { action: picked });
    } else if (!text?.trim() && inbound.media) {
      result = await this.#mediaOnly(turn, state, inbound.media);
    } else if (!text?.trim()) {
      result = await this.#reprompt(turn, state, turn.m.emptyMessage);
    } else if (tooLong) {
      result = await this.#reprompt(turn, state, turn.m.tooLong({ max: MAX_TEXT_LENGTH }));
    } else if (command) {
      result = await command.handle(turn, text, state);
    } else {
      result = await this.#route(turn, state, { text, understanding });
      // Failed to understand twice in a row, on the menu or at a customer's step: a person takes
      // over (issue #15 must 1); an interrupted flow says what became of its draft. A side question
      // answered before the step is asked again is no miss (its answer comes first).
      const flow = state.flow === 'idle' ? undefined : flowOf(state);
      if (isPrivate && !flow?.staffSide && !flow?.exclusive && this.#missed(turn, result)) {
        misses = (conversation.misses ?? 0) + 1;
        if (misses >= MISSES_BEFORE_HANDOVER) {
          turn.effects.length = 0;
          result = await handOverFrom(turn, flow, state, 'not_understood');
          misses = 0;
        }
      }
    }
    // Commands (/join, /done, /call, reports) answer and leave an open prompt where it was.
    if (text !== undefined && keepsOpenPrompt(text) && result.state.flow === 'idle') result = { ...result, state };
    // Only this conversation's own customer (a staff turn may update someone else's details).
    const customerUpdate = turn.effects.flatMap((e) => (e.kind === 'updateCustomer' && e.customerId === conversation.customer.id ? [e.data] : []));
    // The options shown, kept with the conversation (private chats: a staff room's posts are the outbox's).
    const nowShown = inbound.chatType === 'private' ? shownBy(result.replies, now) : undefined;
    return { ...result, shown: nowShown, locale, now, effects: turn.effects, customerUpdate: Object.assign({}, ...customerUpdate), recent, misses };
  }

  /**
   * A photo or file without words (issue #15 must 3): a flow that takes media (the handover) gets
   * it; elsewhere the customer hears that the bot cannot read it, with 转人工 and 反映问题 on the
   * menu, or the open question again inside a flow. A caption is handled as text, elsewhere.
   */
  async #mediaOnly(turn: Turn, state: State, media: Media): Promise<StepResult> {
    if (state.flow !== 'idle' && flowOf(state).takesMedia) return (await flowOf(state).continue(turn, state, {})) ?? { state, replies: [] };
    const lead = turn.m.mediaReceived({ kind: turn.m.mediaKind[media.kind] ?? media.kind });
    if (state.flow !== 'idle') return this.#reprompt(turn, state, lead);
    return { state, replies: [mediaAnswer(turn, lead)] };
  }

  /**
   * Whether the turn's answer says the bot did not understand: "not understood", the clarifying
   * question (#12), or a time it could not read.
   */
  #missed(turn: Turn, result: StepResult): boolean {
    const first = result.replies[0]?.text ?? '';
    const { m } = turn;
    return first.startsWith(m.notUnderstood) || first.startsWith(m.clarify) || first.startsWith(m.timeNotUnderstood);
  }

  /** The number of the customer's latest complaint when nobody has claimed it yet. */
  async #unclaimedComplaint(turn: Turn): Promise<string | undefined> {
    const [latest] = await turn.store.customerComplaints(turn.customer.id, 1);
    return latest?.status === 'open' ? latest.number : undefined;
  }

  /** In a staff room the bot answers only staff business: commands, buttons, and its own prompts. */
  #forStaffRoom(state: State, inbound: Inbound): boolean {
    if (inbound.action !== undefined) return true;
    if (state.flow !== 'idle' && flowOf(state).inStaffRoom) return true;
    return isStaffRoomCommand(inbound.text ?? '');
  }

  /**
   * Buttons that act from any state go to their owner; then an open flow is steered by the input
   * (`steer.ts`: ways out, side questions, a change of topic, or the step's answer); idle text is
   * answered by intent. A message with several requests is routed request by request.
   */
  async #route(turn: Turn, state: State, input: TurnInput): Promise<StepResult> {
    const requests = requestsIn(turn, state, state.flow === 'idle' ? undefined : flowOf(state), input);
    if (requests) return inOrder(turn, state, requests, (current, request) => this.#routeOne(turn, current, request));
    return this.#routeOne(turn, state, input);
  }

  async #routeOne(turn: Turn, state: State, input: TurnInput): Promise<StepResult> {
    const { action } = input;
    if (action) {
      // Inside an exclusive flow (a handover), other buttons do nothing and say nothing.
      if (state.flow !== 'idle' && flowOf(state).exclusive && !flowOf(state).actions?.[action.kind]) return { state, replies: [] };
      const owned = await buttonHandler(action.kind)?.(turn, state, action);
      if (owned) return owned;
    }
    if (state.flow === 'idle') {
      if (action) return this.#stale(turn, state);
      return (await answerNotice(turn, input, { bare: true })) ?? (await referredBooking(turn, input)) ?? companyQuestion(turn, input) ?? byIntent(turn, state, input);
    }
    return steer(turn, flowOf(state), state, input, {
      byIntent: (at, other) => byIntent(turn, at, other),
      reprompt: (at, lead) => this.#reprompt(turn, at, lead),
      notice: (at, other, opts) => this.#notice(turn, at, other, opts),
      resume: (at, result) => this.#resume(turn, at, result),
    });
  }

  /**
   * An answer to a notice question (还没解决, 是的，已经做完了) inside a flow: answered, and the flow's
   * question asked again when the answer leaves no question of its own.
   */
  async #notice(turn: Turn, state: State, input: TurnInput, opts: { clearOnly?: boolean } = {}): Promise<StepResult | undefined> {
    const answered = await answerNotice(turn, input, { bare: false, ...opts });
    if (!answered || state.flow === 'idle') return answered;
    // The answer asks a question of its own (what is still wrong?): the flow waits for it.
    if (answered.state.flow !== 'idle') return { ...answered, state: interrupting(answered.state, state) };
    return this.#again(turn, state, answered);
  }

  /** A finished question that had interrupted a flow (its state's `resume`): that flow's question again. */
  async #resume(turn: Turn, state: State, result: StepResult): Promise<StepResult> {
    if (result.state.flow !== 'idle' || !('resume' in state) || !state.resume) return result;
    const interrupted = parseConversation(state.resume).state;
    return interrupted.flow === 'idle' ? result : this.#again(turn, interrupted, result);
  }

  /** `done`'s replies, then the open question of `state` again, in that state. */
  async #again(turn: Turn, state: State, done: StepResult): Promise<StepResult> {
    if (state.flow === 'idle') return done;
    const again = await flowOf(state).reprompt(turn, state);
    const resumed: StepResult = 'state' in again ? again : { state, replies: [again] };
    return { state: resumed.state, replies: [...done.replies, ...resumed.replies] };
  }

  /** A button from an old menu or a forged payload: say so and ask the current question again. */
  #stale(turn: Turn, state: State): Promise<StepResult> {
    return this.#reprompt(turn, state, turn.m.staleButton);
  }

  /** `lead` ("not understood", "too long"...), then the open question again: the menu when idle. */
  async #reprompt(turn: Turn, state: State, lead: string): Promise<StepResult> {
    if (state.flow === 'idle') return { state, replies: [menu(turn, lead)] };
    const again = await flowOf(state).reprompt(turn, state);
    const result: StepResult = 'state' in again ? again : { state, replies: [again] };
    return { state: result.state, replies: [{ text: lead }, ...result.replies] };
  }
}
