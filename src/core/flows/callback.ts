/**
 * The callback after a complaint is resolved (DOMAIN §2: 处理后有回访 within 24 h): is the problem
 * solved, and is the customer satisfied. The questions go out as notices with buttons, and are
 * answered by a button, its number or in words (已经解决了, 还没解决, 挺满意的) any time until
 * the callback is recorded (see core/notices.ts). "Not solved" reopens the complaint and escalates
 * it one level up, in the same transaction, then asks what is still wrong and passes it on.
 */
import { nextLevel } from '../../domain/complaints/deadlines.ts';
import { maskPersonalText } from '../../domain/privacy.ts';
import type { Action } from '../actions.ts';
import { complaintPost } from '../../features/complaints/post.ts';
import { nextCheck } from '../../domain/complaints/timing.ts';
import type { ComplaintChange, ComplaintView } from '../../contracts/records.ts';
import { IDLE, type State } from '../../contracts/state.ts';
import type { Button } from '../../contracts/messages.ts';
import type { Messages } from '../../i18n/index.ts';
import { cleanLine } from '../../lib/text.ts';
import { parseYesNo } from '../../domain/nlu/extract.ts';
import type { StepResult, Turn, TurnInput } from '../turn.ts';
import type { ActionHandlers, Flow } from '../flow.ts';
import { complaintRoom } from '../../features/departments.ts';

type CallbackAction = Extract<Action, { kind: 'solved' | 'unsolved' | 'sat' | 'unsat' }>;
type CallbackState = Extract<State, { flow: 'callback' }>;

/** Longest "what is still wrong" passed on. */
const MAX_REASON = 1000;

function change(turn: Turn, c: ComplaintView, data: ComplaintChange, kind: string | undefined, note: string): void {
  const next = { ...c, ...data } as ComplaintView;
  turn.effects.push({
    kind: 'updateComplaint',
    id: c.id,
    version: c.version,
    change: { ...data, nextDeadlineAt: nextCheck(next, turn.company.timeZone, turn.now) ?? null },
    events: kind ? [{ at: turn.now, actor: 'customer', kind, note }] : [],
  });
}

/** The buttons of the callback's open question: solved? until answered, then satisfied?. */
export function callbackButtons(m: Messages, c: Pick<ComplaintView, 'number' | 'solved'>): Button[][] {
  return c.solved
    ? [[{ label: m.satisfiedYes, action: `sat:${c.number}` }, { label: m.satisfiedNo, action: `unsat:${c.number}` }]]
    : [[{ label: m.solvedYes, action: `solved:${c.number}` }, { label: m.solvedNo, action: `unsolved:${c.number}` }]];
}

/** The callback question not sent yet is dropped once answered: asked once, never after the answer. */
function dropPendingQuestion(turn: Turn, c: ComplaintView): void {
  turn.effects.push({ kind: 'dropOutbox', channel: c.channel, chatId: c.chatId, dedupeKeyPrefix: `complaint:${c.number}:callback:` });
}

/**
 * The customer's answer to the callback: a button of the question (or its number), or words read
 * by core/notices.ts. `said` is what they wrote, for "not solved" with its reason in one message.
 */
export async function answerCallback(turn: Turn, action: CallbackAction, said?: string): Promise<StepResult> {
  const { m } = turn;
  const c = await turn.store.complaint(action.number);
  if (!c || c.customerId !== turn.customer.id) return { state: IDLE, replies: [{ text: m.myComplaintNotFound }] };
  if (c.callbackAt !== null || c.status !== 'resolved') return { state: IDLE, replies: [{ text: m.callbackDone }] };
  switch (action.kind) {
    case 'solved':
      // Recorded now, so the open question becomes "satisfied?" across turns and restarts.
      if (!c.solved) change(turn, c, { solved: true }, undefined, '');
      dropPendingQuestion(turn, c);
      return { state: IDLE, replies: [{ text: m.askSatisfied, buttons: callbackButtons(m, { number: c.number, solved: true }) }] };
    case 'sat':
    case 'unsat': {
      const satisfied = action.kind === 'sat';
      change(turn, c, { solved: true, satisfied, callbackAt: turn.now, callbackBy: turn.company.agentName, status: 'closed' }, 'callback', satisfied ? 'solved, satisfied' : 'solved, not satisfied');
      dropPendingQuestion(turn, c);
      return { state: IDLE, replies: [{ text: m.callbackThanks }] };
    }
    case 'unsolved': {
      const level = nextLevel(c.level) ?? c.level;
      const reason = said ? cleanLine(said).slice(0, MAX_REASON) : undefined;
      change(
        turn,
        c,
        { solved: false, callbackAt: null, status: 'open', resolvedAt: null, claimedAt: null, claimedBy: null, level },
        'reopened',
        reason ? `not solved at callback: ${reason}` : 'not solved at callback',
      );
      dropPendingQuestion(turn, c);
      const reopened = { ...c, level, status: 'open' as const };
      const header = reason ? `${turn.staffM.reopenedHeader}\n${turn.staffM.reopenedReasonPost({ number: c.number, reason: maskPersonalText(reason) })}` : turn.staffM.reopenedHeader;
      turn.effects.push({
        kind: 'enqueue',
        message: {
          ...complaintRoom(turn.company, turn.complaints.rooms, level, c.matter),
          kind: 'escalation',
          dedupeKey: `complaint:${c.number}:reopened:${c.version}`,
          message: complaintPost({ m: turn.staffM, company: turn.company, c: reopened, header, now: turn.now }),
        },
      });
      const sorry = { text: m.callbackReopened({ number: c.number }) };
      // Said with the answer: passed on already. Otherwise ask what is still wrong.
      if (reason) return { state: IDLE, replies: [sorry, { text: m.callbackReasonThanks({ number: c.number }) }] };
      return { state: { flow: 'callback', step: 'reason', number: c.number }, replies: [sorry, { text: m.callbackAskReason }] };
    }
  }
}

/** What is still wrong, in the customer's words: added to the reopened complaint and posted to its room. */
async function continueCallback(turn: Turn, state: CallbackState, input: TurnInput): Promise<StepResult | undefined> {
  const text = input.text === undefined ? undefined : cleanLine(input.text).slice(0, MAX_REASON);
  if (!text) return undefined;
  const { m } = turn;
  // 没有了 / 算了: nothing more to say; the person in charge will call.
  if (parseYesNo(text) === 'no' && text.length <= 6) return { state: IDLE, replies: [{ text: m.callbackNoReason }] };
  const c = await turn.store.complaint(state.number);
  if (!c || c.customerId !== turn.customer.id) return { state: IDLE, replies: [{ text: m.myComplaintNotFound }] };
  turn.effects.push({ kind: 'updateComplaint', id: c.id, version: c.version, change: {}, events: [{ at: turn.now, actor: 'customer', kind: 'comment', note: text }] });
  turn.effects.push({
    kind: 'enqueue',
    message: {
      ...turn.complaints.rooms[c.level],
      kind: 'escalation',
      dedupeKey: `complaint:${c.number}:reason:${c.version}`,
      message: { text: turn.staffM.reopenedReasonPost({ number: c.number, reason: maskPersonalText(text) }) },
    },
  });
  return { state: IDLE, replies: [{ text: m.callbackReasonThanks({ number: c.number }) }] };
}

/** "What is still wrong?" after 还没解决; leaving it for something else passes nothing more on. */
export const callbackFlow: Flow<'callback'> = {
  name: 'callback',
  continue: continueCallback,
  reprompt: (turn) => ({ text: turn.m.callbackAskReason }),
  freeTextSteps: new Set(['reason']),
  // What is wrong often reads as a complaint (赔偿一直没给): it is the answer here. A short
  // request for something else (擦玻璃多少钱) changes topic.
  switchesTopic: (_state, input) => input.understanding?.intent !== 'complain' && (input.text ?? '').trim().length <= 12,
};

/** The callback's buttons; they act from any state until the callback is recorded. */
export const callbackActions: ActionHandlers = {
  solved: (turn, _state, action) => answerCallback(turn, action),
  unsolved: (turn, _state, action) => answerCallback(turn, action),
  sat: (turn, _state, action) => answerCallback(turn, action),
  unsat: (turn, _state, action) => answerCallback(turn, action),
};
