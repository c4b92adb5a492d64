import { afterFailure, lockedForMs, LockoutState, lockoutDurationMs, NO_FAILURES } from './lockout-schedule';

const policy = { threshold: 3, baseMs: 1_000, maxMs: 5_000, resetMs: 60_000 };

/** Applies failures at the given times; returns the final state and the lockouts started. */
function fail(times: number[], from: LockoutState = NO_FAILURES) {
  let state = from;
  const lockouts: [at: number, ms: number][] = [];
  for (const t of times) {
    const r = afterFailure(state, t, policy);
    state = r.state;
    if (r.lockedForMs !== undefined) lockouts.push([t, r.lockedForMs]);
  }
  return { state, lockouts };
}

describe('lockout schedule', () => {
  it('doubles from baseMs and stops at maxMs', () => {
    expect([1, 2, 3, 4, 5, 60].map((n) => lockoutDurationMs(n, policy))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
  });

  it('locks out after `threshold` consecutive failures, not before', () => {
    expect(fail([0, 10]).lockouts).toEqual([]);
    const { state, lockouts } = fail([0, 10, 20]);
    expect(lockouts).toEqual([[20, 1_000]]);
    expect(lockedForMs(state, 20)).toBe(1_000);
    expect(lockedForMs(state, 1_019)).toBe(1);
    expect(lockedForMs(state, 1_020)).toBeUndefined();
  });

  it('counts failures during a lockout without extending it', () => {
    const { state, lockouts } = fail([0, 10, 20, 500, 900]);
    expect(lockouts).toEqual([[20, 1_000]]);
    expect(state.lockedUntil).toBe(1_020);
  });

  it('locks again at the first failure after a lockout, twice as long each time, capped', () => {
    const { lockouts } = fail([0, 10, 20, 1_020, 3_020, 7_020, 12_020, 17_020]);
    expect(lockouts).toEqual([[20, 1_000], [1_020, 2_000], [3_020, 4_000], [7_020, 5_000], [12_020, 5_000], [17_020, 5_000]]);
  });

  it('forgets the history after resetMs without a failure', () => {
    const locked = fail([0, 10, 20, 1_020]).state;
    expect(locked.lockouts).toBe(2);
    const later = fail([1_020 + 60_000], locked);
    expect(later.lockouts).toEqual([]);
    expect(later.state).toEqual({ failures: 1, lockouts: 0, lockedUntil: 0, lastFailure: 61_020 });
  });
});
