/**
 * When the deadline watcher should next look at a complaint: its earliest pending deadline
 * (DOMAIN §2 time limits) or the one-month upgrade, whichever comes first.
 */
import { nextDeadline, type ComplaintTimes } from './deadlines.ts';
import { monthlyUpgradeDue } from './grade.ts';
import type { ComplaintView } from '../../contracts/records.ts';

export function complaintTimes(c: ComplaintView): ComplaintTimes {
  return {
    grade: c.grade,
    receivedAt: c.receivedAt,
    forwardedAt: c.forwardedAt,
    claimedAt: c.claimedAt,
    answeredAt: c.answeredAt,
    resolvedAt: c.resolvedAt,
    callbackAt: c.callbackAt,
    status: c.status,
  };
}

/** The next moment the watcher must check, strictly after `after` when given; undefined if never. */
export function nextCheck(c: ComplaintView, zone: string, after?: Date): Date | undefined {
  const deadline = nextDeadline(complaintTimes(c), zone, after);
  const upgrade = c.status === 'open' || c.status === 'claimed' ? monthlyUpgradeDue(c, c.receivedAt, zone) : undefined;
  const upgradeAt = upgrade && c.grade !== 'major' && !c.upgradedAt && (!after || upgrade.at > after) ? upgrade.at : undefined;
  if (!deadline) return upgradeAt;
  if (!upgradeAt) return deadline;
  return new Date(Math.min(deadline.getTime(), upgradeAt.getTime()));
}
