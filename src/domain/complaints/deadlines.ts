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

export interface Deadlines {
  /** Forward to the first level by: major immediately (receivedAt), important 1 h, minor 15 min. */
  forwardBy: Date;
  /** The outer bound of forwarding: major the end of the day received (当天, company zone); others = forwardBy. */
  forwardLatest: Date;
  /** Heads coordinate major and important complaints within 12 h; none for minor. */
  coordinateBy?: Date;
  /** A clear answer to the customer: major in 2 days; important and minor = resolveBy. */
  answerBy: Date;
  /** Resolved within: major 10 days, important 3 days, minor 4 hours. */
  resolveBy: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function plusMs(d: Date, ms: number): Date {
  return new Date(d.getTime() + ms);
}

function plusDays(d: Date, days: number, zone: string): Date {
  return DateTime.fromJSDate(d, { zone: tz(zone) }).plus({ days }).toJSDate();
}

/** The deadlines of a complaint of `grade` received at `receivedAt`. */
export function complaintDeadlines(grade: Grade, receivedAt: Date, zone: string): Deadlines {
  // DOMAIN §2 Time limits.
  switch (grade) {
    case 'major': {
      const forwardLatest = DateTime.fromJSDate(receivedAt, { zone: tz(zone) }).endOf('day').toJSDate();
      return {
        forwardBy: receivedAt,
        forwardLatest,
        coordinateBy: plusMs(receivedAt, 12 * HOUR),
        answerBy: plusDays(receivedAt, 2, zone),
        resolveBy: plusDays(receivedAt, 10, zone),
      };
    }
    case 'important': {
      const forwardBy = plusMs(receivedAt, HOUR);
      const resolveBy = plusDays(receivedAt, 3, zone);
      return { forwardBy, forwardLatest: forwardBy, coordinateBy: plusMs(receivedAt, 12 * HOUR), answerBy: resolveBy, resolveBy };
    }
    case 'minor': {
      const forwardBy = plusMs(receivedAt, 15 * MINUTE);
      const resolveBy = plusMs(receivedAt, 4 * HOUR);
      return { forwardBy, forwardLatest: forwardBy, answerBy: resolveBy, resolveBy };
    }
  }
}

/** How long the first level has to claim a forwarded complaint, counted from forwardBy. */
const CLAIM_WINDOW: Record<Grade, number> = { major: HOUR, important: HOUR, minor: 15 * MINUTE };

/** When a complaint is expected to be claimed: forwardBy plus 1 h (major, important) or 15 min (minor). */
export function claimBy(grade: Grade, receivedAt: Date, zone: string): Date {
  return plusMs(complaintDeadlines(grade, receivedAt, zone).forwardBy, CLAIM_WINDOW[grade]);
}

/** After resolution the customer gets a callback within 24 h. */
export function callbackBy(resolvedAt: Date): Date {
  return plusMs(resolvedAt, 24 * HOUR);
}

/** An invalid complaint is answered with a tactful explanation within 24 h of receipt. */
export function invalidAnswerBy(receivedAt: Date): Date {
  return plusMs(receivedAt, 24 * HOUR);
}

export type Overdue = 'forward' | 'claim' | 'coordinate' | 'answer' | 'resolve' | 'callback';

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
 * the complaint is claimed.
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
  if (!claimed) owed.push({ action: 'claim', dueAt: plusMs(d.forwardBy, CLAIM_WINDOW[c.grade]) });
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
