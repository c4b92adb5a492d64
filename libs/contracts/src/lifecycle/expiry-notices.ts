/**
 * Expiry notices: the scheduler tells the vault that a version's expiry is near or has passed, and
 * the vault records it as an event (which the change feed publishes as …NearExpiry / …Expired).
 * One notice per version, kind and expiry date: a changed `exp` re-arms it.
 */
export const EXPIRY_NOTICE_KINDS = ['NearExpiry', 'Expired'] as const;
export type ExpiryNoticeKind = (typeof EXPIRY_NOTICE_KINDS)[number];

/** Default warning window before `exp` (Azure's default Notify is 30 days before expiry). */
export const DEFAULT_NEAR_EXPIRY_DAYS = 30;
export const MAX_NEAR_EXPIRY_DAYS = 3650;

/** The recorded notice (event data without the name) and the reply. */
export interface ExpiryNotice {
  version: string;
  kind: ExpiryNoticeKind;
  /** The version's validity when noticed (ISO 8601). */
  nbf?: string;
  exp: string;
  notified: string;
}
