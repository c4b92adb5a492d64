import { DAY_MS } from '@coffer/domain';
import { DEFAULT_NEAR_EXPIRY_DAYS } from '@coffer/contracts';

/** The NearExpiry window a notify request asks for (default 30 days). */
export const noticeWindowMs = (nearExpiryDays: number | undefined): number => (nearExpiryDays ?? DEFAULT_NEAR_EXPIRY_DAYS) * DAY_MS;
