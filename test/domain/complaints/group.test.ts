import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUP_POLICY, isGroupComplaint, matterKey } from '../../../src/domain/complaints/group.ts';

const now = new Date('2026-11-23T02:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const ago = (ms: number) => new Date(now.getTime() - ms);
const complaints = (ids: number[], when: Date = ago(DAY)) => ids.map((customerId) => ({ customerId, receivedAt: when }));

describe('matterKey', () => {
  it('joins the category and the service code', () => {
    expect(matterKey({ category: 'quality', serviceCode: 'daily_cleaning' })).toBe('quality:daily_cleaning');
    expect(matterKey({ category: 'no_show', serviceCode: ' pest_control ' })).toBe('no_show:pest_control');
  });

  it.each([undefined, null, '', '  '])('uses "none" without a service (%j)', (serviceCode) => {
    expect(matterKey({ category: 'price', serviceCode })).toBe('price:none');
  });
});

describe('isGroupComplaint (DOMAIN §2 Group flags, [003])', () => {
  it('defaults to 5 customers in 7 days', () => {
    expect(DEFAULT_GROUP_POLICY).toEqual({ minCustomers: 5, windowDays: 7 });
  });

  it('4 different customers are not a group, 5 are', () => {
    expect(isGroupComplaint(complaints([1, 2, 3, 4]), now)).toBe(false);
    expect(isGroupComplaint(complaints([1, 2, 3, 4, 5]), now)).toBe(true);
  });

  it('counts each customer once', () => {
    expect(isGroupComplaint(complaints([1, 1, 2, 2, 3, 4, 4, 4]), now)).toBe(false);
    expect(isGroupComplaint(complaints([1, 1, 2, 3, 4, 5]), now)).toBe(true);
  });

  it('only counts complaints inside the window, both ends included', () => {
    const four = complaints([1, 2, 3, 4]);
    expect(isGroupComplaint([...four, { customerId: 5, receivedAt: ago(7 * DAY) }], now)).toBe(true);
    expect(isGroupComplaint([...four, { customerId: 5, receivedAt: ago(7 * DAY + 1) }], now)).toBe(false);
    expect(isGroupComplaint([...four, { customerId: 5, receivedAt: now }], now)).toBe(true);
    expect(isGroupComplaint([...four, { customerId: 5, receivedAt: new Date(now.getTime() + 1) }], now)).toBe(false);
  });

  it('an old complaint from a customer who also complained recently still counts once', () => {
    const recent = [...complaints([1, 2, 3, 4]), { customerId: 4, receivedAt: ago(30 * DAY) }];
    expect(isGroupComplaint(recent, now)).toBe(false);
  });

  it('takes the thresholds from the policy', () => {
    expect(isGroupComplaint(complaints([1, 2, 3]), now, { minCustomers: 3 })).toBe(true);
    const spread = [...complaints([1, 2, 3, 4]), { customerId: 5, receivedAt: ago(10 * DAY) }];
    expect(isGroupComplaint(spread, now, { windowDays: 14 })).toBe(true);
    expect(isGroupComplaint(spread, now, { windowDays: 7 })).toBe(false);
  });

  it('no complaints, no group', () => {
    expect(isGroupComplaint([], now)).toBe(false);
  });
});
