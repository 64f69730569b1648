/**
 * Joining as staff with an invite code (DOMAIN §5 roles) without letting anyone guess a code: the
 * typed code is compared with every configured code in constant time, and repeated wrong codes
 * lock `/join` for a while, by user and by group chat.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../contracts/records.ts';

/** Wrong codes within `JOIN_WINDOW_MS` that lock `/join` ... */
const JOIN_MAX_FAILURES = 5;
const JOIN_WINDOW_MS = 15 * 60_000;
/** ... for this long after the last of them. */
const JOIN_LOCKOUT_MS = 15 * 60_000;
/** How far back wrong codes can still matter for a lockout now. */
export const JOIN_LOOKBACK_MS = JOIN_WINDOW_MS + JOIN_LOCKOUT_MS;

/**
 * Until when `/join` is locked, given the wrong codes of one user or one group chat (any order;
 * attempts refused while locked are not wrong codes and are not passed); undefined when it is not.
 * Every run of `JOIN_MAX_FAILURES` wrong codes within `JOIN_WINDOW_MS` locks for `JOIN_LOCKOUT_MS`
 * from the last of them.
 */
export function joinLockedUntil(failures: readonly Date[], now: Date): Date | undefined {
  const times = failures.map((d) => d.getTime()).sort((a, b) => a - b);
  let until: number | undefined;
  for (let i = JOIN_MAX_FAILURES - 1; i < times.length; i += 1) {
    const last = times[i]!;
    if (last - times[i - (JOIN_MAX_FAILURES - 1)]! <= JOIN_WINDOW_MS) until = Math.max(until ?? 0, last + JOIN_LOCKOUT_MS);
  }
  return until !== undefined && until > now.getTime() ? new Date(until) : undefined;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The role an invite code stands for, or undefined. Compares the typed code with every configured
 * code (own keys only, so "constructor" or "__proto__" are just wrong codes) in constant time over
 * SHA-256 digests of equal length, without stopping at a match: neither the time taken nor a map
 * look-up tells a guesser how close they came.
 */
export function inviteRole(codes: Readonly<Record<string, Role>>, typed: string): Role | undefined {
  const typedDigest = digest(typed);
  let found: Role | undefined;
  for (const [code, role] of Object.entries(codes)) {
    if (timingSafeEqual(digest(code), typedDigest) && found === undefined) found = role;
  }
  return found;
}
