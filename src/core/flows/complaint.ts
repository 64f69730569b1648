/**
 * Complaint intake (DOMAIN §2): the bot is the first contact (首问负责制). It apologises on the
 * company's behalf, links the complaint to one of the customer's bookings, asks the few questions
 * that decide the grade (what happened; a loss and roughly how much; raised before, how often),
 * records every field of the 客户投诉意见表 at once, posts the escalation to the level's staff
 * channel in the same transaction, and tells the customer the number and the committed times.
 */
import { randomInt } from 'node:crypto';
import { DateTime } from 'luxon';
import { mentionedAmount, repetition, type Category } from '../../domain/complaints/classify.ts';
import { complaintDeadlines, firstLevel } from '../../domain/complaints/deadlines.ts';
import { proposeGrade } from '../../domain/complaints/grade.ts';
import { isGroupComplaint, matterKey } from '../../domain/complaints/group.ts';
import { complaintCategory, parseName, parsePhone, parseSalutation, recordedCategory } from '../../domain/nlu/index.ts';
import { tz } from '../../domain/zone.ts';
import { formatDateTime, messages, type Locale } from '../../i18n/index.ts';
import { complaintPost } from '../../features/complaints/post.ts';
import { nextCheck } from '../../domain/complaints/timing.ts';
import type { BookingView, ComplaintView, CustomerProfile } from '../../contracts/records.ts';
import type { ComplainStep, ComplaintDraft, State } from '../../contracts/state.ts';
import type { Channel, Outbound } from '../../contracts/messages.ts';
import { findService, type StepResult, type Turn, type TurnInput } from '../turn.ts';
import type { Flow } from '../flow.ts';
import { cleanLine } from '../../lib/text.ts';
import { complaintRoom } from '../../features/departments.ts';

type ComplainState = Extract<State, { flow: 'complain' }>;

const MAX_CONTENT = 2000;
/** Phrases that only say "I want to complain", without saying what happened. */
const BARE_REQUEST = /^(我要|我想|想|要)?(投诉|投诉一下|提个?意见|反映(个|一下)?问题|complain|complaint|make a complaint|i want to complain)[。.!！]*$/i;


function cleanContent(text: string): string {
  return cleanLine(text).slice(0, MAX_CONTENT);
}

function at(step: ComplainStep, draft: ComplaintDraft): ComplainState {
  return { flow: 'complain', step, draft };
}

function bookingLabel(turn: Turn, b: BookingView): string {
  const service = findService(turn, b.serviceCode);
  const name = service && turn.locale === 'en' ? service.nameEn : b.serviceName;
  return `${b.number} ${name} ${formatDateTime(turn.m, b.start, turn.company.timeZone, { now: turn.now })}`;
}

async function prompt(turn: Turn, state: ComplainState): Promise<Outbound> {
  const { m } = turn;
  switch (state.step) {
    case 'what':
      return { text: m.askComplaintWhat };
    case 'booking': {
      const list = await turn.store.complaintBookings(turn.customer.id, turn.now);
      return {
        text: m.askComplaintBooking,
        buttons: [...list.map((b) => [{ label: bookingLabel(turn, b), action: `cbk:${b.id}` }]), [{ label: m.noBookingRelated, action: 'cbk:0' }]],
      };
    }
    case 'loss':
      return { text: m.askLoss, buttons: [[{ label: m.lossYes, action: 'loss:y' }, { label: m.lossNo, action: 'loss:n' }]] };
    case 'amount':
      return { text: m.askLossAmount, buttons: [[{ label: m.lossUnknown, action: 'loss:u' }]] };
    case 'prior':
      return {
        text: m.askPrior,
        buttons: [[{ label: m.priorNone, action: 'prior:0' }], [{ label: m.priorOnce, action: 'prior:1' }, { label: m.priorMany, action: 'prior:2' }]],
      };
    case 'name':
      return { text: m.askComplainantName };
    case 'phone':
      return { text: m.askComplainantPhone };
  }
}

/** Asks the next missing answer, or records the complaint when nothing is missing. */
async function advance(turn: Turn, draft: ComplaintDraft, lead: Outbound[] = []): Promise<StepResult> {
  const { customer } = turn;
  let step: ComplainStep | undefined;
  if (!draft.content) step = 'what';
  else if (draft.bookingId === undefined) {
    const list = await turn.store.complaintBookings(customer.id, turn.now);
    if (list.length === 0) draft.bookingId = null;
    else if (list.length === 1) draft.bookingId = list[0]!.id;
    else step = 'booking';
  }
  if (!step && draft.content) {
    if (draft.hadLoss === undefined) step = 'loss';
    else if (draft.hadLoss && draft.lossYuan === undefined) step = 'amount';
    else if (draft.priorCount === undefined) step = 'prior';
    else if (!(draft.name ?? customer.name)) step = 'name';
    else if (!(draft.phone ?? customer.phone)) step = 'phone';
  }
  if (step) {
    const state = at(step, draft);
    return { state, replies: [...lead, await prompt(turn, state)] };
  }
  return (await recordComplaint(turn, draft, lead)).result;
}

/** Answers the text already gives (an amount, "第三次") are taken without asking. */
function prefill(draft: ComplaintDraft, text: string): ComplaintDraft {
  const amount = mentionedAmount(text);
  const again = repetition(text);
  return {
    ...draft,
    ...(amount !== undefined && draft.hadLoss === undefined ? { hadLoss: true, lossYuan: Math.round(amount) } : {}),
    ...(again.times !== undefined && draft.priorCount === undefined ? { priorCount: Math.max(0, again.times - 1) } : {}),
  };
}

/** Starts a complaint from the menu or from free text such as 阿姨把花瓶打碎了. */
export async function startComplaint(turn: Turn, input: TurnInput): Promise<StepResult> {
  const text = input.text ? cleanContent(input.text) : '';
  const draft: ComplaintDraft = text && !BARE_REQUEST.test(text) ? prefill({ content: text }, text) : {};
  return advance(turn, draft, [{ text: turn.m.complainApology }]);
}

function asNumber(v: string): number {
  return Number(v);
}

/** One answer inside the intake. Returns undefined when the input does not answer the step. */
async function continueComplaint(turn: Turn, state: ComplainState, input: TurnInput): Promise<StepResult | undefined> {
  const { action } = input;
  const text = input.text !== undefined ? cleanContent(input.text) : undefined;
  const draft = { ...state.draft };
  const { m } = turn;
  switch (state.step) {
    case 'what':
      if (!text) return undefined;
      if (text.replace(/[\s\p{P}\p{S}]/gu, '').length < 2) return { state, replies: [{ text: m.complaintTooShort }] };
      return advance(turn, prefill({ ...draft, content: text }, text));
    case 'booking': {
      if (action?.kind !== 'cbk') return undefined;
      if (action.id === 0) return advance(turn, { ...draft, bookingId: null });
      // Only one of the bookings offered (the customer's own): a forged id is a stale button.
      const offered = await turn.store.complaintBookings(turn.customer.id, turn.now);
      const own = offered.find((b) => b.id === action.id);
      return own ? advance(turn, { ...draft, bookingId: own.id }) : undefined;
    }
    case 'loss':
      if (action?.kind === 'loss') {
        if (action.value === 'n') return advance(turn, { ...draft, hadLoss: false, lossYuan: null });
        return advance(turn, { ...draft, hadLoss: true, ...(action.value === 'u' ? { lossYuan: null } : {}) });
      }
      if (text) {
        const amount = mentionedAmount(text);
        if (amount !== undefined) return advance(turn, { ...draft, hadLoss: true, lossYuan: Math.round(amount) });
        if (/^(没有|没|无|no|none|nope)/i.test(text)) return advance(turn, { ...draft, hadLoss: false, lossYuan: null });
        if (/^(有|是|yes)/i.test(text)) return advance(turn, { ...draft, hadLoss: true });
      }
      return undefined;
    case 'amount':
      if (action?.kind === 'loss' && action.value === 'u') return advance(turn, { ...draft, lossYuan: null });
      if (!text) return undefined;
      {
        const amount = mentionedAmount(text) ?? (/^\d{1,9}$/.test(text) ? Number(text) : undefined);
        if (amount === undefined) return { state, replies: [{ text: m.amountInvalid, buttons: [[{ label: m.lossUnknown, action: 'loss:u' }]] }] };
        return advance(turn, { ...draft, lossYuan: Math.round(amount) });
      }
    case 'prior': {
      if (action?.kind === 'prior') return advance(turn, { ...draft, priorCount: asNumber(action.value) });
      if (!text) return undefined;
      const again = repetition(text);
      if (again.times !== undefined) return advance(turn, { ...draft, priorCount: Math.max(0, again.times - 1) });
      if (/第一次|首次|没有|没|first|no/i.test(text)) return advance(turn, { ...draft, priorCount: 0 });
      if (again.repeated) return advance(turn, { ...draft, priorCount: 2 });
      return undefined;
    }
    case 'name': {
      if (!text) return undefined;
      const name = parseName(text);
      if (!name) return { state, replies: [{ text: m.nameInvalid }] };
      // "王女士 13800001234": the phone given with the name fills its own slot.
      const phone = parsePhone(text);
      return advance(turn, { ...draft, name, salutation: parseSalutation(text), ...(phone ? { phone } : {}) });
    }
    case 'phone': {
      if (!text) return undefined;
      const phone = parsePhone(text);
      if (!phone) return { state, replies: [{ text: m.phoneInvalid }] };
      return advance(turn, { ...draft, phone });
    }
  }
}

async function repromptComplaint(turn: Turn, state: ComplainState): Promise<Outbound> {
  return prompt(turn, state);
}

function pick<T, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, from[k]])) as Pick<T, K>;
}

function newComplaintNumber(turn: Turn): string {
  const day = DateTime.fromJSDate(turn.now, { zone: tz(turn.company.timeZone) }).toFormat('yyMMdd');
  return `TS${day}${String(randomInt(0, 10_000)).padStart(4, '0')}`;
}

/** Whose complaint it is and where they are told about it (the turn's own customer by default). */
interface ComplaintSubject {
  customer: CustomerProfile;
  channel: Channel;
  chatId: string;
  locale: Locale;
  displayName?: string;
}

/**
 * Records the complaint, its escalation and (when it forms one) the group flag, in one turn.
 * Also used by the callback survey, whose 一般/不满意 answers with a reason become complaints.
 */
export async function recordComplaint(
  turn: Turn,
  draft: ComplaintDraft,
  lead: Outbound[],
  subject: ComplaintSubject = { customer: turn.customer, channel: turn.from.channel, chatId: turn.from.chatId, locale: turn.locale, displayName: turn.from.displayName },
): Promise<{ result: StepResult; number: string }> {
  const { company, complaints, now } = turn;
  const { customer } = subject;
  const m = messages(subject.locale);
  const content = draft.content ?? '';
  const booking = draft.bookingId ? await turn.store.customerBooking(customer.id, draft.bookingId) : undefined;
  // "又是这样" names no matter: it is the customer's previous complaint again.
  const kind = complaintCategory(content);
  const previous = kind === 'repeated' ? (await turn.store.customerComplaints(customer.id, 1))[0]?.category : undefined;
  const category = recordedCategory(kind, previous as Category | undefined);
  const decision = proposeGrade(
    {
      category,
      loss: { had: draft.hadLoss ?? false, amountYuan: draft.lossYuan ?? undefined },
      priorCount: draft.priorCount ?? 0,
    },
    complaints.gradePolicy,
  );
  const grade = decision.grade;
  const level = firstLevel(grade);
  const matter = matterKey({ category, serviceCode: booking?.serviceCode });
  const name = draft.name ?? customer.name ?? subject.displayName ?? '';
  const salutation = draft.salutation ?? customer.salutation ?? null;
  const phone = draft.phone ?? customer.phone ?? null;
  const number = newComplaintNumber(turn);
  const view: ComplaintView = {
    id: 0,
    number,
    version: 0,
    customerId: customer.id,
    channel: subject.channel,
    chatId: subject.chatId,
    locale: subject.locale,
    receivedAt: now,
    customerName: name,
    salutation,
    phone,
    address: customer.address,
    content,
    category,
    matter,
    hadLoss: draft.hadLoss ?? false,
    lossYuan: draft.lossYuan ?? null,
    priorCount: draft.priorCount ?? 0,
    grade,
    groupFlag: false,
    status: 'open',
    valid: null,
    level,
    forwardedAt: now,
    claimedAt: null,
    claimedBy: null,
    handler: null,
    answeredAt: null,
    resolvedAt: null,
    callbackAt: null,
    solved: null,
    satisfied: null,
    upgradedAt: null,
    escalatedFor: null,
    booking: booking ? { number: booking.number, serviceName: booking.serviceName, start: booking.start } : null,
  };
  // Group complaint (DOMAIN §2, [003]): enough different customers on the same matter recently.
  const since = new Date(now.getTime() - complaints.groupPolicy.windowDays * 86_400_000);
  const recent = await turn.store.matterComplaints(matter, since);
  const group = isGroupComplaint([...recent, { customerId: customer.id, receivedAt: now }], now, complaints.groupPolicy);
  view.groupFlag = group;
  turn.effects.push({
    kind: 'createComplaint',
    complaint: {
      ...pick(view, ['number', 'customerId', 'channel', 'chatId', 'locale', 'receivedAt', 'customerName', 'salutation', 'phone', 'address']),
      ...pick(view, ['content', 'category', 'matter', 'hadLoss', 'lossYuan', 'priorCount', 'grade', 'groupFlag', 'level']),
      bookingId: booking?.id ?? null,
      recorder: company.agentName,
      forwardedAt: now,
      nextDeadlineAt: nextCheck(view, company.timeZone) ?? null,
    },
    events: [
      { at: now, actor: 'customer', kind: 'created', toGrade: grade, note: decision.reasons.join(',') },
      { at: now, actor: 'system', kind: 'forwarded', note: level },
    ],
  });
  const room = complaintRoom(company, complaints.rooms, level, matter);
  turn.effects.push({
    kind: 'enqueue',
    message: { ...room, kind: 'escalation', dedupeKey: `complaint:${number}:posted`, message: complaintPost({ m: turn.staffM, company, c: view, now: turn.now }) },
  });
  if (group) {
    turn.effects.push({ kind: 'flagGroup', matter, since });
    const managers = complaints.rooms.general_manager;
    const day = DateTime.fromJSDate(now, { zone: tz(company.timeZone) }).toISODate();
    const customers = new Set([...recent.map((r) => r.customerId), customer.id]).size;
    turn.effects.push({
      kind: 'enqueue',
      message: {
        ...managers,
        kind: 'escalation',
        dedupeKey: `group:${matter}:${day}`,
        message: complaintPost({
          m: turn.staffM,
          company,
          c: view,
          now: turn.now,
          header: turn.staffM.groupHeader({ customers, days: complaints.groupPolicy.windowDays }),
        }),
      },
    });
  }
  if (!customer.name || !customer.phone) {
    turn.effects.push({
      kind: 'updateCustomer',
      customerId: customer.id,
      data: { ...(customer.name ? {} : { name, salutation }), ...(customer.phone ? {} : { phone }) },
    });
  }
  const d = complaintDeadlines(grade, now, company.timeZone);
  const forward = grade === 'major' ? m.immediately : m.within({ time: formatDateTime(m, d.forwardBy, company.timeZone, { now: turn.now }) });
  const answer = d.answerBy.getTime() !== d.resolveBy.getTime() ? formatDateTime(m, d.answerBy, company.timeZone, { now: turn.now }) : '';
  return {
    number,
    result: {
      state: { flow: 'idle' },
      replies: [
        ...lead,
        // The committed times, not the internal grade (DOMAIN §2: the grade is for staff).
        { text: m.complaintRecorded({ number, forward, answer, resolve: formatDateTime(m, d.resolveBy, company.timeZone, { now: turn.now }) }) },
      ],
    },
  };
}

/** "我的投诉怎么样了": the customer's complaints and where each stands, so nobody asks twice. */
export async function complaintProgress(turn: Turn): Promise<StepResult> {
  const { m, company } = turn;
  const list = await turn.store.customerComplaints(turn.customer.id, 5);
  if (list.length === 0) return { state: { flow: 'idle' }, replies: [{ text: m.noComplaints }] };
  const lines = list.map((c) => {
    const resolve = formatDateTime(m, complaintDeadlines(c.grade, c.receivedAt, company.timeZone).resolveBy, company.timeZone, { now: turn.now });
    const open = c.status === 'open' || c.status === 'claimed';
    const detail = !open ? '' : c.handler ? m.complaintHandler({ who: c.handler, resolve }) : m.complaintDue({ resolve });
    return m.complaintLine({ number: c.number, date: formatDateTime(m, c.receivedAt, company.timeZone, { now: turn.now }), status: m.complaintStatus[c.status] ?? c.status, detail });
  });
  return { state: { flow: 'idle' }, replies: [{ text: [m.complaintsTitle, ...lines].join('\n') }] };
}

/** Complaint intake: started by the 'complain' intent, the menu, or free text naming a complaint. */
export const complaintFlow: Flow<'complain'> = {
  name: 'complain',
  // Inside a complaint, complaint words are answers, not a new complaint.
  intents: ['complain'],
  start: startComplaint,
  continue: continueComplaint,
  reprompt: repromptComplaint,
  freeTextSteps: new Set(['what', 'amount', 'name']),
  // What happened is the customer's own words, questions included; later steps answer side questions.
  sideQuestions: (state) => state.step !== 'what',
  leave: (turn) => ({ state: { flow: 'idle' }, replies: [{ text: turn.m.complaintLeft }] }),
  leftBehind: (turn) => ({ told: turn.m.handoverLeftComplaint }),
};
