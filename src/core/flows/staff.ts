/**
 * Staff in chat (DOMAIN §2 escalation, §5 roles): joining with an invite code, and the actions on
 * an escalation post: claim (认领), resolve with a result (处理完成), invalid with the explanation
 * sent to the customer (无效), regrade with a reason. Every action is checked against the actor's
 * role; anyone else gets a refusal and nothing changes. The customer is told when their complaint
 * is claimed and when it is resolved, through the outbox, in the same transaction as the change.
 */
import { complaintDeadlines, firstLevel } from '../../domain/complaints/deadlines.ts';
import { mayAct, neededRole, type ComplaintAction } from '../../domain/complaints/permissions.ts';
import { nextOpenMoment } from '../../domain/quiet.ts';
import { maskPhone } from '../../domain/privacy.ts';
import { formatDateTime, messages } from '../../i18n/index.ts';
import type { Action } from '../actions.ts';
import { complaintPost } from '../../features/complaints/post.ts';
import { nextCheck } from '../../domain/complaints/timing.ts';
import { type ComplaintChange, type ComplaintView, type StaffView, type Level, GRADES, type Grade } from '../../contracts/records.ts';
import type { State } from '../../contracts/state.ts';
import type { Outbound } from '../../contracts/messages.ts';
import type { StepResult, Turn, TurnInput } from '../turn.ts';
import type { Flow } from '../flow.ts';
import { complaintRoom } from '../../features/departments.ts';
import { callbackButtons } from './callback.ts';

type StaffState = Extract<State, { flow: 'staff' }>;

const IDLE: State = { flow: 'idle' };
const MIN_TEXT = 2;
const MAX_TEXT = 1000;
const LEVEL_RANK: Record<Level, number> = { contact: 1, department_head: 2, general_manager: 3 };

function reply(state: State, text: string, buttons?: Outbound['buttons']): StepResult {
  return { state, replies: [{ text, buttons }] };
}

/** A prompt the staff member answers by typing (see `Outbound.expectsReply`). */
function ask(state: State, text: string, buttons?: Outbound['buttons']): StepResult {
  return { state, replies: [{ text, buttons, expectsReply: true }] };
}

function staffName(turn: Turn, staff: StaffView): string {
  return staff.displayName ?? turn.from.displayName ?? turn.m.roleLabel[staff.role] ?? staff.role;
}

/** The customer is told in the language they complained in. */
function customerMessages(c: ComplaintView): ReturnType<typeof messages> {
  return messages(c.locale === 'en' ? 'en' : 'zh');
}

interface Checked {
  staff: StaffView;
  c: ComplaintView;
}

/** Loads the actor and the complaint and checks the action is allowed; a refusal otherwise. */
async function check(turn: Turn, number: string, action: ComplaintAction): Promise<Checked | StepResult> {
  const { m } = turn;
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!staff) return reply(IDLE, m.notStaff);
  const c = await turn.store.complaint(number);
  if (!c) return reply(IDLE, m.complaintUnknown);
  if (c.status === 'resolved' || c.status === 'invalid' || c.status === 'closed') return reply(IDLE, m.complaintClosed({ number }));
  if (!mayAct(staff.role, action, c.level)) {
    const needed = neededRole(action, c.level);
    return reply(IDLE, m.notAllowed({ needed: m.roleLabel[needed] ?? needed }));
  }
  return { staff, c };
}

function update(turn: Turn, c: ComplaintView, change: ComplaintChange, event: { kind: string; note?: string; fromGrade?: Grade; toGrade?: Grade }, actor: StaffView): void {
  const next = { ...c, ...change } as ComplaintView;
  turn.effects.push({
    kind: 'updateComplaint',
    id: c.id,
    version: c.version,
    change: { ...change, nextDeadlineAt: nextCheck(next, turn.company.timeZone) ?? null },
    events: [{ at: turn.now, actor: `staff:${actor.id}`, ...event }],
  });
}

/**
 * A notice to the customer through the outbox. With `failed`, the staff room acting on the
 * complaint is told (customer's phone masked) if the notice is given up undelivered.
 */
function notifyCustomer(turn: Turn, c: ComplaintView, key: string, message: Outbound, notBefore?: Date, failed?: 'result' | 'explanation'): void {
  const onFailure = failed
    ? { channel: turn.from.channel, chatId: turn.from.chatId, text: turn.m.deliveryFailedPost({ number: c.number, what: failed, phone: c.phone ? maskPhone(c.phone) : null }) }
    : undefined;
  turn.effects.push({
    kind: 'enqueue',
    message: { channel: c.channel, chatId: c.chatId, kind: 'notice', dedupeKey: `complaint:${c.number}:${key}:${c.version}`, message, notBefore, onFailure },
  });
}

/** A staff button on an escalation post (claim, resolve, invalid, regrade). */
async function staffAction(turn: Turn, action: Extract<Action, { kind: 'claim' | 'resolve' | 'invalid' | 'regrade' }>): Promise<StepResult> {
  const { m } = turn;
  const checked = await check(turn, action.number, action.kind);
  if (!('staff' in checked)) return checked;
  const { staff, c } = checked;
  switch (action.kind) {
    case 'claim': {
      if (c.status === 'claimed') return reply(IDLE, m.alreadyClaimed({ number: c.number, who: c.handler ?? '' }));
      const who = staffName(turn, staff);
      update(turn, c, { status: 'claimed', claimedAt: turn.now, claimedBy: staff.id, handler: who }, { kind: 'claimed' }, staff);
      const cm = customerMessages(c);
      const resolveBy = complaintDeadlines(c.grade, c.receivedAt, turn.company.timeZone).resolveBy;
      notifyCustomer(turn, c, 'claimed', { text: cm.complaintClaimed({ number: c.number, handler: who, resolve: formatDateTime(cm, resolveBy, turn.company.timeZone, { now: turn.now }) }) });
      return reply(IDLE, m.claimedPost({ number: c.number, who }));
    }
    case 'resolve':
      return ask({ flow: 'staff', step: 'resolve', number: c.number }, m.askResolution({ number: c.number }), [[{ label: m.staffCancelButton, action: 'no' }]]);
    case 'invalid':
      return ask({ flow: 'staff', step: 'invalid', number: c.number }, m.askInvalidReason({ number: c.number }), [[{ label: m.staffCancelButton, action: 'no' }]]);
    case 'regrade':
      return reply(
        { flow: 'staff', step: 'regrade', number: c.number },
        m.askNewGrade({ number: c.number, grade: m.gradeLabel[c.grade] }),
        [GRADES.filter((g) => g !== c.grade).map((g) => ({ label: m.gradeLabel[g], action: `grade:${g}` })), [{ label: m.staffCancelButton, action: 'no' }]],
      );
  }
}

/** A staff member's answer to a prompt: the result, the explanation, the new grade or its reason. */
async function continueStaff(turn: Turn, state: StaffState, input: TurnInput): Promise<StepResult | undefined> {
  const { m, company } = turn;
  if (input.action?.kind === 'no') return reply(IDLE, m.staffCancelled);
  if (state.step === 'regrade') {
    if (input.action?.kind !== 'grade') return undefined;
    return ask({ ...state, step: 'regrade_reason', grade: input.action.value }, m.askRegradeReason({ number: state.number, grade: m.gradeLabel[input.action.value] }));
  }
  const text = input.text?.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  if (text.length < MIN_TEXT) return { state, replies: [{ text: m.staffTextTooShort }] };
  const note = text.slice(0, MAX_TEXT);
  const action: ComplaintAction = state.step === 'regrade_reason' ? 'regrade' : state.step;
  const checked = await check(turn, state.number, action);
  if (!('staff' in checked)) return checked;
  const { staff, c } = checked;
  const who = c.handler ?? staffName(turn, staff);
  const cm = customerMessages(c);
  switch (state.step) {
    case 'resolve': {
      update(turn, c, { status: 'resolved', valid: true, resolvedAt: turn.now, answeredAt: c.answeredAt ?? turn.now, resolution: note, handler: who }, { kind: 'resolved', note }, staff);
      notifyCustomer(turn, c, 'resolved', { text: cm.complaintResolved({ number: c.number, result: note }) }, undefined, 'result');
      // The callback after resolution, outside the customer's rest hours and within 24 h.
      const askAt = nextOpenMoment(new Date(turn.now.getTime() + turn.complaints.callbackDelayMs), company.quietHours, company.timeZone);
      const who2 = c.salutation ? cm.who({ name: c.customerName, salutation: c.salutation }) : c.customerName;
      notifyCustomer(
        turn,
        c,
        'callback',
        {
          text: cm.callbackAsk({ number: c.number, who: who2 }),
          buttons: callbackButtons(cm, { number: c.number, solved: false }),
        },
        askAt,
      );
      return reply(IDLE, m.resolvedPost({ number: c.number, who }));
    }
    case 'invalid':
      update(turn, c, { status: 'invalid', valid: false, invalidReason: note, answeredAt: turn.now, handler: who }, { kind: 'invalid', note }, staff);
      notifyCustomer(turn, c, 'invalid', { text: cm.complaintInvalid({ number: c.number, explanation: note }) }, undefined, 'explanation');
      return reply(IDLE, m.invalidPost({ number: c.number, who }));
    case 'regrade_reason': {
      const grade = state.grade ?? c.grade;
      // A complaint regraded upward goes to at least the level its new grade starts at.
      const level = LEVEL_RANK[firstLevel(grade)] > LEVEL_RANK[c.level] ? firstLevel(grade) : c.level;
      update(turn, c, { grade, level }, { kind: 'regraded', fromGrade: c.grade, toGrade: grade, note }, staff);
      if (level !== c.level) {
        const moved = { ...c, grade, level };
        turn.effects.push({
          kind: 'enqueue',
          message: { ...complaintRoom(company, turn.complaints.rooms, level, c.matter), kind: 'escalation', dedupeKey: `complaint:${c.number}:regraded:${c.version}`, message: complaintPost({ m: turn.staffM, company, c: moved, now: turn.now }) },
        });
      }
      return reply(IDLE, m.regradedPost({ number: c.number, who: staffName(turn, staff), from: m.gradeLabel[c.grade], to: m.gradeLabel[grade], reason: note }));
    }
  }
}

function repromptStaff(turn: Turn, state: StaffState): Outbound {
  const { m } = turn;
  switch (state.step) {
    case 'resolve':
      return { text: m.askResolution({ number: state.number }), expectsReply: true };
    case 'invalid':
      return { text: m.askInvalidReason({ number: state.number }), expectsReply: true };
    case 'regrade':
      return { text: m.askNewGrade({ number: state.number, grade: '' }), buttons: [GRADES.map((g) => ({ label: m.gradeLabel[g], action: `grade:${g}` }))] };
    case 'regrade_reason':
      return { text: m.askRegradeReason({ number: state.number, grade: (state.grade ? m.gradeLabel[state.grade] : '') }), expectsReply: true };
  }
}

/** A staff member's prompt after a button on an escalation post; the buttons work from any state. */
export const staffFlow: Flow<'staff'> = {
  name: 'staff',
  continue: continueStaff,
  reprompt: repromptStaff,
  freeTextSteps: new Set(['resolve', 'invalid', 'regrade_reason']),
  // Staff write results and reasons: any text is the answer, never a new topic.
  switchesTopic: () => false,
  inStaffRoom: true,
  staffSide: true,
  actions: {
    claim: (turn, _state, action) => staffAction(turn, action),
    resolve: (turn, _state, action) => staffAction(turn, action),
    invalid: (turn, _state, action) => staffAction(turn, action),
    regrade: (turn, _state, action) => staffAction(turn, action),
  },
};
