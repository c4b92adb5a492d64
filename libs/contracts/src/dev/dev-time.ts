import { PUBLIC_PREFIX } from '../subjects';

/**
 * Development time shift: moves "now" forward for the vault and the scheduler so users can test
 * their own rotation and expiry handling. Refused unless the deployment sets COFFER_DEV_MODE=1.
 * The offset lives in a JetStream KV entry every process watches.
 */
export const DevSubjects = {
  timeShift: `${PUBLIC_PREFIX}.dev.time.shift`,
  timeShow: `${PUBLIC_PREFIX}.dev.time.show`,
} as const;

export const DEV_TIME_BUCKET = 'COFFER_DEV_TIME';
export const DEV_TIME_KEY = 'offset';
export const MAX_TIME_SHIFT_DAYS = 3650;

export interface DevTimeReply {
  /** Milliseconds added to the real time. */
  offsetMs: number;
  /** The shifted time, as the vault sees it now. */
  now: string;
  realNow: string;
}

/** The KV entry's value. */
export interface DevTimeOffset {
  offsetMs: number;
  updated: string;
}
