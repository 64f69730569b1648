/**
 * The booking flow (DOMAIN §1): service -> time -> address -> name and 先生/女士 -> mobile ->
 * one-off or recurring -> summary with price, unit, what is included and excluded, time and
 * responsibilities -> confirm -> booking number.
 */
import { randomInt } from 'node:crypto';
import { DateTime } from 'luxon';
import { detectService, parseFrequency, parseName, parsePhone, parseSalutation, parseYesNo } from '../../domain/nlu/index.ts';
import { formatDateTime, formatPrice } from '../../i18n/index.ts';
import { maskPhone } from '../../domain/privacy.ts';
import type { BookingDraft, BookStep, State } from '../../contracts/state.ts';
import type { Outbound } from '../../contracts/messages.ts';
import { addressAs, findService, mentionsTime, rows, serviceLabel, type StepResult, type Turn, type TurnInput } from '../turn.ts';
import { askTime, chooseTime, validateStart } from './time.ts';
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

function frequencyLabel(turn: Turn, frequency: string): string {
  const weekly = /^weekly:(\d)$/.exec(frequency);
  return weekly ? turn.m.weekly({ n: Number(weekly[1]) }) : turn.m.once;
}

/** A human-readable address: control characters removed, whitespace collapsed. */
function cleanAddress(text: string): string | undefined {
  const cleaned = cleanLine(text);
  const meaningful = cleaned.match(/[\p{Script=Han}\p{L}\p{N}]/gu)?.length ?? 0;
  if (cleaned.length > MAX_ADDRESS || meaningful < 4) return undefined;
  return cleaned;
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
      return service ? askTime(turn, service) : { text: m.askService, buttons: serviceButtons(turn, 'svc') };
    case 'address':
      return {
        text: m.askAddress,
        buttons: customer.address ? [[{ label: m.useSavedAddress({ address: customer.address }), action: 'addr' }]] : undefined,
      };
    case 'name': {
      const who = addressAs(turn, customer);
      return {
        text: m.askName,
        buttons:
          who && customer.phone ? [[{ label: m.useSavedContact({ who, phone: maskPhone(customer.phone) }), action: 'contact' }]] : undefined,
      };
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
      frequency: frequencyLabel(turn, draft.frequency ?? 'once'),
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
    buttons: [[{ label: m.confirm, action: 'yes' }], [{ label: m.changeTime, action: 'edit:time' }, { label: m.abandon, action: 'no' }]],
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
  const state = at(step, draft);
  return { state, replies: [...lead, prompt(turn, state)] };
}

/** Starts a booking, using whatever the first message already said (service, time). */
export function startBooking(turn: Turn, input: TurnInput): StepResult {
  const draft: BookingDraft = {};
  const service = findService(turn, input.understanding?.serviceCode);
  if (!service) return advance(turn, draft);
  draft.serviceCode = service.code;
  const choice = mentionsTime(input) ? chooseTime(turn, service, input) : undefined;
  if (choice?.kind === 'chosen') return advance(turn, { ...draft, start: choice.start.toISOString() });
  if (choice?.kind === 'ask') return { state: at('time', draft), replies: choice.replies };
  return advance(turn, draft);
}

/** Asks the current step's question again (after a stale button or an interruption). */
function repromptBooking(turn: Turn, state: BookState): Outbound {
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
  if (check.kind === 'ask') return { state: at('time', { ...draft, start: undefined }), replies: check.replies };
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

/**
 * One input inside the booking flow. Returns `undefined` when the input does not answer the
 * current step, so the engine can tell the person and ask again.
 */
function continueBooking(turn: Turn, state: BookState, input: TurnInput): StepResult | undefined {
  const { action, text, understanding } = input;
  const draft = { ...state.draft };
  const { m, customer } = turn;
  switch (state.step) {
    case 'service': {
      const code = action?.kind === 'svc' ? action.code : (understanding?.serviceCode ?? (text ? detectService(text, turn.company.catalog) : undefined));
      const service = findService(turn, code);
      if (!service) return undefined;
      return startBooking(turn, { ...input, understanding: { ...(understanding ?? { intent: 'book', locale: turn.locale }), serviceCode: service.code } });
    }
    case 'time': {
      const service = findService(turn, draft.serviceCode);
      if (!service) return advance(turn, { ...draft, serviceCode: undefined });
      const choice = chooseTime(turn, service, input);
      if (!choice) return text ? { state, replies: [askTime(turn, service, m.timeNotUnderstood)] } : undefined;
      if (choice.kind === 'ask') return { state, replies: choice.replies };
      return advance(turn, { ...draft, start: choice.start.toISOString() });
    }
    case 'address': {
      if (action?.kind === 'addr' && customer.address) return advance(turn, { ...draft, address: customer.address });
      if (text === undefined) return undefined;
      const address = cleanAddress(text);
      if (!address) return { state, replies: [{ text: m.addressInvalid }] };
      return advance(turn, { ...draft, address });
    }
    case 'name': {
      if (action?.kind === 'contact' && customer.name && customer.salutation && customer.phone) {
        return advance(turn, { ...draft, name: customer.name, salutation: customer.salutation, phone: customer.phone });
      }
      if (text === undefined) return undefined;
      const name = parseName(text);
      if (!name) return { state, replies: [{ text: m.nameInvalid }] };
      return advance(turn, { ...draft, name, salutation: parseSalutation(text) ?? draft.salutation });
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
      if (!phone) return { state, replies: [{ text: m.phoneInvalid }] };
      return advance(turn, { ...draft, phone });
    }
    case 'frequency': {
      let frequency: string | undefined;
      if (action?.kind === 'freq') frequency = action.value;
      else if (text) {
        const f = parseFrequency(text);
        frequency = f ? (f.kind === 'once' ? 'once' : `weekly:${f.perWeek}`) : undefined;
      }
      if (!frequency) return undefined;
      return advance(turn, { ...draft, frequency });
    }
    case 'confirm': {
      if (action?.kind === 'edit') return advance(turn, { ...draft, start: undefined });
      const answer = action?.kind === 'yes' ? 'yes' : action?.kind === 'no' ? 'no' : text ? parseYesNo(text) : undefined;
      if (answer === 'yes') return confirmBooking(turn, draft);
      if (answer === 'no') return { state: { flow: 'idle' }, replies: [{ text: m.bookingAbandoned }] };
      // "改到周六上午十点" at the summary: change the time and show the summary again.
      const service = findService(turn, draft.serviceCode);
      const choice = service && mentionsTime(input) ? chooseTime(turn, service, input) : undefined;
      if (choice?.kind === 'chosen') return advance(turn, { ...draft, start: choice.start.toISOString() });
      if (choice?.kind === 'ask') return { state: at('time', { ...draft, start: undefined }), replies: choice.replies };
      return undefined;
    }
  }
}

/** Abandons the draft. */
function abandonBooking(turn: Turn): StepResult {
  return { state: { flow: 'idle' }, replies: [{ text: turn.m.bookingAbandoned }] };
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
  // "取消" in the middle of a booking drops the draft; it does not cancel an existing booking.
  onTopicSwitch: (turn, _state, input) => (input.understanding?.intent === 'cancel' ? abandonBooking(turn) : undefined),
  actions: {
    // At the service step the button is the answer; anywhere else it starts a booking of that service.
    svc: (turn, state, action) =>
      state.flow === 'book' && state.step === 'service'
        ? undefined
        : startBooking(turn, { understanding: { intent: 'book', locale: turn.locale, serviceCode: action.code } }),
  },
};
