/**
 * The callback after a complaint is resolved (DOMAIN §2: 处理后有回访 within 24 h): is the problem
 * solved, and is the customer satisfied. "Not solved" reopens the complaint and escalates it one
 * level up, in the same transaction.
 */
import { nextLevel } from '../../domain/complaints/deadlines.ts';
import type { Action } from '../actions.ts';
import { complaintPost } from '../../features/complaints/post.ts';
import { nextCheck } from '../../domain/complaints/timing.ts';
import type { ComplaintChange, ComplaintView } from '../../contracts/records.ts';
import type { StepResult, Turn } from '../turn.ts';
import type { ActionHandlers } from '../flow.ts';
import { complaintRoom } from '../../features/departments.ts';

type CallbackAction = Extract<Action, { kind: 'solved' | 'unsolved' | 'sat' | 'unsat' }>;

function change(turn: Turn, c: ComplaintView, data: ComplaintChange, kind: string, note: string): void {
  const next = { ...c, ...data } as ComplaintView;
  turn.effects.push({
    kind: 'updateComplaint',
    id: c.id,
    version: c.version,
    change: { ...data, nextDeadlineAt: nextCheck(next, turn.company.timeZone, turn.now) ?? null },
    events: [{ at: turn.now, actor: 'customer', kind, note }],
  });
}

/** A button of the callback question, pressed by the customer who complained. */
async function callbackAnswer(turn: Turn, action: CallbackAction): Promise<StepResult> {
  const { m } = turn;
  const idle = { flow: 'idle' } as const;
  const c = await turn.store.complaint(action.number);
  if (!c || c.customerId !== turn.customer.id) return { state: idle, replies: [{ text: m.myComplaintNotFound }] };
  if (c.callbackAt !== null || c.status !== 'resolved') return { state: idle, replies: [{ text: m.callbackDone }] };
  switch (action.kind) {
    case 'solved':
      return {
        state: idle,
        replies: [
          {
            text: m.askSatisfied,
            buttons: [[{ label: m.satisfiedYes, action: `sat:${c.number}` }, { label: m.satisfiedNo, action: `unsat:${c.number}` }]],
          },
        ],
      };
    case 'sat':
    case 'unsat': {
      const satisfied = action.kind === 'sat';
      change(turn, c, { solved: true, satisfied, callbackAt: turn.now, callbackBy: turn.company.agentName, status: 'closed' }, 'callback', satisfied ? 'solved, satisfied' : 'solved, not satisfied');
      return { state: idle, replies: [{ text: m.callbackThanks }] };
    }
    case 'unsolved': {
      const level = nextLevel(c.level) ?? c.level;
      change(
        turn,
        c,
        { solved: false, callbackAt: null, status: 'open', resolvedAt: null, claimedAt: null, claimedBy: null, level },
        'reopened',
        'not solved at callback',
      );
      const reopened = { ...c, level, status: 'open' as const };
      turn.effects.push({
        kind: 'enqueue',
        message: {
          ...complaintRoom(turn.company, turn.complaints.rooms, level, c.matter),
          kind: 'escalation',
          dedupeKey: `complaint:${c.number}:reopened:${c.version}`,
          message: complaintPost({ m: turn.staffM, company: turn.company, c: reopened, header: turn.staffM.reopenedHeader, now: turn.now }),
        },
      });
      return { state: idle, replies: [{ text: m.callbackReopened({ number: c.number }) }] };
    }
  }
}

/** The callback's buttons; they keep no state, so they belong to no flow. */
export const callbackButtons: ActionHandlers = {
  solved: (turn, _state, action) => callbackAnswer(turn, action),
  unsolved: (turn, _state, action) => callbackAnswer(turn, action),
  sat: (turn, _state, action) => callbackAnswer(turn, action),
  unsat: (turn, _state, action) => callbackAnswer(turn, action),
};
