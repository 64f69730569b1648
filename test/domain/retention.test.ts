import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, retentionCutoffs } from '../../src/domain/retention.ts';
import { companySchema } from '../../src/contracts/company.ts';
import { loadCompany } from '../../src/config/company.ts';

describe('retention cut-offs', () => {
  it('has the defaults of the policy: 90 days, 1 year, 3 years', () => {
    expect(DEFAULT_RETENTION).toEqual({ inboundMessageDays: 90, conversationStateDays: 365, customerDataYears: 3 });
    const c = retentionCutoffs(DEFAULT_RETENTION, new Date('2026-11-30T02:00:00Z'));
    expect(c.inboundBefore.toISOString()).toBe('2026-09-01T02:00:00.000Z');
    expect(c.conversationBefore.toISOString()).toBe('2025-11-30T02:00:00.000Z');
    expect(c.customerBefore.toISOString()).toBe('2023-11-30T02:00:00.000Z');
  });

  it('never cuts a leap day early', () => {
    const c = retentionCutoffs({ ...DEFAULT_RETENTION, customerDataYears: 1 }, new Date('2028-02-29T00:00:00Z'));
    expect(c.customerBefore.toISOString()).toBe('2027-03-01T00:00:00.000Z');
  });

  it('is optional in the company file, with the defaults, and refuses nonsense', () => {
    const company = loadCompany();
    expect(company.retention).toEqual(DEFAULT_RETENTION);
    const { retention: _omit, ...rest } = company;
    expect(companySchema.parse(rest).retention).toEqual(DEFAULT_RETENTION);
    expect(companySchema.parse({ ...rest, retention: { inboundMessageDays: 30 } }).retention).toEqual({ ...DEFAULT_RETENTION, inboundMessageDays: 30 });
    expect(companySchema.safeParse({ ...rest, retention: { customerDataYears: 0 } }).success).toBe(false);
  });
});
