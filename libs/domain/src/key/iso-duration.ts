import { ISO_DURATION } from '@coffer/contracts';

const DAY_MS = 86_400_000;
/** Calendar units as fixed lengths (a year 365 days, a month 30): enough to compare and schedule policies. */
const UNIT_MS = { Y: 365 * DAY_MS, M: 30 * DAY_MS, W: 7 * DAY_MS, D: DAY_MS, H: 3_600_000, Min: 60_000, S: 1000 } as const;

/** An ISO 8601 duration (P1Y2M3W4DT5H6M7S) in milliseconds, or undefined when it is not one. */
export function isoDurationMs(duration: string): number | undefined {
  const m = ISO_DURATION.exec(duration);
  if (!m) return undefined;
  const n = (i: number) => (m[i] ? parseInt(m[i], 10) : 0);
  return n(1) * UNIT_MS.Y + n(2) * UNIT_MS.M + n(3) * UNIT_MS.W + n(4) * UNIT_MS.D + n(6) * UNIT_MS.H + n(7) * UNIT_MS.Min + n(8) * UNIT_MS.S;
}

/** `from` plus an ISO 8601 duration (fixed-length units as above), as an ISO 8601 time. */
export const addIsoDuration = (from: Date, duration: string): string => new Date(from.getTime() + (isoDurationMs(duration) ?? 0)).toISOString();
