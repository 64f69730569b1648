/**
 * The booking flow (DOMAIN §1): service -> time -> address -> name and 先生/女士 -> mobile ->
 * one-off or recurring -> summary with price, unit, what is included and excluded, time,
 * frequency and responsibilities -> confirm -> booking number.
 *
 * Every slot persists in the draft and each is checked for what it is (an address looks like an
 * address, a name is a name); a later message fills or corrects any slot, and the summary lets
 * the customer change each field by button or in words (地址改成…, 电话留错了, 换成周四).
 */
import { randomInt } from 'node:crypto';
import { DateTime } from 'luxon';
import {
  detectService,
  frequencyCode,
  looksLikeAddress,
  parseFrequency,
  parseName,
  parsePhone,
  parseSalutation,
  parseYesNo,
} from '../../domain/nlu/index.ts';
import { fieldCorrection, isExit, isQuestion, listReference, slotShift, type BookingField } from '../../domain/nlu/steering.ts';
import { formatDateTime, formatPrice, type Messages } from '../../i18n/index.ts';
import { maskAddress, maskPhone } from '../../domain/privacy.ts';
import type { BookingDraft, BookStep, Offer, State } from '../../contracts/state.ts';
import type { Outbound } from '../../contracts/messages.ts';
import { addressAs, findService, mentionsTime, rows, serviceLabel, type StepResult, type Turn, type TurnInput } from '../turn.ts';
import { askTimeOffer, chooseTime, namesTime, validateStart } from './time.ts';
import { tz } from '../../domain/zone.ts';
import type { Flow } from '../flow.ts';
import type { Service } from '../../contracts/company.ts';
import type { Salutation } from '../../contracts/records.ts';
import { cleanLine } from '../../lib/text.ts';
import { postWorkOrder } from './workorder.ts';

type BookState = Extract<State, { flow: 'book' }>;

const MAX_ADDRESS = 200;

function at(step: BookStep, draft: BookingDraft): BookState {
  return { flow: 'book', step, draft };
}

/** The catalog as buttons. */
export function serviceButtons(turn: Turn, prefix: 'svc' | 'info') {
  return rows(
    turn.company.catalog.map((s) => ({ label: serviceLabel(turn, s), action: `${prefix}:${s.code}` })),
    2,
  );
}

/** "单次", "每周2次", "每两周1次", "每月1次" for a stored frequency (DOMAIN §1 Frequency). */
export function frequencyLabel(m: Messages, frequency: string): string {
  const weekly = /^weekly:(\d)$/.exec(frequency);
  if (weekly) return m.weekly({ n: Number(weekly[1]) });
  if (frequency === 'biweekly') return m.biweekly;
  if (frequency === 'monthly') return m.monthly;
  return m.once;
}

/** Words that lead into an address rather than belong to it: 地址是, 地址：, 我家在, 我住在, 住址. */
const ADDRESS_LEAD = /^(?:(?:服务|我的|我家|上门)?(?:地址|住址)(?:是|为|在)?|我家(?:住)?在|我(?:住|现在住)在|家住(?:在)?|住在)\s*[:：]?\s*/u;

/** A service address: control characters and a lead-in removed, whitespace collapsed; undefined if it is not one. */
function cleanAddress(text: string): string | undefined {
  const cleaned = cleanLine(text).replace(ADDRESS_LEAD, '');
  const meaningful = cleaned.match(/[\p{Script=Han}\p{L}\p{N}]/gu)?.length ?? 0;
  if (cleaned.length > MAX_ADDRESS || meaningful < 4 || !looksLikeAddress(cleaned)) return undefined;
  return cleaned;
}

/** The name (and 先生/女士, if it says) the platform gave for this person, if it reads as a name. */
function platformName(turn: Turn): { name: string; salutation?: Salutation } | undefined {
  const shown = turn.from.displayName?.trim();
  const name = shown ? parseName(shown) : undefined;
  if (!shown || !name) return undefined;
  const salutation = parseSalutation(shown);
  return salutation ? { name, salutation } : { name };
}

/** The question for a step, with whatever buttons make it a tap. */
function prompt(turn: Turn, state: BookState): Outbound {
  const { m, customer } = turn;
  const { draft } = state;
  const service = findService(turn, draft.serviceCode);
  switch (state.step) {
    case 'service':
      return { text: m.askService, buttons: serviceButtons(turn, 'svc') };
    case 'time':
      return service ? (askTimeOffer(turn, service).replies[0] ?? { text: m.askService }) : { text: m.askService, buttons: serviceButtons(turn, 'svc') };
    case 'address':
      return {
        text: m.askAddress,
        buttons: customer.address ? [[{ label: m.useSavedAddress({ address: customer.address }), action: 'addr' }]] : undefined,
      };
    case 'name': {
      const who = addressAs(turn, customer);
      const saved = who && customer.phone ? [[{ label: m.useSavedContact({ who, phone: maskPhone(customer.phone) }), action: 'contact' }]] : [];
      const offered = saved.length === 0 ? platformName(turn) : undefined;
      if (offered) {
        const shown = offered.salutation ? turn.m.who({ name: offered.name, salutation: offered.salutation }) : offered.name;
        return { text: m.confirmPlatformName({ name: shown }), buttons: [[{ label: m.usePlatformName({ name: shown }), action: 'yes' }]] };
      }
      return { text: m.askName, buttons: saved.length > 0 ? saved : undefined };
    }
    case 'salutation':
      return {
        text: m.askSalutation({ name: draft.name ?? '' }),
        buttons: [[{ label: m.sir, action: 'sal:m' }, { label: m.madam, action: 'sal:f' }]],
      };
    case 'phone':
      return { text: m.askPhone({ who: addressAs(turn, draft) ?? '' }) };
    case 'frequency':
      return {
        text: m.askFrequency,
        buttons: [
          [{ label: m.once, action: 'freq:once' }],
          [1, 2, 3].map((n) => ({ label: m.weekly({ n }), action: `freq:weekly:${n}` })),
          [{ label: m.biweekly, action: 'freq:biweekly' }, { label: m.monthly, action: 'freq:monthly' }],
        ],
      };
    case 'confirm':
      return summary(turn, draft, service);
  }
}

function summary(turn: Turn, draft: BookingDraft, service: Service | undefined): Outbound {
  const { m, company, locale } = turn;
  if (!service || !draft.start) return { text: m.askService, buttons: serviceButtons(turn, 'svc') };
  const en = locale === 'en';
  const text = [
    m.summaryTitle,
    m.summary({
      service: serviceLabel(turn, service),
      time: formatDateTime(m, new Date(draft.start), company.timeZone, { now: turn.now }),
      address: draft.address ?? '',
      who: addressAs(turn, draft) ?? '',
      phone: draft.phone ?? '',
      frequency: frequencyLabel(turn.m, draft.frequency ?? 'once'),
      price: formatPrice(service.price),
      unit: en ? service.unitEn : service.unit,
      includes: (en ? service.includesEn : service.includes).join(m.listSeparator),
      excludes: (en ? company.excludesEn : company.excludes).join(m.listSeparator),
      responsibilities: en ? company.responsibilitiesEn : company.responsibilities,
    }),
    m.confirmPrompt,
  ].join('\n');
  return {
    text,
    buttons: [
      [{ label: m.confirm, action: 'yes' }],
      [{ label: m.changeTime, action: 'edit:time' }, { label: m.changeAddress, action: 'edit:address' }],
      [{ label: m.changeName, action: 'edit:name' }, { label: m.changePhone, action: 'edit:phone' }],
      [{ label: m.changeService, action: 'edit:service' }, { label: m.changeFrequency, action: 'edit:frequency' }],
      [{ label: m.abandon, action: 'no' }],
    ],
  };
}

/** Moves to the first step whose slot is still empty and asks its question. */
function advance(turn: Turn, draft: BookingDraft, lead: Outbound[] = []): StepResult {
  const step: BookStep = !draft.serviceCode
    ? 'service'
    : !draft.start
      ? 'time'
      : !draft.address
        ? 'address'
        : !draft.name
          ? 'name'
          : !draft.salutation
            ? 'salutation'
            : !draft.phone
              ? 'phone'
              : !draft.frequency
                ? 'frequency'
                : 'confirm';
  if (step === 'time') {
    const service = findService(turn, draft.serviceCode);
    if (service) {
      const asked = askTimeOffer(turn, service);
      return { state: at('time', { ...draft, offer: asked.offer ?? draft.offer }), replies: [...lead, ...asked.replies] };
    }
  }
  const state = at(step, draft);
  return { state, replies: [...lead, prompt(turn, state)] };
}

/** The time step asking again, remembering what it offered. */
function askAgain(draft: BookingDraft, replies: Outbound[], offer: Offer | undefined): StepResult {
  return { state: at('time', { ...draft, start: undefined, offer: offer ?? draft.offer }), replies };
}

/** The frequency a text asks for (每周二上午9点 -> weekly:1), in its stored form. */
function frequencyIn(text: string | undefined): string | undefined {
  const f = text ? parseFrequency(text) : undefined;
  return f ? frequencyCode(f) : undefined;
}

/** "好的，日常保洁，11月24日（周二）15:00。": the service and time taken, before the next question. */
function noted(turn: Turn, service: Service, start: Date): Outbound {
  return { text: turn.m.bookingNoted({ service: serviceLabel(turn, service), time: formatDateTime(turn.m, start, turn.company.timeZone, { now: turn.now }) }) };
}

/** Starts a booking, using whatever the first message already said (service, time, frequency). */
export function startBooking(turn: Turn, input: TurnInput): StepResult {
  const draft: BookingDraft = {};
  const service = findService(turn, input.understanding?.serviceCode);
  if (!service) return advance(turn, draft);
  draft.serviceCode = service.code;
  const frequency = frequencyIn(input.text);
  if (frequency && frequency !== 'once') draft.frequency = frequency;
  const choice = namesTime(turn, input) ? chooseTime(turn, service, input) : undefined;
  if (choice?.kind === 'chosen') return advance(turn, { ...draft, start: choice.start.toISOString() }, [noted(turn, service, choice.start)]);
  if (choice?.kind === 'ask') return askAgain(draft, choice.replies, choice.offer);
  return advance(turn, draft);
}

/** Asks the current step's question again (after a stale button or an interruption). */
function repromptBooking(turn: Turn, state: BookState): StepResult | Outbound {
  if (state.pending) return askDrop(turn, state);
  if (state.step === 'time') {
    const service = findService(turn, state.draft.serviceCode);
    if (service) {
      const asked = askTimeOffer(turn, service);
      return askAgain(state.draft, asked.replies, asked.offer);
    }
  }
  return prompt(turn, state);
}

function newBookingNumber(turn: Turn): string {
  const day = DateTime.fromJSDate(turn.now, { zone: tz(turn.company.timeZone) }).toFormat('yyMMdd');
  return `JZ${day}${String(randomInt(0, 10_000)).padStart(4, '0')}`;
}

function confirmBooking(turn: Turn, draft: BookingDraft): StepResult {
  const { m, company, customer } = turn;
  const service = findService(turn, draft.serviceCode);
  if (!service || !draft.start || !draft.address || !draft.name || !draft.salutation || !draft.phone) {
    return advance(turn, draft);
  }
  // The clock may have moved since the summary was shown: check again.
  const check = validateStart(turn, service, new Date(draft.start));
  if (check.kind === 'ask') return askAgain(draft, check.replies, check.offer);
  const number = newBookingNumber(turn);
  turn.effects.push(
    {
      kind: 'createBooking',
      booking: {
        number,
        customerId: customer.id,
        serviceCode: service.code,
        serviceName: service.name,
        start: check.start,
        address: draft.address,
        contactName: draft.name,
        salutation: draft.salutation,
        phone: draft.phone,
        frequency: draft.frequency ?? 'once',
        priceFen: Math.round(service.price * 100),
        unit: service.unit,
        confirmKey: turn.messageKey,
      },
    },
    {
      kind: 'updateCustomer',
      customerId: customer.id,
      data: { name: draft.name, salutation: draft.salutation, phone: draft.phone, address: draft.address },
    },
  );
  // The work order (派工单) goes to the front desk or the service's department (flows/workorder.ts).
  postWorkOrder(turn, { number, serviceCode: service.code, serviceName: service.name, start: check.start, address: draft.address, contactName: draft.name, salutation: draft.salutation, phone: draft.phone });
  return {
    state: { flow: 'idle' },
    replies: [{ text: m.booked({ number, time: formatDateTime(m, check.start, company.timeZone, { now: turn.now }) }) }],
  };
}

const CHANGE_WORD = /改|换|不是|不要|instead|change/;

/** The draft with another service: the time kept if that service may have it, else asked again. */
function reservice(turn: Turn, draft: BookingDraft, code: string): StepResult {
  const service = findService(turn, code);
  if (!service) return advance(turn, draft);
  const moved = { ...draft, serviceCode: service.code };
  const lead = { text: turn.m.serviceChanged({ service: serviceLabel(turn, service) }) };
  if (!draft.start) return advance(turn, moved, [lead]);
  const check = validateStart(turn, service, new Date(draft.start));
  return check.kind === 'chosen' ? advance(turn, moved, [lead]) : askAgain(moved, [lead, ...check.replies], check.offer);
}

/**
 * A reply that is not the slot asked for: what the slot needs, or, for a question this flow cannot
 * answer (你们的阿姨有健康证吗？), where to ask it and the question again. Never taken as the slot.
 */
function refuse(turn: Turn, state: BookState, text: string, invalid: string): StepResult {
  if (!isQuestion(text)) return { state, replies: [{ text: invalid }] };
  return { state, replies: [{ text: turn.m.cannotAnswer({ hotline: turn.company.hotline }) }, prompt(turn, state)] };
}

/** Whether the draft has a value for a field. */
function filled(draft: BookingDraft, field: BookingField): boolean {
  const value = { service: draft.serviceCode, time: draft.start, address: draft.address, name: draft.name, phone: draft.phone, frequency: draft.frequency }[field];
  return value !== undefined;
}

const PHONE_IN_TEXT = /(?:\+?86|0086)?[\s-]*1[3-9](?:[\s-]?\d){9}(?!\d)/u;
const NAME_IN_TEXT = /(\p{Script=Han}{1,2})(先生|女士|小姐|太太)/u;

/**
 * A mobile number and a 张先生-style name given with the address ("阳光小区3栋501，李先生，
 * 13912345678"): each fills its own slot, and the rest is the address.
 */
function contactIn(text: string): { rest: string; contact: Partial<BookingDraft> } {
  const contact: Partial<BookingDraft> = {};
  let rest = text;
  const phone = parsePhone(rest);
  if (phone) {
    contact.phone = phone;
    rest = rest.replace(PHONE_IN_TEXT, ' ');
  }
  const named = NAME_IN_TEXT.exec(rest);
  const name = named ? parseName(named[0]) : undefined;
  if (named && name) {
    contact.name = name;
    contact.salutation = parseSalutation(named[0]);
    rest = rest.replace(named[0], ' ');
  }
  rest = rest.replace(/(?:联系人|电话|手机|称呼)[:：]?/gu, ' ').replace(/[\s,，;；、]+/gu, ' ').trim();
  return { rest, contact };
}

/** The draft with one field emptied, so the flow asks it again and comes back to the summary. */
function withoutField(draft: BookingDraft, field: BookingField): BookingDraft {
  switch (field) {
    case 'service':
      return { ...draft, serviceCode: undefined };
    case 'time': {
      const day = draft.start ? draft.offer?.day : undefined;
      return { ...draft, start: undefined, offer: day ? { day } : draft.offer };
    }
    case 'address':
      return { ...draft, address: undefined };
    case 'name':
      return { ...draft, name: undefined, salutation: undefined };
    case 'phone':
      return { ...draft, phone: undefined };
    case 'frequency':
      return { ...draft, frequency: undefined };
  }
}

/** The chosen start as an offer: its day and clock time, for "10点" or "换成周四" at the summary. */
function chosenOffer(turn: Turn, draft: BookingDraft): Offer | undefined {
  if (!draft.start) return draft.offer;
  const day = DateTime.fromISO(draft.start, { zone: tz(turn.company.timeZone) }).toISODate() ?? undefined;
  return { day, first: draft.start, last: draft.start };
}

/** A time input against the draft: the new start and the summary, or the time question again. */
function retime(turn: Turn, draft: BookingDraft, input: TurnInput): StepResult | undefined {
  const service = findService(turn, draft.serviceCode);
  if (!service) return advance(turn, { ...draft, serviceCode: undefined });
  const choice = chooseTime(turn, service, input, draft.start ? chosenOffer(turn, draft) : draft.offer);
  if (!choice) return undefined;
  if (choice.kind === 'ask') return askAgain(draft, choice.replies, choice.offer);
  return advance(turn, { ...draft, start: choice.start.toISOString(), offer: undefined });
}

/**
 * "地址改成幸福小区5栋302", "电话留错了", "名字写错了", "改成每两周一次", a new phone number or
 * time at the summary: the field changed (and the summary again), or its question asked again.
 */
function correct(turn: Turn, draft: BookingDraft, input: TurnInput): StepResult | undefined {
  const { text = '' } = input;
  const { m } = turn;
  const correction = fieldCorrection(text);
  // "改成擦玻璃", "服务项目换成空调清洗": another service, the rest kept (its time checked again).
  const named = input.understanding?.serviceCode;
  if (named && named !== draft.serviceCode && (correction?.field === 'service' || (!correction && CHANGE_WORD.test(text)))) {
    return reservice(turn, draft, named);
  }
  if (correction?.field === 'time' || (!correction && (mentionsTime(input) || slotShift(text)))) return retime(turn, draft, input);
  const frequency = frequencyIn(correction?.field === 'frequency' ? (correction.value ?? text) : text);
  if (frequency && (!correction || correction.field === 'frequency')) return advance(turn, { ...draft, frequency });
  if (!correction) {
    // "不是李先生，是王女士", "13700001111", "阳光小区3栋502": a value that says which field it is.
    const given = contactIn(text.replace(/^(?:不是|不对|错了)[^，,。是]*[，,。]?\s*(?:是|应该是|改成)?/u, ''));
    if (given.contact.phone || given.contact.name) return advance(turn, { ...draft, ...given.contact, ...(cleanAddress(given.rest) ? { address: cleanAddress(given.rest) } : {}) });
    const address = cleanAddress(given.rest);
    return address ? advance(turn, { ...draft, address }) : undefined;
  }
  const { field, value } = correction;
  const emptied = withoutField(draft, field);
  if (!value) return advance(turn, emptied);
  if (field === 'address') {
    const address = cleanAddress(value);
    return address ? advance(turn, { ...draft, address }) : { state: at('address', emptied), replies: [{ text: m.addressInvalid }] };
  }
  if (field === 'phone') {
    const phone = parsePhone(value);
    return phone ? advance(turn, { ...draft, phone }) : { state: at('phone', emptied), replies: [{ text: m.phoneInvalid }] };
  }
  if (field === 'name') {
    const name = parseName(value);
    return name ? advance(turn, { ...draft, name, salutation: parseSalutation(value) ?? draft.salutation }) : advance(turn, emptied);
  }
  return advance(turn, emptied);
}

/**
 * One input inside the booking flow. Returns `undefined` when the input does not answer the
 * current step, so the engine can tell the person and ask again.
 */
function continueBooking(turn: Turn, state: BookState, input: TurnInput): StepResult | undefined {
  const { action, text, understanding } = input;
  const draft = { ...state.draft };
  const { m, customer } = turn;
  // "等等，地址写错了，应该是…" at any later step: the field corrected, then on from where we were.
  const correction = text && state.step !== 'confirm' ? fieldCorrection(text) : undefined;
  if (correction && filled(draft, correction.field)) return correct(turn, draft, input);
  // Another service named after the first: "改成擦玻璃" changes it; "我还想约个擦玻璃" is a new
  // booking, so the customer is asked whether to drop this one first.
  const other = understanding?.serviceCode;
  if (text && other && draft.serviceCode && other !== draft.serviceCode && state.step !== 'service' && state.step !== 'confirm' && !isQuestion(text)) {
    if (CHANGE_WORD.test(text)) return reservice(turn, draft, other);
    if (unfinished(state)) return askDrop(turn, { ...state, pending: text });
  }
  switch (state.step) {
    case 'service': {
      const code = action?.kind === 'svc' ? action.code : (understanding?.serviceCode ?? (text ? detectService(text, turn.company.catalog) : undefined));
      const service = findService(turn, code);
      if (!service) return undefined;
      // The service changed from the summary: every other slot kept.
      if (draft.start || draft.address || draft.name) return reservice(turn, draft, service.code);
      return startBooking(turn, { ...input, understanding: { ...(understanding ?? { intent: 'book', locale: turn.locale }), serviceCode: service.code } });
    }
    case 'time': {
      const service = findService(turn, draft.serviceCode);
      if (!service) return advance(turn, { ...draft, serviceCode: undefined });
      const choice = chooseTime(turn, service, input, draft.offer);
      if (!choice) {
        if (!text) return undefined;
        const asked = askTimeOffer(turn, service, m.timeNotUnderstood);
        return askAgain(draft, asked.replies, draft.offer ?? asked.offer);
      }
      if (choice.kind === 'ask') return askAgain(draft, choice.replies, choice.offer);
      return advance(turn, { ...draft, start: choice.start.toISOString(), offer: undefined }, [noted(turn, service, choice.start)]);
    }
    case 'address': {
      if (action?.kind === 'addr' && customer.address) return advance(turn, { ...draft, address: customer.address });
      if (text === undefined) return undefined;
      const given = contactIn(text);
      const address = cleanAddress(given.rest);
      if (!address) return refuse(turn, state, text, m.addressInvalid);
      return advance(turn, { ...draft, ...given.contact, address });
    }
    case 'name': {
      if (action?.kind === 'contact' && customer.name && customer.salutation && customer.phone) {
        return advance(turn, { ...draft, name: customer.name, salutation: customer.salutation, phone: customer.phone });
      }
      const offered = platformName(turn);
      const answer = action?.kind === 'yes' ? 'yes' : text ? parseYesNo(text) : undefined;
      if (offered && answer === 'yes') return advance(turn, { ...draft, name: offered.name, salutation: offered.salutation ?? draft.salutation });
      if (text === undefined) return undefined;
      // "姓张，电话13912345678", "张先生 13912345678": the phone fills its slot too.
      const phone = parsePhone(text);
      const name = parseName(phone ? text.replace(PHONE_IN_TEXT, ' ') : text);
      if (!name) return answer === 'no' ? { state, replies: [{ text: m.askName }] } : refuse(turn, state, text, m.nameInvalid);
      return advance(turn, { ...draft, name, salutation: parseSalutation(text) ?? draft.salutation, ...(phone ? { phone } : {}) });
    }
    case 'salutation': {
      const salutation: Salutation | undefined =
        action?.kind === 'sal' ? (action.value === 'm' ? '先生' : '女士') : text ? parseSalutation(text) : undefined;
      if (!salutation) return undefined;
      return advance(turn, { ...draft, salutation });
    }
    case 'phone': {
      if (text === undefined) return undefined;
      const phone = parsePhone(text);
      if (!phone) return refuse(turn, state, text, m.phoneInvalid);
      return advance(turn, { ...draft, phone });
    }
    case 'frequency': {
      const frequency = action?.kind === 'freq' ? action.value : frequencyIn(text);
      if (!frequency) return undefined;
      return advance(turn, { ...draft, frequency });
    }
    case 'confirm': {
      if (action?.kind === 'edit') return advance(turn, withoutField(draft, action.field));
      const answer = action?.kind === 'yes' ? 'yes' : action?.kind === 'no' ? 'no' : text ? parseYesNo(text) : undefined;
      if (answer === 'yes') return confirmBooking(turn, draft);
      if (answer === 'no' && (!text || isExit(text))) return leaveBooking(turn);
      const corrected = text ? correct(turn, draft, input) : undefined;
      if (corrected || answer !== 'no') return corrected;
      // "不对" without saying what: which field, with a button for each.
      return { state, replies: [{ ...summary(turn, draft, findService(turn, draft.serviceCode)), text: m.askWhatToChange }] };
    }
  }
}

/** The draft as the handover post shows it: what was filled, the address and phone masked as the post masks them. */
function draftForStaff(turn: Turn, draft: BookingDraft): string {
  const { staffM: m, company } = turn;
  const none = m.handoverDraftUnfilled;
  const service = findService(turn, draft.serviceCode);
  return m.handoverDraftBooking({
    service: service?.name ?? none,
    time: draft.start ? formatDateTime(m, new Date(draft.start), company.timeZone, { now: turn.now }) : none,
    address: draft.address ? maskAddress(draft.address) : none,
    who: draft.name ? (draft.salutation ? m.who({ name: draft.name, salutation: draft.salutation }) : draft.name) : none,
    phone: draft.phone ? maskPhone(draft.phone) : none,
    frequency: draft.frequency ? frequencyLabel(m, draft.frequency) : none,
  });
}

/** Words of someone asking for a person, which a name never holds (找个真人 is no name; 张真人 is). */
const ASKS_SOMEONE = /[找转叫请跟和与让要]|人工|客服|\b(?:talk|speak|chat|human|person|agent|someone|somebody)\b/i;

/** Leaves the booking: nothing was saved, and the customer is told so. */
function leaveBooking(turn: Turn): StepResult {
  return { state: { flow: 'idle' }, replies: [{ text: turn.m.bookingAbandoned }] };
}

/** "您还有一个预约没填完（日常保洁，明天15:00），要放弃它吗？" before starting something else. */
function askDrop(turn: Turn, state: BookState): StepResult {
  const { m } = turn;
  const service = findService(turn, state.draft.serviceCode);
  const parts = [
    service ? serviceLabel(turn, service) : undefined,
    state.draft.start ? formatDateTime(m, new Date(state.draft.start), turn.company.timeZone, { now: turn.now }) : undefined,
  ].filter(Boolean);
  return {
    state,
    replies: [{ text: m.askDropBooking({ draft: parts.join(m.listSeparator) }), buttons: [[{ label: m.dropBooking, action: 'yes' }, { label: m.keepBooking, action: 'no' }]] }],
  };
}

/** Whether the draft holds more than a service: worth asking before dropping it. */
function unfinished(state: BookState): boolean {
  const { draft } = state;
  return Boolean(draft.start || draft.address || draft.name || draft.phone);
}

/** The booking flow: started by the 'book' intent, the menu, or a service button from any state. */
export const bookingFlow: Flow<'book'> = {
  name: 'book',
  intents: ['book'],
  start: startBooking,
  continue: continueBooking,
  reprompt: repromptBooking,
  freeTextSteps: new Set(['address', 'name']),
  takesTime: (state) => state.step === 'time' || state.step === 'confirm',
  // 晚一点的 / 换一天 at the time step; 地址改成… / 改成每两周一次 at the summary.
  claims: (state, input) => {
    const text = input.text ?? '';
    if (fieldCorrection(text) || (input.understanding?.serviceCode && state.draft.serviceCode && CHANGE_WORD.test(text))) return true;
    if (state.step === 'time') return slotShift(text) !== undefined || listReference(text) !== undefined;
    if (state.step === 'confirm') {
      return Boolean(fieldCorrection(text) || slotShift(text) || parseFrequency(text) || (input.understanding?.serviceCode && CHANGE_WORD.test(text)));
    }
    return state.step === 'frequency' && parseFrequency(text) !== undefined;
  },
  sideQuestions: () => true,
  serviceOf: (state) => state.draft.serviceCode,
  leave: leaveBooking,
  leftBehind: (turn, state) => ({ told: turn.m.handoverLeftBooking, draft: draftForStaff(turn, state.draft) }),
  // An address at the address step (人工湖小区3栋501) and a name at the name step (张真人) are answers.
  fillsSlot: (state, input) => {
    const text = input.text ?? '';
    if (state.step === 'address') return cleanAddress(contactIn(text).rest) !== undefined;
    if (state.step === 'name') return parseName(text) !== undefined && !ASKS_SOMEONE.test(text);
    return false;
  },
  // "取消" in the middle of a booking drops the draft; it does not cancel an existing booking.
  onTopicSwitch: (turn, state, input) => {
    const intent = input.understanding?.intent;
    // A question that starts nothing (你们的阿姨有健康证吗？) does not drop the booking: where to ask it, then on.
    if (input.text && isQuestion(input.text) && intent !== 'complain' && intent !== 'cancel' && intent !== 'reschedule') {
      return { state, replies: [{ text: turn.m.cannotAnswer({ hotline: turn.company.hotline }) }, prompt(turn, state)] };
    }
    if (intent === 'cancel' && !/JZ\d{10}|预约|订单|那个|那单/i.test(input.text ?? '')) return leaveBooking(turn);
    if (unfinished(state) && input.text) return askDrop(turn, { ...state, pending: input.text });
    return undefined;
  },
  actions: {
    // At the service step the button is the answer; anywhere else it starts a booking of that service.
    svc: (turn, state, action) =>
      state.flow === 'book' && state.step === 'service'
        ? undefined
        : startBooking(turn, { understanding: { intent: 'book', locale: turn.locale, serviceCode: action.code } }),
  },
};
