/**
 * 群体投诉, group complaints: many different customers complaining about the same matter
 * (DOMAIN §2 Group flags, [003]).
 */
import type { Category } from './classify.ts';

export interface GroupPolicy {
  /** At least this many different customers make a group complaint. Default 5 ([003]). */
  minCustomers: number;
  /** Within this many days, counted back from now. Default 7 (the seed gives no window). */
  windowDays: number;
}

/** The defaults; companies override them in configuration. */
export const DEFAULT_GROUP_POLICY: GroupPolicy = { minCustomers: 5, windowDays: 7 };

const DAY = 24 * 60 * 60 * 1000;

/** A key for "the same matter": category plus the booking's service code (or 'none'), e.g. 'quality:daily_cleaning'. */
export function matterKey(c: { category: Category; serviceCode?: string | null }): string {
  const code = c.serviceCode?.trim();
  return `${c.category}:${code ? code : 'none'}`;
}

/** The service code of a matter key (`matterKey`), or undefined for a complaint about no booking. */
export function serviceOfMatter(matter: string): string | undefined {
  const code = matter.slice(matter.indexOf(':') + 1);
  return code && code !== 'none' ? code : undefined;
}

/**
 * Whether complaints about one matter form a group complaint at `now`: at least minCustomers
 * DIFFERENT customers within the last windowDays (inclusive of now). Input: the recent complaints
 * of that matter. The window is [now - windowDays × 24 h, now], both ends included; complaints
 * received after `now` do not count.
 */
export function isGroupComplaint(
  recent: { customerId: number; receivedAt: Date }[],
  now: Date,
  policy?: Partial<GroupPolicy>,
): boolean {
  const { minCustomers, windowDays } = { ...DEFAULT_GROUP_POLICY, ...policy };
  const to = now.getTime();
  const from = to - windowDays * DAY;
  const customers = new Set<number>();
  for (const { customerId, receivedAt } of recent) {
    const at = receivedAt.getTime();
    if (at >= from && at <= to) customers.add(customerId);
  }
  return customers.size >= minCustomers;
}
