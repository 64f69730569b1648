/**
 * Handing a customer to a person (转人工): when a person answers, when an unclaimed handover climbs
 * a level, when a quiet one ends, who the customer's person is, and what counts as an angry
 * follow-up. Pure functions of their inputs and `now`.
 *
 * Source: DOMAIN §5 "First contact is responsible (首问制和专人负责制)" [003]; where the seeds are
 * silent (answer time, idle end, the 7-day owner) the defaults follow help desks such as Chatwoot
 * and are configurable.
 */
import { DateTime } from 'luxon';
import { tz } from '../zone.ts';
import type { Level } from '../../contracts/records.ts';
import type { TimeSpan } from '../../contracts/company.ts';

export interface HandoverPolicy {
  /** Minutes within which a person answers while the desk is open (default 5); also each escalation step. */
  answerMs: number;
  /** A handover with no message either way for this long ends by itself (default 30 minutes). */
  idleMs: number;
  /** The customer's previous person is asked first when the last handover was this recent (7 days). */
  ownerWindowMs: number;
}

export const DEFAULT_HANDOVER_POLICY: Readonly<HandoverPolicy> = { answerMs: 5 * 60_000, idleMs: 30 * 60_000, ownerWindowMs: 7 * 86_400_000 };

function minuteOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * When a person answers: inside desk hours, `now` plus the answer time (`open` true); outside them,
 * the moment the desk next opens (`open` false; the customer is given the hotline too).
 */
export function answerBy(opts: { now: Date; deskHours: TimeSpan; zone: string; policy: Pick<HandoverPolicy, 'answerMs'> }): { open: boolean; by: Date } {
  const local = DateTime.fromJSDate(opts.now, { zone: tz(opts.zone) });
  const minute = local.hour * 60 + local.minute;
  const start = minuteOf(opts.deskHours.start);
  const end = minuteOf(opts.deskHours.end);
  if (minute >= start && minute < end) return { open: true, by: new Date(opts.now.getTime() + opts.policy.answerMs) };
  const today = local.set({ hour: Math.floor(start / 60), minute: start % 60, second: 0, millisecond: 0 });
  const opens = minute < start ? today : today.plus({ days: 1 });
  return { open: false, by: opens.toJSDate() };
}

/** The level an unclaimed handover climbs to when its deadline passes (as a 轻微 complaint's ladder); undefined at the top. */
export function nextLevel(level: Level): Level | undefined {
  if (level === 'contact') return 'department_head';
  if (level === 'department_head') return 'general_manager';
  return undefined;
}

/** Whether a handover whose last message was at `lastActivityAt` has been quiet long enough to end. */
export function isIdle(lastActivityAt: Date, now: Date, policy: Pick<HandoverPolicy, 'idleMs'>): boolean {
  return now.getTime() - lastActivityAt.getTime() >= policy.idleMs;
}

/**
 * Whether `staffId` may claim now: anyone, unless the customer has a person (首问负责) who is not
 * `staffId` and the first answer deadline (`reservedUntil`) has not passed; after it, whoever is
 * available takes it.
 */
export function mayClaim(opts: { staffId: number; ownerId: number | undefined; reservedUntil: Date | null; now: Date }): boolean {
  if (opts.ownerId === undefined || opts.ownerId === opts.staffId) return true;
  return opts.reservedUntil === null || opts.now.getTime() >= opts.reservedUntil.getTime();
}

/** Words of a customer losing patience, in Chinese and English. */
const ANGRY_WORDS =
  /怎么还|还没(人|有人|处理|回复|回音|解决|联系)|到底|气死|太差|垃圾|骗子|坑人|什么破|搞什么|没人(管|理|回)|不理人|等了.{0,6}(天|小时|半天)|再不.{0,8}(投诉|曝光|12315|消协)|12315|消协|曝光|退钱|赔钱|滚|\bwhy (is|has)n'?t\b|\bstill (no|nothing|waiting)\b|\bridiculous\b|\bunacceptable\b|\bscam\b|\bterrible\b|\bworst\b|\bnobody\b/i;

/**
 * Whether a customer's text sounds angry: impatient or insulting words, or a run of exclamation or
 * question marks (！！, ???).
 */
export function soundsAngry(text: string): boolean {
  return ANGRY_WORDS.test(text) || /[!！]{2,}|[?？]{3,}|[!！][?？]|[?？][!！]/.test(text);
}
