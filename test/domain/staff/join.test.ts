import { afterEach, describe, expect, it, vi } from 'vitest';

// Counts the constant-time comparisons the invite-code match makes.
vi.mock('node:crypto', async (original) => {
  const actual = await original<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { timingSafeEqual } = await import('node:crypto');
const { inviteRole, joinLockedUntil } = await import('../../../src/domain/staff/join.ts');

const at = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00+08:00`);

describe('joinLockedUntil', () => {
  it('locks for 15 minutes from the 5th wrong code within 15 minutes', () => {
    const failures = ['10:00', '10:01', '10:02', '10:03', '10:04'].map(at);
    expect(joinLockedUntil(failures, at('10:05'))).toEqual(at('10:19'));
    expect(joinLockedUntil(failures, at('10:19'))).toBeUndefined();
    expect(joinLockedUntil(failures.slice(0, 4), at('10:05'))).toBeUndefined();
  });

  it('counts only wrong codes within a 15-minute window, in any order', () => {
    expect(joinLockedUntil(['10:00', '10:04', '10:08', '10:12', '10:16'].map(at), at('10:17'))).toBeUndefined();
    expect(joinLockedUntil(['10:15', '10:01', '10:10', '10:05', '10:00'].map(at), at('10:20'))).toEqual(at('10:30'));
  });
});

describe('inviteRole', () => {
  afterEach(() => vi.mocked(timingSafeEqual).mockClear());
  const codes = Object.assign(Object.create(null) as Record<string, 'front_desk' | 'general_manager'>, {
    Desk2026abcdef: 'front_desk' as const,
    gm7Q2x9Lk4Pw3z: 'general_manager' as const,
  });

  it('finds the role of a configured code and nothing for anything else', () => {
    expect(inviteRole(codes, 'Desk2026abcdef')).toBe('front_desk');
    expect(inviteRole(codes, 'gm7Q2x9Lk4Pw3z')).toBe('general_manager');
    for (const typed of ['desk2026abcdef', 'Desk2026abcde', '', 'constructor', '__proto__', 'toString']) expect(inviteRole(codes, typed)).toBeUndefined();
    // A plain object literal's prototype is not a code either.
    expect(inviteRole({ 'front-desk': 'front_desk' }, 'constructor')).toBeUndefined();
  });

  it('compares with every configured code in constant time, a match or not', () => {
    inviteRole(codes, 'Desk2026abcdef');
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    inviteRole(codes, 'nothing-like-it');
    expect(timingSafeEqual).toHaveBeenCalledTimes(4);
    for (const [a, b] of vi.mocked(timingSafeEqual).mock.calls) expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
  });
});
