/**
 * The work order (派工单, DOMAIN §1 Work order; seed 002 服务流程 and 约定时间; seed 000 §6.4): a
 * confirmed booking posts one to the front desk (or its department's room); the front desk or a
 * department head assigns an on-site worker, or someone takes it; the worker gets the full card in
 * a private chat and accepts or declines with a reason; the customer is told who is coming; the
 * worker may announce a delay (the customer reconfirms), marks arrival, and marks it done, or
 * records the actual work and fee when the site differed, which the customer confirms before the
 * visit counts as completed. Completion is the survey flow's (`complete`), as with `/done`.
 */
import { DateTime } from 'luxon';
import { maskPhone } from '../../domain/privacy.ts';
import { departmentOf, earliestArrival, lateWithoutNotice, parseActualWork, parseDelayMinutes } from '../../domain/workorder/rules.ts';
import { tz } from '../../domain/zone.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { cleanLine } from '../../lib/text.ts';
import {
  customerMessages,
  feeText,
  latenessPost,
  toCustomer,
  toWorker,
  workerButtons,
  workerCard,
  workOrderPost,
  type WorkOrderBooking,
} from '../../features/workorders/messages.ts';
import { departmentRoom } from '../../features/departments.ts';
import type { OutboxMessage } from '../../contracts/outbox.ts';
import type { StaffView, WorkOrderChange, WorkOrderEventInput, WorkOrderView } from '../../contracts/records.ts';
import type { State } from '../../contracts/state.ts';
import type { Outbound } from '../../contracts/messages.ts';
import type { Action } from '../actions.ts';
import type { Flow } from '../flow.ts';
import type { StepResult, Turn, TurnInput } from '../turn.ts';
import { complete } from './survey.ts';

type WorkOrderState = Extract<State, { flow: 'workorder' }>;
type Op = 'assign' | 'take' | 'to' | 'ok' | 'no' | 'late' | 'lt' | 'here' | 'done' | 'diff' | 'keep' | 'fy' | 'fn';

const IDLE: State = { flow: 'idle' };
const DELAYS = [15, 30, 60, 120];
const MAX_TEXT = 500;

function reply(state: State, text: string, buttons?: Outbound['buttons']): StepResult {
  return { state, replies: [{ text, buttons }] };
}

/** A prompt the worker answers by typing (a reply, so a Telegram bot in privacy mode sees it). */
function ask(state: State, text: string, buttons?: Outbound['buttons']): StepResult {
  return { state, replies: [{ text, buttons, expectsReply: true }] };
}

// ---- the hook at booking confirmation ----

/**
 * Posts the work order of a booking confirmed in this turn (called once by the booking flow's
 * confirm step): the work order row and its post to the department's room or the front desk.
 */
export function postWorkOrder(turn: Turn, b: WorkOrderBooking): void {
  const department = departmentOf(turn.company, b.serviceCode)?.code ?? null;
  turn.effects.push(
    { kind: 'createWorkOrder', bookingNumber: b.number, department, visitStart: b.start, at: turn.now },
    {
      kind: 'enqueue',
      message: {
        ...departmentRoom(turn.company, b.serviceCode, turn.complaints.rooms.contact),
        kind: 'workorder',
        dedupeKey: `booking:${b.number}:workorder`,
        message: workOrderPost({ m: turn.staffM, company: turn.company, b, department, now: turn.now }),
      },
    },
  );
}

// ---- shared steps ----

function change(turn: Turn, wo: WorkOrderView, data: WorkOrderChange, actor: string, event: Omit<WorkOrderEventInput, 'at' | 'actor'>): void {
  turn.effects.push({ kind: 'updateWorkOrder', id: wo.id, version: wo.version, change: data, events: [{ at: turn.now, actor, ...event }] });
}

function enqueue(turn: Turn, message: OutboxMessage | undefined): void {
  if (message) turn.effects.push({ kind: 'enqueue', message });
}

function roomOf(turn: Turn, wo: WorkOrderView) {
  return departmentRoom(turn.company, wo.booking.serviceCode, turn.complaints.rooms.contact);
}

function toRoom(turn: Turn, wo: WorkOrderView, key: string, text: string, buttons?: Outbound['buttons']): void {
  enqueue(turn, { ...roomOf(turn, wo), kind: 'workorder', dedupeKey: `workorder:${wo.id}:${key}:${wo.version}`, message: { text, buttons } });
}

function when(turn: Turn, at: Date, m = turn.m): string {
  return formatDateTime(m, at, turn.company.timeZone, { now: turn.now });
}

function staffName(turn: Turn, staff: Pick<StaffView, 'displayName' | 'role'>): string {
  return staff.displayName ?? turn.m.roleLabel[staff.role] ?? staff.role;
}

function notNow(turn: Turn, wo: WorkOrderView): StepResult {
  return reply(IDLE, turn.m.woNotNow({ number: wo.booking.number, status: turn.m.woStatusLabel[wo.status] ?? wo.status }));
}

/** "Done" before "arrived": the arrival button again, or why not now in another status. */
function arriveFirst(turn: Turn, wo: WorkOrderView): StepResult {
  if (wo.status !== 'accepted') return notNow(turn, wo);
  return reply(IDLE, turn.m.woArriveFirst({ number: wo.booking.number }), workerButtons(turn.m, wo));
}

/** The day [from, to) of a moment, in the company zone. */
function dayOf(turn: Turn, at: Date): { from: Date; to: Date } {
  const day = DateTime.fromJSDate(at, { zone: tz(turn.company.timeZone) }).startOf('day');
  return { from: day.toJSDate(), to: day.plus({ days: 1 }).toJSDate() };
}

// ---- the front desk: assign, or take it ----

async function assignMenu(turn: Turn, wo: WorkOrderView, staff: StaffView): Promise<StepResult> {
  const { m } = turn;
  if (staff.role === 'on_site') return assignTo(turn, wo, staff, staff.id);
  const workers = await turn.store.workers({ department: wo.department, ...dayOf(turn, wo.visitStart) });
  const buttons = workers.map((w) => [{ label: m.woWorkerLabel({ name: w.displayName ?? `#${w.id}`, visits: w.visitsThatDay }), action: `wo:to.${wo.booking.number}.${w.id}` }]);
  buttons.push([{ label: m.woTakeButton, action: `wo:take.${wo.booking.number}` }]);
  return reply(IDLE, workers.length ? m.woPickWorker({ number: wo.booking.number }) : m.woNoWorkers, buttons);
}

async function assignTo(turn: Turn, wo: WorkOrderView, staff: StaffView, workerId: number): Promise<StepResult> {
  const { m } = turn;
  if (workerId !== staff.id && staff.role === 'on_site') return reply(IDLE, m.woAssignNotAllowed);
  const worker = await turn.store.staffContact(workerId);
  // The list offers on-site staff; anyone else only by taking it themselves (a forged id changes nothing).
  if (!worker || (worker.role !== 'on_site' && worker.id !== staff.id)) return reply(IDLE, m.woUnknown);
  const who = staffName(turn, worker);
  const assigned: WorkOrderView = { ...wo, status: 'assigned', worker, version: wo.version + 1 };
  change(turn, wo, { status: 'assigned', workerId: worker.id, assignedBy: staff.id, assignedAt: turn.now, declineReason: null }, `staff:${staff.id}`, { kind: 'assigned', note: who });
  const card = toWorker(assigned, 'workorder', `assigned:${wo.version}`, workerCard({ m: turn.staffM, company: turn.company, wo: assigned, now: turn.now }));
  // A bot cannot start a private chat (Telegram answers 403): the room hears who was not reached and can assign again.
  const { channel, chatId } = roomOf(turn, wo);
  const n = wo.booking.number;
  const again = workOrderPost({ m: turn.staffM, company: turn.company, b: { ...wo.booking, start: wo.visitStart }, department: wo.department, now: turn.now }).buttons;
  enqueue(turn, card && { ...card, onFailure: { channel, chatId, text: turn.staffM.woCardUndelivered({ number: n, who }), buttons: again } });
  return reply(IDLE, m.woAssigned({ number: n, who }));
}

// ---- the worker ----

async function accept(turn: Turn, wo: WorkOrderView, worker: StaffView): Promise<StepResult> {
  const { m, company } = turn;
  const accepted: WorkOrderView = { ...wo, status: 'accepted' };
  change(turn, wo, { status: 'accepted', acceptedAt: turn.now }, `staff:${worker.id}`, { kind: 'accepted' });
  turn.effects.push({ kind: 'assignBooking', bookingId: wo.booking.id });
  const cm = customerMessages(wo.booking.localeOfCustomer);
  // DOMAIN §5: the customer learns the worker's name only.
  const name = staffName(turn, worker);
  enqueue(turn, toCustomer(wo, 'notice', `coming:${wo.version}`, { text: cm.woWhoIsComing({ service: wo.booking.serviceName, number: wo.booking.number, time: when(turn, wo.visitStart, cm), worker: name }) }));
  toRoom(turn, wo, 'accepted', turn.staffM.woAcceptedPost({ number: wo.booking.number, who: name }));
  return reply(IDLE, m.woAccepted({ number: wo.booking.number, time: formatDateTime(m, wo.visitStart, company.timeZone, { now: turn.now }) }), workerButtons(m, accepted));
}

function decline(turn: Turn, wo: WorkOrderView, worker: StaffView, reason: string): StepResult {
  const { m } = turn;
  change(turn, wo, { status: 'open', workerId: null, declineReason: reason }, `staff:${worker.id}`, { kind: 'declined', note: reason });
  const post = workOrderPost({ m: turn.staffM, company: turn.company, b: { ...wo.booking, start: wo.visitStart }, department: wo.department, now: turn.now });
  toRoom(turn, wo, 'declined', `${turn.staffM.woDeclinedPost({ number: wo.booking.number, who: staffName(turn, worker), reason })}\n\n${post.text}`, post.buttons);
  return reply(IDLE, m.woDeclined({ number: wo.booking.number }));
}

function askDelay(turn: Turn, wo: WorkOrderView, lead?: string): StepResult {
  const { m } = turn;
  const n = wo.booking.number;
  const text = m.woAskDelay({ number: n, time: when(turn, wo.visitStart) });
  return ask({ flow: 'workorder', step: 'late', number: n }, lead ? `${lead}\n${text}` : text, [
    DELAYS.map((minutes) => ({ label: m.woDelayLabel({ minutes }), action: `wo:lt.${n}.${minutes}` })),
  ]);
}

/** "Will be late" (seed 002 约定时间 3): apologise to the customer before the time and ask them to reconfirm. */
function late(turn: Turn, wo: WorkOrderView, worker: StaffView, minutes: number): StepResult {
  const { m } = turn;
  const from = Math.max(wo.visitStart.getTime(), turn.now.getTime());
  const newTime = new Date(from + minutes * 60_000);
  const dueAt = new Date(turn.now.getTime() + turn.workOrders.reconfirmMinutes * 60_000);
  change(
    turn,
    wo,
    { lateUntil: newTime, lateFrom: wo.visitStart, reconfirm: 'pending', reconfirmDueAt: dueAt },
    `staff:${worker.id}`,
    { kind: 'late_announced', minutes, note: newTime.toISOString() },
  );
  const cm = customerMessages(wo.booking.localeOfCustomer);
  const b = wo.booking;
  enqueue(
    turn,
    toCustomer(wo, 'notice', `late:${wo.version}`, {
      text: cm.woCustomerLate({ who: cm.who({ name: b.contactName, salutation: b.salutation }), service: b.serviceName, number: b.number, old: when(turn, wo.visitStart, cm), time: when(turn, newTime, cm) }),
      buttons: [[{ label: cm.woKeepButton, action: `wo:keep.${b.number}` }], [{ label: cm.woOtherTimeButton, action: `move:${b.id}` }, { label: cm.woCancelButton, action: `cancel:${b.id}` }]],
    }),
  );
  return reply(IDLE, m.woLateSent({ number: b.number, time: when(turn, newTime) }), [[{ label: m.woArrivedButton, action: `wo:here.${b.number}` }]]);
}

function arrived(turn: Turn, wo: WorkOrderView, worker: StaffView): StepResult {
  const { m } = turn;
  const from = earliestArrival(wo.visitStart);
  if (turn.now < from) return reply(IDLE, m.woArriveTooEarly({ number: wo.booking.number, time: when(turn, wo.visitStart), from: when(turn, from) }), workerButtons(m, wo));
  const data: WorkOrderChange = { status: 'arrived', arrivedAt: turn.now };
  const events: WorkOrderEventInput[] = [{ at: turn.now, actor: `staff:${worker.id}`, kind: 'arrived' }];
  // A notice counts when the customer did not turn the new time down (kept, or not answered yet).
  const announced = wo.lateUntil && wo.reconfirm !== 'cancelled' ? wo.lateUntil : null;
  const minutes = wo.lateLoggedAt ? undefined : lateWithoutNotice({ start: wo.visitStart, lateUntil: announced, arrivedAt: turn.now, now: turn.now, policy: turn.workOrders });
  if (minutes !== undefined) {
    data.lateLoggedAt = turn.now;
    events.push({ at: turn.now, actor: 'system', kind: 'late_unannounced', minutes });
    enqueue(turn, { ...roomOf(turn, wo), kind: 'workorder', dedupeKey: `workorder:${wo.id}:lateness`, message: latenessPost({ m: turn.staffM, company: turn.company, wo, minutes, arrived: true, now: turn.now }) });
  }
  turn.effects.push({ kind: 'updateWorkOrder', id: wo.id, version: wo.version, change: data, events });
  return reply(IDLE, m.woArrived({ number: wo.booking.number }), workerButtons(m, { ...wo, status: 'arrived' }));
}

/**
 * Completion through the survey flow's path (as `/done`). A recurring booking's work order covers
 * its first visit; later visits are marked done with `/done`.
 */
function completeVisit(turn: Turn, wo: WorkOrderView, workerId: number, actor: string): StepResult {
  const done = complete(turn, wo.booking, workerId);
  change(turn, wo, { status: 'completed', completedAt: turn.now }, actor, { kind: 'done' });
  return done;
}

function recordActual(turn: Turn, wo: WorkOrderView, worker: StaffView, text: string): StepResult {
  const { m } = turn;
  const actual = parseActualWork(text);
  if (!actual) return ask({ flow: 'workorder', step: 'actual', number: wo.booking.number }, m.woActualInvalid);
  change(turn, wo, { status: 'fee_pending', actualWork: actual.work, actualFeeFen: actual.feeFen }, `staff:${worker.id}`, { kind: 'actual_recorded', note: `${actual.work} (${actual.feeFen})` });
  const cm = customerMessages(wo.booking.localeOfCustomer);
  const b = wo.booking;
  enqueue(
    turn,
    toCustomer(wo, 'notice', `fee:${wo.version}`, {
      text: cm.woCustomerFee({ service: b.serviceName, number: b.number, work: actual.work, fee: feeText(actual.feeFen), booked: `${feeText(b.priceFen)}/${b.unit}` }),
      buttons: [[{ label: cm.woFeeYes, action: `wo:fy.${b.number}` }, { label: cm.woFeeNo, action: `wo:fn.${b.number}` }]],
    }),
  );
  return reply(IDLE, m.woActualSent({ number: b.number, fee: feeText(actual.feeFen) }));
}

// ---- the customer ----

function keep(turn: Turn, wo: WorkOrderView): StepResult {
  const cm = turn.m;
  const time = wo.lateUntil ?? wo.visitStart;
  change(turn, wo, { reconfirm: 'kept', reconfirmDueAt: null }, 'customer', { kind: 'reconfirmed' });
  const wm = turn.staffM;
  enqueue(turn, toWorker(wo, 'workorder', `kept:${wo.version}`, { text: wm.woKeptWorker({ number: wo.booking.number, time: when(turn, time, wm) }) }));
  return reply(IDLE, cm.woKept({ time: when(turn, time) }));
}

function feeAnswer(turn: Turn, wo: WorkOrderView, agreed: boolean): StepResult {
  const { m } = turn;
  const wm = turn.staffM;
  const fee = feeText(wo.actualFeeFen ?? wo.booking.priceFen);
  if (agreed) {
    completeVisit(turn, wo, wo.worker?.id ?? 0, 'customer');
    enqueue(turn, toWorker(wo, 'workorder', `fee-ok:${wo.version}`, { text: wm.woFeeConfirmedWorker({ number: wo.booking.number, fee }) }));
    return reply(IDLE, m.woFeeConfirmed);
  }
  change(turn, wo, { status: 'fee_disputed' }, 'customer', { kind: 'fee_disputed' });
  const b = wo.booking;
  toRoom(turn, wo, 'fee-disputed', wm.woFeeDisputedPost({ number: b.number, customer: wm.who({ name: b.contactName, salutation: b.salutation }), phone: maskPhone(b.phone), work: wo.actualWork ?? '', fee }));
  enqueue(turn, toWorker(wo, 'workorder', `fee-no:${wo.version}`, { text: wm.woFeeDisputedWorker({ number: b.number }) }));
  return reply(IDLE, m.woFeeDisputed({ hotline: turn.company.hotline }));
}

// ---- the buttons ----

/**
 * A work order button. The payload is checked against what its presser was shown: staff for the
 * room's buttons, the assigned worker for theirs, the booking's customer (in their private chat)
 * for theirs, each in the status the button was shown in; anything else changes nothing.
 */
async function woAction(turn: Turn, action: Extract<Action, { kind: 'wo' }>): Promise<StepResult | undefined> {
  const [op, number, arg] = action.ref.split('.') as [Op, string, string | undefined];
  const wo = await turn.store.workOrder(number);
  if (!wo) return reply(IDLE, turn.m.woUnknown);
  if (op === 'keep' || op === 'fy' || op === 'fn') {
    if (turn.from.chatType !== 'private' || wo.booking.customerId !== turn.customer.id) return undefined;
    if (op === 'keep') return wo.reconfirm === 'pending' || wo.reconfirm === 'escalated' ? keep(turn, wo) : undefined;
    return wo.status === 'fee_pending' ? feeAnswer(turn, wo, op === 'fy') : undefined;
  }
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!staff) return reply(IDLE, turn.m.notStaff);
  if (op === 'assign' || op === 'take' || op === 'to') {
    // Until the worker accepts, the room may assign it again (their card may not have reached them).
    if (wo.status !== 'open' && wo.status !== 'assigned') return reply(IDLE, turn.m.woAlreadyAssigned({ number, who: wo.worker ? staffName(turn, wo.worker) : '' }));
    if (op === 'assign') return assignMenu(turn, wo, staff);
    return assignTo(turn, wo, staff, op === 'take' ? staff.id : Number(arg));
  }
  if (wo.worker?.id !== staff.id) return reply(IDLE, turn.m.woNotYours);
  switch (op) {
    case 'ok':
      return wo.status === 'assigned' ? accept(turn, wo, staff) : notNow(turn, wo);
    case 'no':
      return wo.status === 'assigned' ? ask({ flow: 'workorder', step: 'decline', number }, turn.m.woAskDecline({ number })) : notNow(turn, wo);
    case 'late':
      return wo.status === 'accepted' ? askDelay(turn, wo) : notNow(turn, wo);
    case 'lt':
      return wo.status === 'accepted' && DELAYS.includes(Number(arg)) ? late(turn, wo, staff, Number(arg)) : notNow(turn, wo);
    case 'here':
      return wo.status === 'accepted' ? arrived(turn, wo, staff) : notNow(turn, wo);
    // Completion needs arrival first (issue 15 F3), directly or through the actual work and fee.
    case 'done':
      return wo.status === 'arrived' ? completeVisit(turn, wo, staff.id, `staff:${staff.id}`) : arriveFirst(turn, wo);
    case 'diff':
      return wo.status === 'arrived'
        ? ask({ flow: 'workorder', step: 'actual', number }, turn.m.woAskActual({ number, fee: `${feeText(wo.booking.priceFen)}/${wo.booking.unit}` }))
        : arriveFirst(turn, wo);
  }
}

/** What the worker types at a prompt: the reason to decline, the delay, the actual work and fee. */
async function continueWorkOrder(turn: Turn, state: WorkOrderState, input: TurnInput): Promise<StepResult | undefined> {
  if (input.action) {
    if (input.action.kind === 'no') return reply(IDLE, turn.m.staffCancelled);
    return undefined;
  }
  const text = input.text === undefined ? '' : cleanLine(input.text).slice(0, MAX_TEXT);
  if (!text) return undefined;
  const wo = await turn.store.workOrder(state.number);
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!wo || !staff || wo.worker?.id !== staff.id) return reply(IDLE, turn.m.woNotYours);
  switch (state.step) {
    case 'decline':
      if (wo.status !== 'assigned') return notNow(turn, wo);
      return text.length < 2 ? ask(state, turn.m.woReasonTooShort) : decline(turn, wo, staff, text);
    case 'late': {
      if (wo.status !== 'accepted') return notNow(turn, wo);
      const minutes = parseDelayMinutes(text);
      return minutes ? late(turn, wo, staff, minutes) : askDelay(turn, wo, turn.m.woDelayInvalid);
    }
    case 'actual':
      return wo.status === 'arrived' ? recordActual(turn, wo, staff, text) : notNow(turn, wo);
  }
}

export const workOrderFlow: Flow<'workorder'> = {
  name: 'workorder',
  continue: continueWorkOrder,
  reprompt: (turn, state) =>
    state.step === 'late'
      ? { text: turn.m.woDelayInvalid }
      : { text: state.step === 'decline' ? turn.m.woAskDecline({ number: state.number }) : turn.m.woActualInvalid, expectsReply: true },
  freeTextSteps: new Set(['decline', 'actual']),
  // A delay ("30分钟") or a fee reads like a time or a request: at these prompts it is the answer.
  switchesTopic: () => false,
  inStaffRoom: true,
  staffSide: true,
  actions: { wo: (turn, _state, action) => woAction(turn, action) },
};
