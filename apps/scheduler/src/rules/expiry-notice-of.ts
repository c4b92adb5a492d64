import { ExpiryNoticeKind } from '@coffer/contracts';

interface NoticeColumns {
  exp: string | null;
  nearExpiryNotified: string | null;
  expiredNotified: string | null;
}

/**
 * Which notice a version needs now, if any: Expired once exp has passed (a NearExpiry not sent by
 * then is skipped: it would arrive after the fact), else NearExpiry inside the window (none
 * without a window). Each at most once per exp.
 */
export function expiryNoticeOf(v: NoticeColumns, now: number, windowMs: number | undefined): ExpiryNoticeKind | undefined {
  if (!v.exp) return undefined;
  const exp = Date.parse(v.exp);
  if (exp <= now) return v.expiredNotified === v.exp ? undefined : 'Expired';
  if (windowMs === undefined || v.nearExpiryNotified === v.exp) return undefined;
  return exp - windowMs <= now ? 'NearExpiry' : undefined;
}
