/**
 * A customer's own bookings: list, cancel, reschedule (DOMAIN §1 lifecycle). Every lookup is by
 * the customer's id, so nobody can see or change someone else's booking, whatever button payload
 * they forge.
 */
import { detectService, parseWhen, parseYesNo, understand } from '../../domain/nlu/index.ts';
import { afterReference, listReference, slotShift } from '../../domain/nlu/steering.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { ACTIVE_STATUSES, type BookingView } from '../../contracts/records.ts';
import type { Offer, State } from '../../contracts/state.ts';
import type { Outbound } from '../../contracts/messages.ts';
import { findService, mentionsTime, type StepResult, type Turn, type TurnInput } from '../turn.ts';
import { askTime, askTimeOffer, chooseTime, validateStart } from './time.ts';
import { frequencyLabel } from './booking.ts';
import type { Flow } from '../flow.ts';
import { DateTime } from 'luxon';
import { tz } from '../../domain/zone.ts';

type CancelState = Extract<State, { flow: 'cancel' }>;
type MoveState = Extract<State, { flow: 'reschedule' }>;

const IDLE: State = { flow: 'idle' };

function serviceName(turn: Turn, b: BookingView): string {
  const service = findService(turn, b.serviceCode);
  return service && turn.locale === 'en' ? service.nameEn : b.serviceName;
}

function when(turn: Turn, b: BookingView): string {
  return formatDateTime(turn.m, b.start, turn.company.timeZone, { now: turn.now });
}

/** A booking the customer may still change: theirs, active and in the future. */
async function changeable(turn: Turn, id: number | undefined): Promise<BookingView | undefined> {
  if (id === undefined) return undefined;
  const b = await turn.store.customerBooking(turn.customer.id, id);
  if (!b || !(ACTIVE_STATUSES as readonly string[]).includes(b.status) || b.start <= turn.now) return undefined;
  return b;
}

/** The only booking on the day a move names as its old day ("明天的改到后天下午三点"). */
function onDay(turn: Turn, list: BookingView[], day: string | undefined): BookingView | undefined {
  if (day === undefined) return undefined;
  const same = list.filter((b) => DateTime.fromJSDate(b.start, { zone: tz(turn.company.timeZone) }).toISODate() === day);
  return same.length === 1 ? same[0] : undefined;
}

/** A booking number written in the text (JZ2611240001), if any of the customer's. */
function mentioned(text: string | undefined, list: BookingView[]): BookingView | undefined {
  const match = text?.toUpperCase().match(/JZ\d{10}/);
  return match ? list.find((b) => b.number === match[0]) : undefined;
}

/** The listed bookings that words describe: a service (保洁), a day (明天, 周五), or both. */
function described(turn: Turn, words: string, list: BookingView[]): BookingView[] {
  const service = detectService(words, turn.company.catalog);
  const day = parseWhen(words, { now: turn.now, zone: turn.company.timeZone })?.date;
  if (!service && !day) return list.filter((b) => b.serviceName.includes(words));
  return list.filter((b) => {
    const bookingDay = DateTime.fromJSDate(b.start, { zone: tz(turn.company.timeZone) }).toISODate();
    return (!service || b.serviceCode === service) && (!day || bookingDay === day);
  });
}

/**
 * The booking a text points at among those listed (soonest first, as every list shows them): its
 * number, 第一个 / 第2个 / 最后那个, or 保洁那个 / 明天那个; undefined when it points at none or
 * at several.
 */
function referred(turn: Turn, text: string | undefined, list: BookingView[], named?: 'service' | 'serviceAndDay'): BookingView | undefined {
  const byNumber = mentioned(text, list);
  if (byNumber || !text) return byNumber;
  const reference = listReference(text);
  if (!reference) {
    // "取消明天的保洁", "把保洁往后推一点": the one booking of the service (and day) named.
    const service = named ? detectService(text, turn.company.catalog) : undefined;
    if (!service) return undefined;
    const matches = named === 'serviceAndDay' ? described(turn, text, list) : list.filter((b) => b.serviceCode === service);
    return matches.length === 1 ? matches[0] : undefined;
  }
  if (reference.kind === 'position') return list[reference.index];
  if (reference.kind === 'last') return list[list.length - 1];
  const matches = described(turn, reference.words, list);
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * 第一个, 保洁那个, 明天那个 said with no flow open (after 我的预约): the booking meant, cancelled
 * or moved if the text says so, else shown with its two buttons. Undefined when the text points
 * at no booking of the customer.
 */
export async function referredBooking(turn: Turn, input: TurnInput): Promise<StepResult | undefined> {
  if (!input.text || !listReference(input.text)) return undefined;
  const list = await turn.store.upcomingBookings(turn.customer.id, turn.now);
  const b = referred(turn, input.text, list);
  if (!b) return undefined;
  const intent = input.understanding?.intent;
  if (intent === 'cancel') return askCancel(turn, b);
  // The new time is in the words after the reference ("明天那个改到后天下午三点").
  const rest = afterReference(input.text);
  const move: TurnInput = { text: rest, understanding: understand(rest, { now: turn.now, zone: turn.company.timeZone, catalog: turn.company.catalog }) };
  if (intent === 'reschedule' || mentionsTime(move) || slotShift(rest)) return startReschedule(turn, move, b.id);
  const { m } = turn;
  return {
    state: IDLE,
    replies: [
      {
        text: m.bookingPicked({ number: b.number, service: serviceName(turn, b), time: when(turn, b), frequency: frequencyLabel(turn.m, b.frequency) }),
        buttons: [[{ label: m.rescheduleButton({ number: b.number }), action: `move:${b.id}` }, { label: m.cancelButton({ number: b.number }), action: `cancel:${b.id}` }]],
      },
    ],
  };
}

/** "我的预约": upcoming bookings with reschedule and cancel buttons. */
export async function listBookings(turn: Turn): Promise<StepResult> {
  const { m } = turn;
  const list = await turn.store.upcomingBookings(turn.customer.id, turn.now);
  if (list.length === 0) {
    return { state: IDLE, replies: [{ text: m.noBookings, buttons: [[{ label: m.menuBook, action: 'menu:book' }]] }] };
  }
  const lines = list.map((b) =>
    m.bookingLine({ number: b.number, service: serviceName(turn, b), time: when(turn, b), frequency: frequencyLabel(turn.m, b.frequency), status: m.status[b.status] ?? b.status }),
  );
  const buttons = list.map((b) => [
    { label: m.rescheduleButton({ number: b.number }), action: `move:${b.id}` },
    { label: m.cancelButton({ number: b.number }), action: `cancel:${b.id}` },
  ]);
  return { state: IDLE, replies: [{ text: [m.bookingsTitle, ...lines].join('\n'), buttons }] };
}

function pick(turn: Turn, list: BookingView[], kind: 'cancel' | 'move'): Outbound {
  const { m } = turn;
  return {
    text: kind === 'cancel' ? m.pickBookingToCancel : m.pickBookingToReschedule,
    buttons: list.map((b) => [{ label: `${b.number} ${serviceName(turn, b)} ${when(turn, b)}`, action: `${kind}:${b.id}` }]),
  };
}

function noBookings(turn: Turn): StepResult {
  return { state: IDLE, replies: [{ text: turn.m.noBookings }] };
}

// ---- cancel ----

function askCancel(turn: Turn, b: BookingView): StepResult {
  const { m } = turn;
  return {
    state: { flow: 'cancel', step: 'confirm', bookingId: b.id },
    replies: [
      {
        text: m.confirmCancel({ number: b.number, service: serviceName(turn, b), time: when(turn, b) }),
        buttons: [[{ label: m.yesCancel, action: 'yes' }, { label: m.keepBooking, action: 'no' }]],
      },
    ],
  };
}

/** "取消预约", or a cancel button for a given booking. */
export async function startCancel(turn: Turn, input: TurnInput, bookingId?: number): Promise<StepResult> {
  if (bookingId !== undefined) {
    const b = await changeable(turn, bookingId);
    return b ? askCancel(turn, b) : { state: IDLE, replies: [{ text: turn.m.bookingNotFound }] };
  }
  const list = await turn.store.upcomingBookings(turn.customer.id, turn.now);
  const chosen = referred(turn, input.text, list, 'serviceAndDay') ?? (list.length === 1 ? list[0] : undefined);
  if (chosen) return askCancel(turn, chosen);
  if (list.length === 0) return noBookings(turn);
  return { state: { flow: 'cancel', step: 'pick' }, replies: [pick(turn, list, 'cancel')] };
}

async function continueCancel(turn: Turn, state: CancelState, input: TurnInput): Promise<StepResult | undefined> {
  const { m } = turn;
  if (state.step === 'pick') {
    const list = await turn.store.upcomingBookings(turn.customer.id, turn.now);
    const chosen = referred(turn, input.text, list);
    return chosen ? askCancel(turn, chosen) : undefined;
  }
  const answer = input.action?.kind === 'yes' ? 'yes' : input.action?.kind === 'no' ? 'no' : input.text ? parseYesNo(input.text) : undefined;
  if (answer === 'no') return { state: IDLE, replies: [{ text: m.keptBooking }] };
  if (answer !== 'yes') return undefined;
  const b = await changeable(turn, state.bookingId);
  if (!b) return { state: IDLE, replies: [{ text: m.bookingNotFound }] };
  turn.effects.push({ kind: 'cancelBooking', bookingId: b.id, customerId: turn.customer.id, at: turn.now });
  return { state: IDLE, replies: [{ text: m.cancelled({ number: b.number }) }] };
}

/** Asks the cancel flow's current question again. */
async function repromptCancel(turn: Turn, state: CancelState): Promise<StepResult> {
  const b = state.step === 'confirm' ? await changeable(turn, state.bookingId) : undefined;
  return b ? askCancel(turn, b) : startCancel(turn, {});
}

// ---- reschedule ----

function askMoveTime(turn: Turn, b: BookingView): StepResult {
  const service = findService(turn, b.serviceCode);
  const text = turn.m.askNewTime({ number: b.number, service: serviceName(turn, b), time: when(turn, b) });
  if (!service) return { state: IDLE, replies: [{ text: turn.m.bookingNotFound }] };
  const asked = askTimeOffer(turn, service, text);
  // "下午三点吧": a time alone keeps the booking's own day.
  return { state: { flow: 'reschedule', step: 'time', bookingId: b.id, offer: { ...asked.offer, day: bookingDay(turn, b) } }, replies: asked.replies };
}

function askMoveConfirm(turn: Turn, b: BookingView, start: Date): StepResult {
  const { m } = turn;
  return {
    state: { flow: 'reschedule', step: 'confirm', bookingId: b.id, start: start.toISOString() },
    replies: [
      {
        text: m.confirmReschedule({ number: b.number, from: when(turn, b), to: formatDateTime(m, start, turn.company.timeZone, { now: turn.now }) }),
        buttons: [[{ label: m.yesReschedule, action: 'yes' }, { label: m.keepBooking, action: 'no' }]],
      },
    ],
  };
}

/**
 * Applies a time input to a booking being moved: confirm a good start, or ask again. `offer` is
 * what was discussed (a time alone keeps its day); without one, the booking's own day.
 */
function moveTo(turn: Turn, b: BookingView, input: TurnInput, offer?: Offer): StepResult | undefined {
  const service = findService(turn, b.serviceCode);
  if (!service) return { state: IDLE, replies: [{ text: turn.m.bookingNotFound }] };
  const choice = chooseTime(turn, service, input, offer);
  if (!choice) return undefined;
  if (choice.kind === 'ask') return { state: { flow: 'reschedule', step: 'time', bookingId: b.id, offer: choice.offer ?? offer }, replies: choice.replies };
  return askMoveConfirm(turn, b, choice.start);
}

/** "改时间", "把保洁改到周六上午十点", or a reschedule button for a given booking. */
export async function startReschedule(turn: Turn, input: TurnInput, bookingId?: number): Promise<StepResult> {
  let chosen: BookingView | undefined;
  if (bookingId !== undefined) {
    chosen = await changeable(turn, bookingId);
    if (!chosen) return { state: IDLE, replies: [{ text: turn.m.bookingNotFound }] };
  } else {
    const list = await turn.store.upcomingBookings(turn.customer.id, turn.now);
    chosen = referred(turn, input.text, list, 'service') ?? onDay(turn, list, input.understanding?.moveFrom) ?? (list.length === 1 ? list[0] : undefined);
    if (!chosen && list.length === 0) return noBookings(turn);
    if (!chosen) return { state: { flow: 'reschedule', step: 'pick' }, replies: [pick(turn, list, 'move')] };
  }
  return (mentionsTime(input) || slotShift(input.text ?? '') ? moveTo(turn, chosen, input, bookingOffer(turn, chosen)) : undefined) ?? askMoveTime(turn, chosen);
}

/** The booking's own start as the offer under discussion: "下午三点" keeps its day, "改到周五" its time, "晚一点" moves from it. */
function bookingOffer(turn: Turn, b: BookingView): Offer {
  const start = b.start.toISOString();
  return { day: bookingDay(turn, b), first: start, last: start };
}

/** The booking's day (YYYY-MM-DD in the company zone). */
function bookingDay(turn: Turn, b: BookingView): string | undefined {
  return DateTime.fromJSDate(b.start, { zone: tz(turn.company.timeZone) }).toISODate() ?? undefined;
}

async function continueReschedule(turn: Turn, state: MoveState, input: TurnInput): Promise<StepResult | undefined> {
  const { m } = turn;
  if (state.step === 'pick') {
    const list = await turn.store.upcomingBookings(turn.customer.id, turn.now);
    const chosen = referred(turn, input.text, list);
    if (!chosen) return undefined;
    return (mentionsTime(input) || slotShift(input.text ?? '') ? moveTo(turn, chosen, input, bookingOffer(turn, chosen)) : undefined) ?? askMoveTime(turn, chosen);
  }
  const b = await changeable(turn, state.bookingId);
  if (!b) return { state: IDLE, replies: [{ text: m.bookingNotFound }] };
  if (state.step === 'time') {
    const result = moveTo(turn, b, input, state.offer);
    if (result || !input.text) return result;
    const service = findService(turn, b.serviceCode);
    return service ? { state, replies: [askTime(turn, service, m.timeNotUnderstood)] } : undefined;
  }
  const answer = input.action?.kind === 'yes' ? 'yes' : input.action?.kind === 'no' ? 'no' : input.text ? parseYesNo(input.text) : undefined;
  if (answer === 'no') return { state: IDLE, replies: [{ text: m.keptBooking }] };
  if (answer !== 'yes') return mentionsTime(input) || slotShift(input.text ?? '') ? moveTo(turn, b, input, startOffer(turn, state.start)) : undefined;
  const service = findService(turn, b.serviceCode);
  const start = state.start ? new Date(state.start) : undefined;
  if (!service || !start) return askMoveTime(turn, b);
  // Check again: the question may have been shown a while ago.
  const check = validateStart(turn, service, start);
  if (check.kind === 'ask') return { state: { flow: 'reschedule', step: 'time', bookingId: b.id }, replies: check.replies };
  turn.effects.push({ kind: 'moveBooking', bookingId: b.id, customerId: turn.customer.id, start });
  return { state: IDLE, replies: [{ text: m.rescheduled({ number: b.number, time: formatDateTime(m, start, turn.company.timeZone, { now: turn.now }) }) }] };
}

/** A proposed start as the offer under discussion ("10点吧" keeps its day). */
function startOffer(turn: Turn, start: string | undefined): Offer | undefined {
  if (!start) return undefined;
  return { day: DateTime.fromISO(start, { zone: tz(turn.company.timeZone) }).toISODate() ?? undefined, first: start, last: start };
}

/** Asks the reschedule flow's current question again. */
async function repromptReschedule(turn: Turn, state: MoveState): Promise<StepResult> {
  const b = state.step === 'pick' ? undefined : await changeable(turn, state.bookingId);
  if (!b) return startReschedule(turn, {});
  const start = state.step === 'confirm' && state.start ? new Date(state.start) : undefined;
  return start ? askMoveConfirm(turn, b, start) : askMoveTime(turn, b);
}

/** Cancelling one of the customer's bookings; the `cancel:<id>` button under a list starts it for that booking. */
export const cancelFlow: Flow<'cancel'> = {
  name: 'cancel',
  intents: ['cancel'],
  start: startCancel,
  continue: continueCancel,
  reprompt: repromptCancel,
  freeTextSteps: new Set(),
  // 第一个, 保洁那个 under the list: a pick, whatever else the words name.
  claims: (state, input) => state.step === 'pick' && listReference(input.text ?? '') !== undefined,
  sideQuestions: () => true,
  leave: (turn) => ({ state: IDLE, replies: [{ text: turn.m.keptBooking }] }),
  actions: { cancel: (turn, _state, action) => startCancel(turn, {}, action.id) },
};

/** Moving one of the customer's bookings; the `move:<id>` button under a list starts it for that booking. */
export const rescheduleFlow: Flow<'reschedule'> = {
  name: 'reschedule',
  intents: ['reschedule'],
  start: startReschedule,
  continue: continueReschedule,
  reprompt: repromptReschedule,
  freeTextSteps: new Set(),
  takesTime: () => true,
  claims: (state, input) =>
    listReference(input.text ?? '') !== undefined || (state.step !== 'pick' && slotShift(input.text ?? '') !== undefined),
  sideQuestions: () => true,
  leave: (turn) => ({ state: IDLE, replies: [{ text: turn.m.keptBooking }] }),
  actions: { move: (turn, _state, action) => startReschedule(turn, {}, action.id) },
};
