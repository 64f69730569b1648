/**
 * Erasure of the customer's personal data on request (DOMAIN §5; China's Personal Information
 * Protection Law). "删除我的信息" / "delete my data" (the `erase` command) explains what is erased
 * and what is kept, and asks to confirm; the confirmation erases, in the turn's transaction, the
 * customer's name, phone, address, display name, platform identity, the contact fields and texts of
 * their bookings, complaints and surveys, their conversations and inbound ids, and tells the front
 * desk (customer number only). Anonymised rows stay, so the reports do not change.
 *
 * While a booking is still to be served or a complaint is being handled, the erasure waits: the
 * visit and the handler need the contact. The customer is told how to go on (cancel, or ask again
 * when it is done).
 */
import { parseYesNo } from '../../domain/nlu/extract.ts';
import { IDLE } from '../../contracts/state.ts';
import type { Flow } from '../flow.ts';
import type { StepResult, Turn, TurnInput } from '../turn.ts';
import type { Outbound } from '../../contracts/messages.ts';

function confirmQuestion(turn: Turn, lead: string): Outbound {
  const { m } = turn;
  return { text: lead, buttons: [[{ label: m.eraseConfirmButton, action: 'yes' }, { label: m.eraseKeepButton, action: 'no' }]] };
}

/** Refuses while bookings or complaints still need the contact; undefined when erasure may go on. */
async function waitFor(turn: Turn): Promise<StepResult | undefined> {
  const open = await turn.store.openMatters(turn.customer.id);
  if (open.bookings === 0 && open.complaints === 0) return undefined;
  return { state: IDLE, replies: [{ text: turn.m.eraseWait({ ...open, hotline: turn.company.hotline }) }] };
}

/** The request: what is erased and what is kept, and the confirmation buttons. */
export async function askErase(turn: Turn): Promise<StepResult> {
  return (await waitFor(turn)) ?? { state: { flow: 'erase', step: 'confirm' }, replies: [confirmQuestion(turn, turn.m.eraseExplain)] };
}

function answerOf(input: TurnInput): 'yes' | 'no' | undefined {
  if (input.action?.kind === 'yes') return 'yes';
  if (input.action?.kind === 'no') return 'no';
  return input.text ? parseYesNo(input.text) : undefined;
}

async function erase(turn: Turn): Promise<StepResult> {
  // Checked again: a booking may have been made on another platform since the question.
  const wait = await waitFor(turn);
  if (wait) return wait;
  const { customer, from } = turn;
  turn.effects.push(
    { kind: 'eraseCustomer', customerId: customer.id, at: turn.now, keep: { channel: from.channel, messageId: turn.messageKey.slice(from.channel.length + 1) } },
    {
      kind: 'enqueue',
      message: {
        ...turn.complaints.rooms.contact,
        kind: 'notice',
        dedupeKey: `customer:${customer.id}:erased`,
        message: { text: turn.staffM.erasedPost({ customer: customer.id }) },
      },
    },
  );
  return { state: IDLE, replies: [{ text: turn.m.eraseDone }] };
}

export const eraseFlow: Flow<'erase'> = {
  name: 'erase',
  continue: (turn, _state, input) => {
    const answer = answerOf(input);
    if (answer === 'yes') return erase(turn);
    if (answer === 'no') return { state: IDLE, replies: [{ text: turn.m.eraseKept }] };
    return undefined;
  },
  reprompt: (turn) => confirmQuestion(turn, turn.m.eraseAsk),
  freeTextSteps: new Set(),
  // "不"/"取消" answer the question here rather than starting the cancel flow.
  switchesTopic: (_state, input) => answerOf(input) === undefined && input.understanding?.intent !== 'unknown',
};
