/**
 * The grade of a complaint: 重大 major, 重要 important, 轻微 minor (DOMAIN §2 Grade, [002 ③]).
 * The bot proposes a grade from the customer's structured answers; staff may regrade.
 */
import { DateTime } from 'luxon';
import { tz } from '../zone.ts';
import type { Category } from './classify.ts';

import type { Grade } from '../../contracts/records.ts';

export interface GradeInput {
  category: Category;
  /** Whether the customer says there was an economic loss, and roughly how much (yuan). */
  loss: { had: boolean; amountYuan?: number };
  /** How many times the customer raised it before without resolution (0 = first time). */
  priorCount: number;
  /** Whether a promised/contracted service was not delivered or clearly wrong. */
  serviceFailed?: boolean;
}

/** Stable reason codes of a proposed grade, for the record and for rendering. */
const GRADE_REASONS = [
  'repeated_service_failure', // major (1): a failed service raised several times without resolution
  'major_loss', //               major (2): the company caused a major economic loss
  'service_failure', //          important: a failed service, raised fewer times than "several"
  'company_fault', //            important: damage, loss, price or safety, the company's fault
  'economic_loss', //            important: an economic loss below the major threshold
  'staff_attitude', //           minor: a staff member's attitude or behaviour
  'no_economic_loss', //         minor: and no economic loss
] as const;
type GradeReason = (typeof GRADE_REASONS)[number];

interface GradeDecision {
  grade: Grade;
  /** Stable reason codes ({@link GradeReason}), the weightiest first. */
  reasons: string[];
}

export interface GradePolicy {
  /**
   * A loss at or above this many yuan is a "major economic loss" (重大经济损失). The seed gives no
   * figure: 2000 is a configurable default.
   */
  majorLossYuan: number;
  /** Raised at least this many times before counts as "several times" (多次). Default 2. */
  repeatedTimes: number;
}

/** The defaults where the seed is silent; companies override them in configuration. */
export const DEFAULT_GRADE_POLICY: GradePolicy = { majorLossYuan: 2000, repeatedTimes: 2 };

/** Categories that mean a promised service was not delivered or was clearly wrong. */
const SERVICE_FAILURE: ReadonlySet<Category> = new Set(['no_show', 'late', 'quality']);
/** Categories where the company's service or management was at fault beyond the service itself. */
const COMPANY_FAULT: ReadonlySet<Category> = new Set(['damage', 'loss', 'price', 'safety']);

/**
 * Proposes the grade from the structured answers.
 * - major: a failed service (`serviceFailed`, or no_show / late / quality) raised at least
 *   `repeatedTimes` times before; or a loss of at least `majorLossYuan`, whatever the category.
 * - important: any other failed service, damage / loss / price / safety, or any economic loss.
 * - minor: attitude or behaviour (or nothing recognisable) with no economic loss.
 * A loss without an amount counts as below the major threshold.
 */
export function proposeGrade(input: GradeInput, policy?: Partial<GradePolicy>): GradeDecision {
  const { majorLossYuan, repeatedTimes } = { ...DEFAULT_GRADE_POLICY, ...policy };
  const prior = Number.isFinite(input.priorCount) ? Math.max(0, input.priorCount) : 0;
  const amount = input.loss.amountYuan;
  const hadLoss = input.loss.had;
  const majorLoss = hadLoss && amount !== undefined && Number.isFinite(amount) && amount >= majorLossYuan;
  const serviceFailed = input.serviceFailed === true || SERVICE_FAILURE.has(input.category);

  const major: GradeReason[] = [];
  if (serviceFailed && prior >= repeatedTimes) major.push('repeated_service_failure');
  if (majorLoss) major.push('major_loss');
  if (major.length > 0) return { grade: 'major', reasons: major };

  const important: GradeReason[] = [];
  if (serviceFailed) important.push('service_failure');
  if (COMPANY_FAULT.has(input.category)) important.push('company_fault');
  if (hadLoss) important.push('economic_loss');
  if (important.length > 0) return { grade: 'important', reasons: important };

  const minor: GradeReason[] = input.category === 'attitude' ? ['staff_attitude'] : [];
  minor.push('no_economic_loss');
  return { grade: 'minor', reasons: minor };
}

/** 重大 (3): a valid complaint not reasonably resolved within one month is upgraded to major. Returns the upgrade time if it applies at `now`. */
export function monthlyUpgradeDue(
  c: { grade: Grade; valid: boolean | null; resolvedAt: Date | null; receivedAt: Date; upgradedAt: Date | null },
  now: Date,
  zone: string,
): { due: boolean; at: Date } {
  // DOMAIN §2 Grade, major (3): one calendar month in the company zone, same wall-clock time;
  // a month-end without that day falls back to the last day (Jan 31 -> Feb 28). A complaint not
  // yet judged (valid === null) is treated as valid until staff say otherwise.
  const at = DateTime.fromJSDate(c.receivedAt, { zone: tz(zone) }).plus({ months: 1 }).toJSDate();
  const applies = c.grade !== 'major' && c.upgradedAt === null && c.valid !== false && c.resolvedAt === null;
  return { due: applies && now.getTime() >= at.getTime(), at };
}
