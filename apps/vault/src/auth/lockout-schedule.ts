import { LockoutSettings } from '@coffer/config';

export type LockoutPolicy = Pick<LockoutSettings, 'threshold' | 'baseMs' | 'maxMs' | 'resetMs'>;

/** What is remembered of one client id's failed exchanges (times in epoch ms). */
export interface LockoutState {
  /** Consecutive failures since the last success (or since the history was forgotten). */
  failures: number;
  /** Lockouts so far in this run of failures: the next one lasts baseMs × 2^lockouts. */
  lockouts: number;
  lockedUntil: number;
  lastFailure: number;
}

export const NO_FAILURES: LockoutState = { failures: 0, lockouts: 0, lockedUntil: 0, lastFailure: 0 };

/** The length of the n-th lockout (n ≥ 1): baseMs, 2 × baseMs, 4 × baseMs, … capped at maxMs. */
export function lockoutDurationMs(n: number, policy: LockoutPolicy): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(0, n - 1), 40));
}

/** How long the id is still locked out at `now` (undefined: not locked). */
export function lockedForMs(state: LockoutState, now: number): number | undefined {
  return state.lockedUntil > now ? state.lockedUntil - now : undefined;
}

/**
 * One more failed exchange. `threshold` consecutive failures lock the id out; once locked out,
 * the next failure after the lockout ends locks it again at once, twice as long (capped). A quiet
 * spell of resetMs since the last failure forgets the history. `lockedForMs` is set when this
 * failure started a lockout (one audit record each).
 */
export function afterFailure(state: LockoutState, now: number, policy: LockoutPolicy): { state: LockoutState; lockedForMs?: number } {
  const fresh = now - state.lastFailure >= policy.resetMs ? NO_FAILURES : state;
  const failures = fresh.failures + 1;
  if (lockedForMs(fresh, now) !== undefined || (fresh.lockouts === 0 && failures < policy.threshold)) {
    return { state: { ...fresh, failures, lastFailure: now } };
  }
  const lockouts = fresh.lockouts + 1;
  const duration = lockoutDurationMs(lockouts, policy);
  return { state: { failures, lockouts, lockedUntil: now + duration, lastFailure: now }, lockedForMs: duration };
}
