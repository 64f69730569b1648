/**
 * Handing a customer to a person (转人工, DOMAIN §5 首问负责; issue #15 musts 1-3). The customer
 * asks for a person, or the bot failed to understand twice, or an unclaimed complaint's customer
 * writes again angrily: a post goes to the front-desk room with the masked customer, the reason
 * and the last messages, and the customer is told when someone answers. Whoever claims it talks
 * to the customer by replying to the post or to a relayed message (a Slack thread), by quoting one
 * (WeChat), by typing its number first, or, holding only that one, by writing to the bot in a
 * private chat (`addressedHandover`, `heldHandover`); the customer's
 * messages reach the room; the bot stays silent in the customer's chat except for commands until
 * either side ends it (a button or /end). The sweep (src/scheduler/handover-sweeper.ts) escalates
 * an unclaimed one and ends a quiet one.
 */
import { randomInt } from 'node:crypto';
import { DateTime } from 'luxon';
import { answerBy, mayClaim } from '../../domain/handover/rules.ts';
import { tz } from '../../domain/zone.ts';
import { formatDateTime, messages, type Messages } from '../../i18n/index.ts';
import { backMessage, handoverPost, maskedContext, maskedCustomer } from '../../features/handover/messages.ts';
import { handoverStatePrefix, IDLE_STATE_JSON, type State } from '../../contracts/state.ts';
import type { HandoverReason, HandoverView, StaffView } from '../../contracts/records.ts';
import type { CarriedMedia, Channel, Outbound } from '../../contracts/messages.ts';
import { HANDOVER_KINDS } from '../../contracts/outbox.ts';
import type { Flow } from '../flow.ts';
import type { StepResult, Turn } from '../turn.ts';

const { post: POST, in: IN, out: OUT } = HANDOVER_KINDS;
const MAX_TEXT = 2000;

function handoverNumber(turn: Turn): string {
  const day = DateTime.fromJSDate(turn.now, { zone: tz(turn.company.timeZone) }).toFormat('yyMMdd');
  return `RG${day}${String(randomInt(0, 10_000)).padStart(4, '0')}`;
}

function customerMessages(h: Pick<HandoverView, 'locale'>): Messages {
  return messages(h.locale === 'en' ? 'en' : 'zh');
}

function minutesSince(from: Date, now: Date): number {
  return Math.max(1, Math.ceil((now.getTime() - from.getTime()) / 60_000));
}

function isOpen(h: HandoverView | undefined): h is HandoverView {
  return h !== undefined && h.status !== 'ended';
}

/**
 * Opens a handover for the turn's customer: records it, posts it to the front-desk room (and a
 * copy to the customer's person of the last 7 days, 首问负责), and tells the customer when someone
 * answers: within the configured minutes inside desk hours, else when the desk opens, with the hotline;
 * `leftBehind`: what became of a flow it interrupted (an unsaved booking draft), told to the
 * customer; `draft`: what that flow had filled (masked), shown in the post under the last messages.
 */
export async function startHandover(turn: Turn, opts: { reason: HandoverReason; complaintNumber?: string; leftBehind?: string; draft?: string }): Promise<StepResult> {
  const { company, now, m, staffM, customer } = turn;
  const number = handoverNumber(turn);
  const room = turn.complaints.rooms.contact;
  const { open, by } = answerBy({ now, deskHours: company.deskHours ?? company.serviceHours, zone: company.timeZone, policy: turn.handover });
  const owner = await turn.store.handoverOwner(customer.id, new Date(now.getTime() - turn.handover.ownerWindowMs));
  const h = {
    number,
    customerId: customer.id,
    channel: turn.from.channel,
    chatId: turn.from.chatId,
    locale: turn.locale,
    reason: opts.reason,
    customerLabel: maskedCustomer(staffM, customer, turn.from.channel, turn.from.displayName),
    context: [maskedContext(turn.recent), opts.draft].filter(Boolean).join('\n'),
    complaintNumber: opts.complaintNumber ?? null,
    level: 'contact' as const,
    roomChannel: room.channel,
    roomChatId: room.chatId,
    requestedAt: now,
    nextDeadlineAt: by,
    lastActivityAt: now,
  };
  turn.effects.push({ kind: 'createHandover', handover: h });
  const post = handoverPost({ m: staffM, company, h, room: room.channel, by, owner: owner?.name, now });
  turn.effects.push({ kind: 'enqueue', message: { ...room, kind: POST, dedupeKey: `handover:${number}:post:contact`, message: post } });
  if (owner) {
    turn.effects.push({
      kind: 'enqueue',
      message: { channel: owner.channel, chatId: owner.userId, kind: POST, dedupeKey: `handover:${number}:post:owner`, message: { ...post, text: `${staffM.handoverOwnerCopy({ number })}\n${post.text}` } },
    });
  }
  const text = open
    ? m.handoverOpen({ number, minutes: Math.round(turn.handover.answerMs / 60_000), hotline: company.hotline })
    : m.handoverClosed({ number, opens: formatDateTime(m, by, company.timeZone, { now }), hotline: company.hotline });
  return { state: { flow: 'handover', step: 'open', number }, replies: [{ text: [text, opts.leftBehind].filter(Boolean).join('\n'), buttons: [[{ label: m.handoverEndButton, action: `hend:${number}` }]] }] };
}

/**
 * Hands the customer to a person from inside `flow` at `state` (they asked for one, or were not
 * understood twice): the customer hears what became of the unfinished step, and the post shows its
 * draft so the person can finish it.
 */
export function handOverFrom(turn: Turn, flow: Flow | undefined, state: State, reason: HandoverReason): Promise<StepResult> {
  const left = flow && state.flow !== 'idle' ? flow.leftBehind?.(turn, state) : undefined;
  return startHandover(turn, { reason, ...(left ? { leftBehind: left.told, ...(left.draft ? { draft: left.draft } : {}) } : {}) });
}

/**
 * A relayed message (`line` of its words) and the photo or file sent with them, for a chat on `to`:
 * the media passes by its reference on the platform it came from; to another platform the outbox
 * carries its bytes when it can, else sends the line whose tag says it cannot be shown there
 * (`CarriedMedia.unshown`). The words go either way.
 */
function withMedia(turn: Turn, m: Messages, to: Channel, words: string, line: (text: string) => string): { text: string; media?: CarriedMedia } {
  const { media } = turn;
  if (!media) return { text: line(words) };
  const tagged = (shown: boolean) => {
    const tag = m.mediaTag({ kind: m.mediaKind[media.kind] ?? media.kind, ...(media.name ? { name: media.name } : {}), shown });
    return line(words ? `${tag} ${words}` : tag);
  };
  if (turn.from.channel === to) return { text: tagged(true), media };
  return { text: tagged(true), media: { ...media, from: turn.from.channel, unshown: tagged(false) } };
}

/** The customer wrote while handed over: to the room (under the post where the platform threads), and nothing back. */
async function relayCustomer(turn: Turn, state: Extract<State, { flow: 'handover' }>, text: string): Promise<StepResult> {
  const h = await turn.store.handover(state.number);
  if (!isOpen(h)) return { state: { flow: 'idle' }, replies: [backMessage(turn.m)] };
  const replyTo = await turn.store.handoverPostRef(h.number, h.roomChannel, h.roomChatId);
  turn.effects.push({
    kind: 'enqueue',
    message: {
      channel: h.roomChannel,
      chatId: h.roomChatId,
      kind: IN,
      dedupeKey: `handover:${h.number}:in:${turn.messageKey}`,
      message: { ...withMedia(turn, turn.staffM, h.roomChannel, text.slice(0, MAX_TEXT), (line) => turn.staffM.handoverIn({ number: h.number, text: line })), ...(replyTo ? { replyTo } : {}) },
    },
  });
  turn.effects.push({ kind: 'touchHandover', id: h.id, at: turn.now });
  return { state, replies: [] };
}

function staffName(turn: Turn, staff: StaffView): string {
  return staff.displayName ?? turn.from.displayName ?? turn.m.roleLabel[staff.role] ?? staff.role;
}

type Claimed = { h: HandoverView; staff: StaffView; who: string; claimedNow: boolean } | StepResult;

/** The staff member acting on handover `number` and the handover while it is open; else the refusal to say. */
async function staffOnOpen(turn: Turn, state: State, number: string): Promise<{ staff: StaffView; h: HandoverView } | StepResult> {
  const say = (text: string): StepResult => ({ state, replies: [{ text }] });
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!staff) return say(turn.m.notStaff);
  const h = await turn.store.handover(number);
  if (!isOpen(h)) return say(turn.m.handoverGone({ number }));
  return { staff, h };
}

/**
 * The staff member takes the handover (or already holds it). Refused, with a reason, when they are
 * not staff, it ended, someone else holds it, or the customer's person (首问负责) still has it reserved.
 */
async function claim(turn: Turn, state: State, number: string): Promise<Claimed> {
  const { m, now } = turn;
  const say = (text: string): StepResult => ({ state, replies: [{ text }] });
  const acting = await staffOnOpen(turn, state, number);
  if ('state' in acting) return acting;
  const { staff, h } = acting;
  if (h.status === 'live') {
    return h.claimedBy === staff.id ? { h, staff, who: h.handler ?? staffName(turn, staff), claimedNow: false } : say(m.handoverTakenBy({ number, who: h.handler ?? '' }));
  }
  const owner = await turn.store.handoverOwner(h.customerId, new Date(h.requestedAt.getTime() - turn.handover.ownerWindowMs));
  const reservedUntil = h.level === 'contact' ? h.nextDeadlineAt : null;
  if (owner && !mayClaim({ staffId: staff.id, ownerId: owner.staffId, reservedUntil, now })) {
    return say(m.handoverReserved({ number, who: owner.name, until: formatDateTime(m, reservedUntil ?? now, turn.company.timeZone, { now }) }));
  }
  const who = staffName(turn, staff);
  const change = { status: 'live' as const, claimedAt: now, claimedBy: staff.id, handler: who, nextDeadlineAt: null, lastActivityAt: now, roomChannel: turn.from.channel, roomChatId: turn.from.chatId };
  turn.effects.push({ kind: 'updateHandover', id: h.id, version: h.version, change });
  turn.effects.push({
    kind: 'enqueue',
    message: { channel: h.channel, chatId: h.chatId, kind: OUT, dedupeKey: `handover:${number}:claimed`, message: { text: customerMessages(h).handoverClaimedCustomer({ who }) } },
  });
  return { h: { ...h, ...change }, staff, who, claimedNow: true };
}

function endButtons(turn: Turn, number: string): Outbound['buttons'] {
  return [[{ label: turn.m.handoverEndStaffButton, action: `hend:${number}` }]];
}

/** The claim button on a post. */
async function claimButton(turn: Turn, state: State, number: string): Promise<StepResult> {
  const claimed = await claim(turn, state, number);
  if ('state' in claimed) return claimed;
  return { state, replies: [{ text: turn.m.handoverClaimedPost({ number, who: claimed.who }), buttons: endButtons(turn, number) }] };
}

/**
 * A staff member's reply to a handover's post or relayed message: to the customer, claiming the
 * handover first when nobody has. Nothing is said in the room when it went through.
 */
export async function relayStaff(turn: Turn, state: State, number: string, text: string): Promise<StepResult> {
  const claimed = await claim(turn, state, number);
  if ('state' in claimed) return claimed;
  const { h, who } = claimed;
  turn.effects.push({
    kind: 'enqueue',
    message: {
      channel: h.channel,
      chatId: h.chatId,
      kind: OUT,
      dedupeKey: `handover:${number}:out:${turn.messageKey}`,
      message: withMedia(turn, customerMessages(h), h.channel, text.trim().slice(0, MAX_TEXT), (line) => customerMessages(h).handoverStaffSays({ who, text: line })),
    },
  });
  if (!claimed.claimedNow) turn.effects.push({ kind: 'touchHandover', id: h.id, at: turn.now });
  return { state, replies: [] };
}

/** A handover's number as its post and every relayed line show it (see `handoverNumber`). */
const NUMBER = /RG\d{10}(?!\d)/i;
/** `RG2611230001 您好`: a handover's number typed first, then the words for its customer. */
const NUMBER_FIRST = /^\s*(RG\d{10})(?!\d)[\s:：,，]*(\S[\s\S]*)$/i;

/** The handover number in a quoted text (a WeChat quote of a post or a relayed line). */
function quotedNumber(quoted: string | undefined): string | undefined {
  return quoted?.match(NUMBER)?.[0].toUpperCase();
}

/**
 * The handover a staff member's message answers, and the words to relay: a reply to its post or a
 * relayed line (the platform's reference), a quote of one (WeChat: the number in the quoted text),
 * or its number typed first (`RG2611230001 您好`), in any chat. The last two count for staff only:
 * a customer quoting or typing their own handover's number is talking to the bot.
 */
export async function addressedHandover(turn: Turn, text: string): Promise<{ number: string; text: string } | undefined> {
  const { from, store } = turn;
  const replied = from.replyTo === undefined ? undefined : await store.handoverByRef(from.channel, from.chatId, from.replyTo);
  if (replied) return { number: replied, text };
  const quoted = quotedNumber(from.quoted);
  const typed = quoted ? undefined : NUMBER_FIRST.exec(text);
  const number = quoted ?? typed?.[1]?.toUpperCase();
  if (!number || !(await store.staff(from.channel, from.userId))) return undefined;
  return { number, text: typed?.[2] ?? text };
}

/** Live handovers listed when a staff member holding several must say which one they answer. */
const HELD_LISTED = 10;

/**
 * Plain text from a staff member in their private chat with the bot while they hold live handovers
 * (platforms without reply references, WeChat): the words go to the customer of the only one;
 * holding several, they are asked to put the number first. Undefined when they hold none.
 */
export async function heldHandover(turn: Turn, state: State, text: string): Promise<{ number: string; text: string } | StepResult | undefined> {
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  if (!staff) return undefined;
  const held = await turn.store.claimedHandovers(staff.id, HELD_LISTED);
  const [only, ...more] = held;
  if (!only) return undefined;
  if (more.length === 0) return { number: only.number, text };
  const list = held.map((h) => `· ${h.number} ${h.customerLabel}`).join('\n');
  return { state, replies: [{ text: turn.m.handoverPickOne({ list, example: only.number }) }] };
}

/** The customer ends their handover: the room is told, the customer hears the bot is back. */
async function endByCustomer(turn: Turn, number: string): Promise<StepResult> {
  const h = await turn.store.handover(number);
  if (isOpen(h)) {
    turn.effects.push({ kind: 'updateHandover', id: h.id, version: h.version, change: { status: 'ended', endedAt: turn.now, endedBy: 'customer', nextDeadlineAt: null } });
    turn.effects.push({
      kind: 'enqueue',
      message: {
        channel: h.roomChannel,
        chatId: h.roomChatId,
        kind: 'notice',
        dedupeKey: `handover:${number}:ended`,
        message: { text: turn.staffM.handoverEndedPost({ number, who: turn.staffM.handoverEndedByCustomer, minutes: minutesSince(h.requestedAt, turn.now) }) },
      },
    });
  }
  return { state: { flow: 'idle' }, replies: [backMessage(turn.m)] };
}

/** Staff end a handover: its holder, a department head or the general manager, or anyone while it is unclaimed. */
async function endByStaff(turn: Turn, state: State, number: string): Promise<StepResult> {
  const { m, now } = turn;
  const say = (text: string): StepResult => ({ state, replies: [{ text }] });
  const acting = await staffOnOpen(turn, state, number);
  if ('state' in acting) return acting;
  const { staff, h } = acting;
  const senior = staff.role === 'department_head' || staff.role === 'general_manager';
  if (h.status === 'live' && h.claimedBy !== staff.id && !senior) return say(m.handoverTakenBy({ number, who: h.handler ?? '' }));
  const who = h.claimedBy === staff.id && h.handler ? h.handler : staffName(turn, staff);
  turn.effects.push({ kind: 'updateHandover', id: h.id, version: h.version, change: { status: 'ended', endedAt: now, endedBy: `staff:${staff.id}`, nextDeadlineAt: null } });
  turn.effects.push({ kind: 'enqueue', message: { channel: h.channel, chatId: h.chatId, kind: OUT, dedupeKey: `handover:${number}:ended`, message: backMessage(customerMessages(h)) } });
  turn.effects.push({ kind: 'moveConversation', channel: h.channel, chatId: h.chatId, fromPrefix: handoverStatePrefix(number), to: IDLE_STATE_JSON });
  return say(m.handoverEndedPost({ number, who, minutes: minutesSince(h.requestedAt, now) }));
}

/** The end button: the customer's own, or staff's on the post. */
async function endButton(turn: Turn, state: State, number: string): Promise<StepResult> {
  const h = await turn.store.handover(number);
  const own = h !== undefined && h.channel === turn.from.channel && h.chatId === turn.from.chatId && turn.from.chatType === 'private' && h.customerId === turn.customer.id;
  if (own) return endByCustomer(turn, number);
  return endByStaff(turn, state, number);
}

/**
 * `/end`: the customer's own handover; for staff, the handover of the message they reply to (or
 * quote), or the one live handover they hold.
 */
export async function endCommand(turn: Turn, state: State): Promise<StepResult> {
  if (state.flow === 'handover') return endByCustomer(turn, state.number);
  const { m, from } = turn;
  const replied = (from.replyTo === undefined ? undefined : await turn.store.handoverByRef(from.channel, from.chatId, from.replyTo)) ?? quotedNumber(from.quoted);
  if (replied) return endByStaff(turn, state, replied);
  const staff = await turn.store.staff(from.channel, from.userId);
  if (!staff) return { state, replies: [{ text: m.handoverNoneOpen }] };
  const held = await turn.store.claimedHandovers(staff.id, 2);
  if (held.length === 1 && held[0]) return endByStaff(turn, state, held[0].number);
  return { state, replies: [{ text: held.length === 0 ? m.handoverNoneOpen : m.handoverWhichOne }] };
}

/** The customer's side while handed to a person: everything typed goes to the room; the bot says nothing. */
export const handoverFlow: Flow<'handover'> = {
  name: 'handover',
  continue: (turn, state, input) => (input.text?.trim() || turn.media ? relayCustomer(turn, state, input.text ?? '') : { state, replies: [] }),
  reprompt: (_turn, state) => ({ state, replies: [] }),
  freeTextSteps: new Set(['open']),
  switchesTopic: () => false,
  exclusive: true,
  takesMedia: true,
  actions: {
    hclaim: (turn, state, action) => claimButton(turn, state, action.number),
    hend: (turn, state, action) => endButton(turn, state, action.number),
  },
};
