import 'reflect-metadata';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { OBJECT_NAME, VERSION_ID } from '../limits';

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

/** `coffer.v1.vault.<vault>.secret.notify` and `….key.notify`. */
export class NotifyExpiryRequest {
  @IsString() @Matches(OBJECT_NAME, { message: 'name must match ^[0-9a-zA-Z-]{1,127}$' })
  name!: string;

  @IsString() @Matches(VERSION_ID, { message: 'version must be 32 lowercase hex digits' })
  version!: string;

  @IsIn([...EXPIRY_NOTICE_KINDS])
  kind!: ExpiryNoticeKind;

  /** NearExpiry: the warning window (default 30 days; for keys a rotation policy's Notify trigger wins). */
  @IsOptional() @IsInt() @Min(1) @Max(MAX_NEAR_EXPIRY_DAYS)
  nearExpiryDays?: number;
}

/** The recorded notice (event data without the name) and the reply. */
export interface ExpiryNotice {
  version: string;
  kind: ExpiryNoticeKind;
  /** The version's validity when noticed (ISO 8601). */
  nbf?: string;
  exp: string;
  notified: string;
}
