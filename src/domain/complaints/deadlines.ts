/**
 * Complaint time limits and escalation levels (DOMAIN §2 Time limits and Escalation, [002 ⑤⑥]).
 * Hour limits are elapsed time; day limits ("2日", "3日", "10日") are calendar days in the
 * company zone at the same wall-clock time, so they stay put across a DST change.
 */
import { DateTime } from 'luxon';
import { tz } from '../zone.ts';
import { LEVELS, type Grade, type Level } from '../../contracts/records.ts';

const FIRST_LEVEL: Record<Grade, Level> = { major: 'general_manager', important: 'department_head', minor: 'contact' };
const LADDER: readonly Level[] = LEVELS;

/** Who a grade is forwarded to first. major -> general_manager, important -> department_head, minor -> contact. */
export function firstLevel(grade: Grade): Level {
  return FIRST_LEVEL[grade];
}

/** The next level up (contact -> department_head -> general_manager -> undefined). */
export function nextLevel(level: Level): Level | undefined {
  return LADDER[LADDER.indexOf(level) + 1];
}

interface Deadlines {
  /** Forward to the first level by: major immediately (receivedAt), important 1 h, minor 15 min. */
  forwardBy: Date;
  /** The outer bound of forwarding: major the end of the day received (当天, company zone); others = forwardBy. */
  forwardLatest: Date;
  /**
   * The first level must have taken (claimed) it by the end of the forward limit: the bot forwards
   * at once, so what the forward limit still asks of staff is the claim (= forwardLatest).
   */
  claimBy: Date;
  /** Heads coordinate major and important complaints within 12 h; none for minor. */
  coordinateBy?: Date;
  /** A clear answer to the customer: major in 2 days; important and minor = resolveBy. */
  answerBy: Date;
  /** Resolved within: major 10 days, important 3 days, minor 4 hours. */
  resolveBy: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * One time limit, counted from receipt: elapsed time (`ms`), calendar days in the company zone at
 * the same wall-clock time (`days`), or the end of the company day received (`sameDay`).
 */
export type TimeLimit = { readonly ms: number } | { readonly days: number } | { readonly sameDay: true };

/** The limits of one grade. */
interface GradeLimits {
  /** Forward to the first level within this. */
  readonly forward: TimeLimit;
  /** The outer bound of forwarding, after which it is late; when absent, `forward`. */
  readonly forwardLatest?: TimeLimit;
  /** Heads coordinate within this; none for minor. */
  readonly coordinate?: TimeLimit;
  /** A clear answer to the customer; when absent, `resolve`. */
  readonly answer?: TimeLimit;
  readonly resolve: TimeLimit;
}

/**
 * The time limits per grade (DOMAIN §2 Time limits, [002 ⑤⑥]): the one table behind the
 * deadlines the watcher escalates on and the on-time rates of the report (src/store/reports.ts).
 *  重大 forward at once, the same day at the latest; coordinate in 12 h; answer in 2 days; resolve in 10 days.
 *  重要 forward in 1 h; coordinate in 12 h; resolve (and answer) in 3 days.
 *  轻微 forward in 15 min; resolve (and answer) in 4 h.
 */
export const TIME_LIMITS: Readonly<Record<Grade, GradeLimits>> = {
  major: { forward: { ms: 0 }, forwardLatest: { sameDay: true }, coordinate: { ms: 12 * HOUR }, answer: { days: 2 }, resolve: { days: 10 } },
  important: { forward: { ms: HOUR }, coordinate: { ms: 12 * HOUR }, resolve: { days: 3 } },
  minor: { forward: { ms: 15 * MINUTE }, resolve: { ms: 4 * HOUR } },
};

/** The limit a forward of `grade` counts as on time by (its outer bound; the watcher escalates after it). */
export function forwardLimit(grade: Grade): TimeLimit {
  return TIME_LIMITS[grade].forwardLatest ?? TIME_LIMITS[grade].forward;
}

function plusMs(d: Date, ms: number): Date {
  return new Date(d.getTime() + ms);
}

function plusDays(d: Date, days: number, zone: string): Date {
  return DateTime.fromJSDate(d, { zone: tz(zone) }).plus({ days }).toJSDate();
}

/** When `limit` runs out for something received at `receivedAt` (on time means at or before it). */
function limitEnd(limit: TimeLimit, receivedAt: Date, zone: string): Date {
  if ('ms' in limit) return plusMs(receivedAt, limit.ms);
  if ('days' in limit) return plusDays(receivedAt, limit.days, zone);
  return DateTime.fromJSDate(receivedAt, { zone: tz(zone) }).endOf('day').toJSDate();
}

/** The deadlines of a complaint of `grade` received at `receivedAt` (from TIME_LIMITS). */
export function complaintDeadlines(grade: Grade, receivedAt: Date, zone: string): Deadlines {
  const limits = TIME_LIMITS[grade];
  const end = (limit: TimeLimit) => limitEnd(limit, receivedAt, zone);
  const forwardBy = end(limits.forward);
  const resolveBy = end(limits.resolve);
  const forwardLatest = limits.forwardLatest ? end(limits.forwardLatest) : forwardBy;
  const deadlines: Deadlines = {
    forwardBy,
    forwardLatest,
    claimBy: forwardLatest,
    answerBy: limits.answer ? end(limits.answer) : resolveBy,
    resolveBy,
  };
  if (limits.coordinate) deadlines.coordinateBy = end(limits.coordinate);
  return deadlines;
}

/** When a complaint is expected to be claimed: within the forward limit (major the same day, important 1 h, minor 15 min). */
export function claimBy(grade: Grade, receivedAt: Date, zone: string): Date {
  return complaintDeadlines(grade, receivedAt, zone).claimBy;
}

/** A deadline staff owe on an open complaint, as the card lists it and the watcher escalates on it. */
type DeadlineKind = 'claim' | 'coordinate' | 'answer' | 'resolve';

/**
 * The deadlines of an open complaint in time order, from {@link complaintDeadlines}: claim,
 * coordinate (major, important), answer (major only: elsewhere it is the resolve deadline), resolve.
 * The card shows exactly these; {@link overdueAction} escalates on exactly these.
 */
export function deadlineSchedule(grade: Grade, receivedAt: Date, zone: string): { kind: DeadlineKind; at: Date }[] {
  const d = complaintDeadlines(grade, receivedAt, zone);
  const list: { kind: DeadlineKind; at: Date }[] = [{ kind: 'claim', at: d.claimBy }];
  if (d.coordinateBy) list.push({ kind: 'coordinate', at: d.coordinateBy });
  if (d.answerBy.getTime() !== d.resolveBy.getTime()) list.push({ kind: 'answer', at: d.answerBy });
  list.push({ kind: 'resolve', at: d.resolveBy });
  return list.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** After resolution the customer gets a callback within 24 h. */
export function callbackBy(resolvedAt: Date): Date {
  return plusMs(resolvedAt, 24 * HOUR);
}

/** An invalid complaint is answered with a tactful explanation within 24 h of receipt. */
export function invalidAnswerBy(receivedAt: Date): Date {
  return plusMs(receivedAt, 24 * HOUR);
}

type Overdue = 'forward' | 'claim' | 'coordinate' | 'answer' | 'resolve' | 'callback';

export interface ComplaintTimes {
  grade: Grade;
  receivedAt: Date;
  forwardedAt: Date | null;
  claimedAt: Date | null;
  answeredAt: Date | null;
  resolvedAt: Date | null;
  callbackAt: Date | null;
  status: 'open' | 'claimed' | 'resolved' | 'invalid' | 'closed';
}

/**
 * The actions still owed and their deadlines, in process order. Invalid and closed complaints owe
 * nothing; a resolved one owes only its callback. Claim and coordination both count as done once
 * the complaint is claimed. The claim is due by the forward limit (see {@link claimBy}).
 */
function pending(c: ComplaintTimes, zone: string): { action: Overdue; dueAt: Date }[] {
  if (c.status === 'invalid' || c.status === 'closed') return [];
  if (c.resolvedAt !== null || c.status === 'resolved') {
    return c.resolvedAt !== null && c.callbackAt === null ? [{ action: 'callback', dueAt: callbackBy(c.resolvedAt) }] : [];
  }
  const d = complaintDeadlines(c.grade, c.receivedAt, zone);
  const claimed = c.claimedAt !== null || c.status === 'claimed';
  const owed: { action: Overdue; dueAt: Date }[] = [];
  if (c.forwardedAt === null) owed.push({ action: 'forward', dueAt: d.forwardLatest });
  // Claim and forward share the forward limit: before the forward, the forward is what is owed.
  if (!claimed && c.forwardedAt !== null) owed.push({ action: 'claim', dueAt: d.claimBy });
  if (!claimed && d.coordinateBy) owed.push({ action: 'coordinate', dueAt: d.coordinateBy });
  if (c.answeredAt === null) owed.push({ action: 'answer', dueAt: d.answerBy });
  owed.push({ action: 'resolve', dueAt: d.resolveBy });
  return owed;
}

/**
 * Which required action is overdue at `now` (strictly after its deadline), if any, given what has
 * happened so far; the watcher escalates on it. Actions: not forwarded by forwardLatest
 * ('forward'); not claimed by {@link claimBy} ('claim'); major/important not claimed (coordinated)
 * by coordinateBy ('coordinate'); not answered by answerBy ('answer'); not resolved by resolveBy
 * ('resolve'); resolved but no callback by {@link callbackBy} ('callback').
 * When several are overdue, the one whose deadline passed last is returned (on a tie, the later
 * step: 'resolve' over 'answer' when they share a deadline), so each missed deadline surfaces
 * once with its own `dueAt` and the watcher escalates one level per missed deadline.
 * Returns undefined when nothing is overdue.
 */
export function overdueAction(
  c: ComplaintTimes,
  now: Date,
  zone: string,
): { action: Overdue; dueAt: Date } | undefined {
  let found: { action: Overdue; dueAt: Date } | undefined;
  for (const owed of pending(c, zone)) {
    if (owed.dueAt.getTime() < now.getTime() && (!found || owed.dueAt.getTime() >= found.dueAt.getTime())) found = owed;
  }
  return found;
}

/**
 * The earliest deadline still pending (for an index column the watcher sweeps by), or undefined
 * when nothing is pending. Same inputs as overdueAction; with `after`, only deadlines later than
 * it count, so a complaint whose current deadline was already escalated sleeps until the next one.
 */
export function nextDeadline(c: Parameters<typeof overdueAction>[0], zone: string, after?: Date): Date | undefined {
  let earliest: Date | undefined;
  for (const { dueAt } of pending(c, zone)) {
    if (after && dueAt.getTime() <= after.getTime()) continue;
    if (!earliest || dueAt.getTime() < earliest.getTime()) earliest = dueAt;
  }
  return earliest;
}
