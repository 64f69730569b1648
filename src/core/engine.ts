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
import { DEFAULT_WORK_ORDER_POLICY, type WorkOrderPolicy } from '../domain/workorder/rules.ts';
import { messages, type Locale } from '../i18n/index.ts';
import type { Logger } from '../lib/log.ts';
import { TurnConflict } from '../lib/errors.ts';
import { BoundedCache } from '../lib/bounded-cache.ts';
import { KeyedQueue } from '../lib/keyed-queue.ts';
import { withoutControls } from '../lib/text.ts';
import type { ConversationRecord } from '../contracts/records.ts';
import { conversationJson, IDLE, interrupting, parseConversation, type ShownOptions, type State } from '../contracts/state.ts';
import { inboundSchema, MAX_TEXT_LENGTH, type Inbound, type Outbound } from '../contracts/messages.ts';
import type { Company } from '../contracts/company.ts';
import { parseAction } from './actions.ts';
import { commandFor, isStaffRoomCommand, keepsOpenPrompt } from './commands/index.ts';
import { switchesTopic } from './flow.ts';
import { buttonHandler, flowOf } from './flows/index.ts';
import { menu } from './flows/menu.ts';
import { byIntent } from './intents.ts';
import { answerNotice, pickShownOption, shownBy } from './notices.ts';
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

type CachedConversation = ConversationRecord & { parsed?: State; shown?: ShownOptions };

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
          this.#cache.delete(key);
          if (attempt >= MAX_ATTEMPTS) throw error;
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
    const turn = makeTurn({
      now,
      company,
      locale,
      staffLocale: fallback,
      customer: conversation.customer,
      from: { channel: inbound.channel, chatId: inbound.chatId, userId: inbound.userId, displayName: inbound.displayName, chatType: inbound.chatType },
      complaints,
      survey,
      workOrders: this.#deps.workOrders ?? DEFAULT_WORK_ORDER_POLICY,
      store,
      log,
      messageKey: `${inbound.channel}:${inbound.messageId}`,
      understandFallback: this.#deps.understandFallback,
    });
    const { state, shown } = conversation.parsed ? { state: conversation.parsed, shown: conversation.shown } : parseConversation(conversation.state);
    if (inbound.chatType === 'group' && !this.#forStaffRoom(state, inbound)) return undefined;
    let result: StepResult;
    const command = text === undefined ? undefined : await commandFor(turn, text, state);
    // "2" typed where options are numbered lines and the platform no longer knew them (a restart).
    const picked = text !== undefined && !command && !tooLong ? await pickShownOption(turn, text, shown) : undefined;
    if (inbound.action !== undefined) {
      const action = parseAction(inbound.action);
      result = action ? await this.#route(turn, state, { action }) : await this.#stale(turn, state);
    } else if (picked) {
      result = await this.#route(turn, state, { action: picked });
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
    // The options shown, kept with the conversation (private chats: a staff room's posts are the outbox's).
    const nowShown = inbound.chatType === 'private' ? shownBy(result.replies, now) : undefined;
    return { ...result, shown: nowShown, locale, now, effects: turn.effects, customerUpdate: Object.assign({}, ...customerUpdate) };
  }

  /** In a staff room the bot answers only staff business: commands, buttons, and its own prompts. */
  #forStaffRoom(state: State, inbound: Inbound): boolean {
    if (inbound.action !== undefined) return true;
    if (state.flow !== 'idle' && flowOf(state).inStaffRoom) return true;
    return isStaffRoomCommand(inbound.text ?? '');
  }

  /**
   * Buttons that act from any state go to their owner; then an open flow takes the input unless it
   * changes topic; what it does not take is answered by intent, or its question is asked again.
   */
  async #route(turn: Turn, state: State, input: TurnInput): Promise<StepResult> {
    const { action, understanding } = input;
    if (action) {
      const owned = await buttonHandler(action.kind)?.(turn, state, action);
      if (owned) return owned;
    }
    if (state.flow === 'idle') return action ? this.#stale(turn, state) : ((await answerNotice(turn, input, { bare: true })) ?? byIntent(turn, state, input));
    const flow = flowOf(state);
    if (understanding && switchesTopic(flow, state, input)) {
      return (await this.#notice(turn, state, input)) ?? (await flow.onTopicSwitch?.(turn, state, input)) ?? byIntent(turn, state, input);
    }
    // A free-text step (an address, a name) takes any text, but not a short, clear answer to a notice.
    if (input.text !== undefined && flow.freeTextSteps.has(state.step)) {
      const answered = await this.#notice(turn, state, input, { clearOnly: true });
      if (answered) return answered;
    }
    const result = await flow.continue(turn, state, input);
    if (result) return this.#resume(turn, state, result);
    const answered = await this.#notice(turn, state, input);
    if (answered) return answered;
    const aside = await flow.onUnanswered?.(turn, state, input, (other) => byIntent(turn, IDLE, other));
    if (aside) return aside;
    return action ? this.#stale(turn, state) : this.#reprompt(turn, state, turn.m.notUnderstood);
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
