/**
 * How long personal data is kept (DOMAIN §5; China's Personal Information Protection Law: kept only
 * as long as needed). The company file's `retention` sets the periods; this module turns them into
 * the cut-off instants the daily retention job applies at `now`. Pure: no clock, no database.
 */

import type { RetentionPolicy } from '../contracts/company.ts';

export { DEFAULT_RETENTION, type RetentionPolicy } from '../contracts/company.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

interface RetentionCutoffs {
  /** Inbound message ids received before this are deleted. */
  inboundBefore: Date;
  /** Conversations last changed before this have their state reset. */
  conversationBefore: Date;
  /** Customers whose last service was before this are anonymised. */
  customerBefore: Date;
}

/**
 * The cut-offs that apply at `now`. Years are calendar years in UTC (a 29 February cut-off falls on
 * 1 March), so "3 years" never erases a day early.
 */
export function retentionCutoffs(policy: RetentionPolicy, now: Date): RetentionCutoffs {
  const years = new Date(now.getTime());
  years.setUTCFullYear(years.getUTCFullYear() - policy.customerDataYears);
  return {
    inboundBefore: new Date(now.getTime() - policy.inboundMessageDays * DAY_MS),
    conversationBefore: new Date(now.getTime() - policy.conversationStateDays * DAY_MS),
    customerBefore: years,
  };
}

/** What an erased text field says instead of the customer's words or name. */
export const ERASED_TEXT = '（已删除）';
