import { ExpiryNotices } from '@coffer/domain';

/** The expiry notices a version row records (secret or key), as the deciders want them. */
export function noticesOfRow(row: { nearExpiryNotified: string | null; expiredNotified: string | null }): ExpiryNotices {
  return {
    ...(row.nearExpiryNotified !== null && { NearExpiry: row.nearExpiryNotified }),
    ...(row.expiredNotified !== null && { Expired: row.expiredNotified }),
  };
}
